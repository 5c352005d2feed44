#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/fuzz/run.sh - run libFuzzer targets for a bounded time, several at once (make fuzz).
#
#   run.sh --seconds S [--jobs N] --corpus DIR --work DIR TARGET...
#
# Each TARGET (tests/fuzz/fuzz_NAME) runs S seconds on the committed seeds in
# DIR/NAME (read only) plus what earlier runs found, kept in WORK/NAME/corpus;
# crash, timeout and leak inputs land in WORK/NAME/ (artifact prefix), the log
# in WORK/NAME/log.  N targets run at once (default: the number of cores).
# Prints one line per target (executions, executions per second, libFuzzer's
# cov and ft) and exits 1 when a target failed, after showing its log's end.
set -eu

seconds=20 jobs= corpus= work=
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--corpus) corpus=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--one) shift; break ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option '$1'" >&2; exit 2 ;;
	*) break ;;
	esac
done

# One target (run by xargs below): its status is the target's.
if [ "${MSP_FUZZ_ONE:-}" = 1 ]; then
	t=$1
	name=${t##*/}
	name=${name#fuzz_}
	dir=$work/$name
	rm -f "$dir/log"
	mkdir -p "$dir/corpus"
	seeds=
	[ -d "$corpus/$name" ] && seeds=$corpus/$name
	# -timeout: one input may take 10 s at most (a regcomp the pre-check let through, a loop);
	# -rss_limit_mb: ceiling for the whole process, and for one allocation (-malloc_limit_mb).
	set +e
	"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$dir/" "$dir/corpus" ${seeds:+"$seeds"} >"$dir/log" 2>&1
	rc=$?
	set -e
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -n 1)
	last=$(grep -E '^#[0-9]+.*cov: ' "$dir/log" | tail -n 1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	status=ok
	[ "$rc" -eq 0 ] || status="FAILED (exit $rc)"
	printf '%-10s %10s execs %7s/s  cov %5s  ft %6s  corpus %5s  %s\n' "$name" "${execs:-?}" "${rate:-?}" \
		"${cov:-?}" "${ft:-?}" "${corp:-?}" "$status" | tee "$dir/summary"
	if [ "$rc" -ne 0 ]; then
		echo "--- $dir/log (last 40 lines)"
		tail -n 40 "$dir/log"
		ls "$dir" | grep -E '^(crash|timeout|leak|oom|slow-unit)-' | sed "s|^|--- input kept: $dir/|" || true
	fi
	exit "$rc"
fi

if [ -z "$corpus" ] || [ -z "$work" ] || [ $# -eq 0 ]; then
	echo "usage: run.sh --seconds S [--jobs N] --corpus DIR --work DIR TARGET..." >&2
	exit 2
fi
[ -n "$jobs" ] || jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p "$work"
echo "fuzz: $# targets, $seconds s each, $jobs at a time; logs and findings in $work"
export MSP_FUZZ_ONE=1
rc=0
printf '%s\n' "$@" | xargs -P "$jobs" -I{} sh "$0" --seconds "$seconds" --corpus "$corpus" --work "$work" --one {} || rc=1
unset MSP_FUZZ_ONE
echo "fuzz: summary"
for t in "$@"; do
	name=${t##*/}
	cat "$work/${name#fuzz_}/summary" 2>/dev/null || echo "${name#fuzz_}: no summary"
done
if [ "$rc" -ne 0 ]; then
	echo "fuzz: a target failed: reproduce with ./TARGET INPUT (tests/fuzz/README.md)" >&2
fi
exit "$rc"
