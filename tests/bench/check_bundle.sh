#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/bench/check_bundle.sh - check_bundle's total time is that of its slowest
# check, not the sum.
#
#   tests/bench/check_bundle.sh [PLUGINDIR]
#
# Writes child scripts that sleep 1 s and print a plugin line, and bundles of
# 1, 5 and 10 of them; times each bundle with hyperfine (no shell) and prints
# the median wall time next to what running the same checks one after the
# other would take (N x 1 s).  Then the default profile of this machine once,
# with the real plugins, timed against the sum of its checks run one by one.
# Not part of make check: the numbers depend on the machine and its load.
set -eu
PLUGINDIR=${1:-${PLUGINDIR:-$PWD/plugins}}
RUNS=${BENCH_RUNS:-10}

command -v hyperfine >/dev/null || { echo "bench: hyperfine is not installed"; exit 1; }
command -v python3 >/dev/null || { echo "bench: python3 is not installed"; exit 1; }
bundle=$PLUGINDIR/check_bundle
[ -x "$bundle" ] || { echo "bench: no check_bundle in $PLUGINDIR"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/msp-bench-bundle.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

printf '#!/bin/sh\nsleep 1\necho "SLEEP OK - slept 1 s | slept=1s"\n' >"$tmp/sleep1"
chmod +x "$tmp/sleep1"
median() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f %.3f" % (r["median"], r["min"]))' "$1"; }

echo "bench: $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %10s %10s %12s\n' "bundle" "median s" "min s" "one by one s"
for n in 1 5 10; do
	: >"$tmp/b$n.conf"
	for i in $(seq 1 "$n"); do printf 's%s = %s/sleep1\n' "$i" "$tmp" >>"$tmp/b$n.conf"; done
	# it must really be n checks that each slept
	out=$("$bundle" -f "$tmp/b$n.conf")
	case $out in "BUNDLE OK - all $n checks OK |"*) ;; *) echo "bench: unexpected: $out"; exit 1 ;; esac
	hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$tmp/h.json" "$bundle -f $tmp/b$n.conf" >/dev/null
	read -r med min < <(median "$tmp/h.json")
	printf '%-34s %10s %10s %12s\n' "$n x sleep 1 s" "$med" "$min" "$n.000"
done

# The default profile: the bundle against its checks run one after the other.
echo
echo "default profile of this machine (real plugins in $PLUGINDIR):"
"$bundle" --output-format=json >"$tmp/default.json" || true
t0=$(date +%s.%N)
"$bundle" >/dev/null || true
t1=$(date +%s.%N)
python3 - "$tmp/default.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
print("  %s: %s" % (doc["state"], doc["summary"]))
PY
sum=0
while IFS= read -r line; do
	case $line in '' | '#'*) continue ;; esac
	name=${line%%[ (=]*}
	cmd=${line#*= }
	plugin=${cmd%% *}
	[ -x "$PLUGINDIR/$plugin" ] || continue
	case $line in *requires=/var/lib/clamav*) [ -d /var/lib/clamav ] || continue ;; esac
	case $line in *requires=/usr/bin/apt-get*) [ -x /usr/bin/apt-get ] || continue ;; esac
	# shellcheck disable=SC2086
	s0=$(date +%s.%N); "$PLUGINDIR/$plugin" ${cmd#"$plugin"} >/dev/null 2>&1 || true; s1=$(date +%s.%N)
	d=$(echo "$s1 - $s0" | bc)
	printf '  %-10s %6.2f s\n' "$name" "$d"
	sum=$(echo "$sum + $d" | bc)
done <"$(dirname "$0")/../../contrib/bundles/default.conf"
printf '  bundle %.2f s, the same checks one by one %.2f s\n' "$(echo "$t1 - $t0" | bc)" "$sum"
