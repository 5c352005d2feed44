#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/bench/check_procs.sh - check_procs with 10,000 processes: ours against the reference.
#
#   tests/bench/check_procs.sh [PLUGINDIR]       (from a build directory, after make check)
#
# In a private PID namespace with its own /proc (unshare -p -f --mount-proc; needs root or
# user namespaces), tests/helpers/procs_spawn starts BENCH_PROCS idle processes (default
# 10000, every 10th stopped), so both plugins see the same 10,000 and nothing else on the
# machine is counted.  For each argument set below hyperfine times ours and
# /usr/lib/nagios/plugins/check_procs (which runs ps) side by side; printed are the counts
# both reported (they must agree), the median times and their ratio, and the peak RSS of one
# run of each.  The processes are killed at the end, also on failure.  Not part of make check.
# shellcheck source=SCRIPTDIR/../helpers/common.sh
. "$(dirname "$0")/../helpers/common.sh"
msp_find_dirs
[ "${1:-}" = --inside ] || PLUGINDIR=${1:-$PLUGINDIR}
REF=${MSP_REFDIR:-/usr/lib/nagios/plugins}/check_procs
HELPER=${PROCS_SPAWN:-$top_builddir/tests/helpers/procs_spawn}
N=${BENCH_PROCS:-10000}
RUNS=${BENCH_RUNS:-20}

if [ "${1:-}" != --inside ]; then
	for tool in hyperfine unshare; do
		command -v "$tool" >/dev/null || { echo "bench: $tool is not installed"; exit 77; }
	done
	[ -x "$REF" ] || { echo "bench: reference $REF not installed"; exit 77; }
	[ -x "$PLUGINDIR/check_procs" ] || { echo "bench: $PLUGINDIR/check_procs not built"; exit 1; }
	[ -x "$HELPER" ] || { echo "bench: $HELPER not built (make check builds it)"; exit 1; }
	export PLUGINDIR REF HELPER N RUNS
	if ! unshare -p -f --mount-proc true 2>/dev/null; then
		echo "bench: cannot make a PID namespace here (unshare -p needs root or user namespaces)"
		exit 77
	fi
	exec unshare -p -f --mount-proc bash "$0" --inside
fi

# ---- inside the namespace: we are pid 1
work=$(mktemp -d "${TMPDIR:-/tmp}/msp-bench-procs.XXXXXX") || exit 1
# procs_spawn keeps its processes until its stdin (our fd 3) closes.
exec 3> >(exec "$HELPER" "$N" 10 >"$work/ready")
cleanup() {
	exec 3>&-
	wait
	rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 600); do
	grep -q '^ready' "$work/ready" 2>/dev/null && break
	sleep 0.1
done
grep -q "^ready $N\$" "$work/ready" || { echo "bench: procs_spawn did not start $N processes"; exit 1; }
echo "bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $N idle processes (every 10th stopped)" \
	"in a PID namespace; $(ls /proc | grep -c '^[0-9]') processes in its /proc"

sets=(
	"-w 100000 -c 200000"
	"-w 5 -c 10 -s Z"
	"-s T -w 2000 -c 3000"
	"-C procs_spawn -w 20000 -c 30000"
	"-u root -w 20000 -c 30000"
	"-a procs_spawn -w 20000 -c 30000"
	"--ereg-argument-array=^/.*spawn -w 20000 -c 30000"
	"-m RSS -w 100000 -c 200000"
	"-m CPU -w 50 -c 90 -k"
)
# The count on line 1 (output to a file first: processes of a pipeline would be counted).
count() {
	"$@" >"$work/out" 2>/dev/null
	head -n 1 "$work/out" | grep -oE '[0-9]+ process(es)?' | head -n 1 | grep -oE '^[0-9]+'
}
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }

printf '%-46s %7s %7s %9s %9s %6s %9s %9s\n' args "n ours" "n ref" "ours ms" "ref ms" ratio "ours KiB" "ref KiB"
for args in "${sets[@]}"; do
	# shellcheck disable=SC2086
	set -- $args
	n_ours=$(count "$PLUGINDIR/check_procs" "$@")
	n_ref=$(count "$REF" "$@")
	json="$work/bench.json"
	hyperfine -N -i --style none --warmup 2 --runs "$RUNS" --export-json "$json" \
		"$PLUGINDIR/check_procs $args" "$REF $args" >"$work/hyperfine.out" 2>&1 ||
		{ echo "bench: hyperfine failed:"; cat "$work/hyperfine.out"; exit 1; }
	read -r t_ours t_ref < <(python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))["results"]
print(" ".join("%.2f" % (x["median"]*1000) for x in r))' "$json")
	rss_ours=$(peak "$PLUGINDIR/check_procs" "$@")
	rss_ref=$(peak "$REF" "$@")
	ratio=$(python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$t_ours" "$t_ref")
	printf '%-46s %7s %7s %9s %9s %6s %9s %9s\n' "$args" "$n_ours" "$n_ref" "$t_ours" "$t_ref" "$ratio" \
		"$rss_ours" "$rss_ref"
done
