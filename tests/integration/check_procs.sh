#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_procs against the reference on the live /proc: the same counts, not just the same state.
# Starts its own processes (sleep under a name made for this run, in $dir/bin): 4 sleeping,
# 3 stopped with args "702 1", and a parent whose child is a zombie, then compares the number
# on line 1 and the perfdata values of ours and of /usr/lib/nagios/plugins/check_procs for
# argument sets that select them.  Everything started is killed on exit.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
REF=${MSP_REFDIR:-/usr/lib/nagios/plugins}/check_procs
[ -x "$REF" ] || msp_skip "reference $REF not installed (monitoring-plugins-basic)"
msp_plugin check_procs
OURS=$plugin
msp_tmpdir check_procs
dir=$work
pids=()
stop_processes() {
	if [ ${#pids[@]} -gt 0 ]; then
		kill -KILL "${pids[@]}" 2>/dev/null
	fi
}
msp_on_exit stop_processes

n=mspi$(printf '%05d' $((RANDOM % 100000)))
mkdir -p "$dir/bin"
for s in "" p z; do ln -s "$(command -v sleep)" "$dir/bin/$n$s"; done
for _ in 1 2 3 4; do "$dir/bin/$n" 701 </dev/null >/dev/null 2>&1 & pids+=($!); done
for _ in 1 2 3; do "$dir/bin/$n" 702 1 </dev/null >/dev/null 2>&1 & pids+=($!); done
# the child outlives the exec by half a second, so it always dies a zombie of the exec'd sleep
bash -c '"$1" 0.5 & exec "$2" 703' zombie-maker "$dir/bin/${n}z" "$dir/bin/${n}p" </dev/null >/dev/null 2>&1 &
pids+=($!)
disown -a # no "Killed" job messages from the cleanup
zparent=${pids[7]}
for _ in $(seq 200); do # up to 20 s: a loaded machine is slow to start them
	ok=1
	for p in "${pids[@]}"; do
		case $(cat "/proc/$p/comm" 2>/dev/null) in "$n" | "${n}p") ;; *) ok=0 ;; esac
	done
	[ "$ok" = 1 ] && [ "$(ps -o stat= --ppid "$zparent" | tr -d ' ')" = Z ] && break
	sleep 0.1
done
kill -STOP "${pids[4]}" "${pids[5]}" "${pids[6]}"
sleep 1.1

# numbers ARGS...: "COUNT | PERFVALUES" of one run's line 1 (the process count and procs*= values).
numbers() {
	local count perf
	msp_run "$@" </dev/null
	count=$(printf '%s\n' "$line" | grep -oE '[0-9]+ process(es)?' | head -n 1 | grep -oE '^[0-9]+')
	perf=$(printf '%s\n' "$line" | grep -oE "procs(_warn|_crit)?=[0-9]+" | tr '\n' ' ')
	printf '%s | %s\n' "${count:-none}" "$perf"
}
# same WANT_COUNT ARGS...: ours and the reference report WANT_COUNT processes and the same perfdata.
same() {
	local want=$1 ref ours
	shift
	ref=$(numbers "$REF" "$@")
	ours=$(numbers "$OURS" "$@")
	if [ "$ref" != "$ours" ] || [ "${ours%% *}" != "$want" ]; then
		fail "check_procs $*: want $want, reference: $ref, ours: $ours"
	else
		pass "check_procs $*: $ours"
	fi
}

same 7 -C "$n"
same 3 -C "$n" -s T -w 2 -c 5
same 4 -C "$n" -s S
same 1 -C "${n}z" -s Z
same 1 -p "$zparent"
same 3 -a "$n 702 1"
same 4 --ereg-argument-array="/$n 701\$"
same 7 -u root -C "$n"
same 0 -u nobody -C "$n"
same 7 -z 1 -C "$n"
same 0 -P 50 -C "$n"
same 7 -m VSZ -C "$n" -w 1 -c 100000000
same 7 -m RSS -C "$n" -w 100000000 -c 1
same 7 -m ELAPSED -C "$n" -w 100000 -c 0
same 7 -m CPU -C "$n" -w 50 -c 90
# -k leaves out kthreadd's children, not kthreadd (absent in a container's pid namespace)
if [ "$(cat /proc/2/comm 2>/dev/null)" = kthreadd ]; then
	same 1 -k -C kthreadd
fi

# %CPU as ps computes it, for the same processes at about the same moment
refcpu=$(ps -o pcpu= -p "${pids[0]}" | tr -d ' ')
if [ "$refcpu" != "0.0" ]; then
	echo "note: ps shows ${refcpu}% CPU for a sleep; the CPU rows may differ"
fi
msp_done
