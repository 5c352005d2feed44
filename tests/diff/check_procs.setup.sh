#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Start the processes tests/diff/check_procs.args counts, so both plugins see the same
# numbers whatever else runs on the machine.  All carry a name made for this run
# (mspdNNNNN, written to $TMP/n; symlinks to sleep in $TMP/bin), so a second run at the
# same time does not change the counts:
#   3 x  $n 601      sleeping (state S)
#   2 x  $n 602 1    stopped with SIGSTOP (state T)
#   1 x  ${n}p 603   a parent that never reaps its child (pid in $TMP/zparent)
#   1 x  ${n}z       that child: a zombie (state Z)
# They end by themselves after about ten minutes; check_procs.teardown.sh kills them.
set -eu
: "${TMP:?TMP must be set}"

n=mspd$(printf '%05d' $((RANDOM % 100000)))
mkdir -p "$TMP/bin"
sleep=$(command -v sleep)
for s in "" p z; do ln -sf "$sleep" "$TMP/bin/$n$s"; done
echo "$n" >"$TMP/n"

pids=()
for _ in 1 2 3; do
	"$TMP/bin/$n" 601 </dev/null >/dev/null 2>&1 &
	pids+=($!)
done
for _ in 1 2; do
	"$TMP/bin/$n" 602 1 </dev/null >/dev/null 2>&1 &
	pids+=($!)
done
# The child ends at once; its parent has exec'd into ${n}p (a sleep) and never reaps it.
bash -c '"$1" 0 & exec "$2" 603' zombie-maker "$TMP/bin/${n}z" "$TMP/bin/${n}p" </dev/null >/dev/null 2>&1 &
pids+=($!)
echo "${pids[*]}" >"$TMP/pids"
echo "${pids[5]}" >"$TMP/zparent"

# Wait until every exec has happened and the zombie exists, then stop two of them.
for _ in $(seq 50); do
	ok=1
	for p in "${pids[@]}"; do
		case $(cat "/proc/$p/comm" 2>/dev/null) in "$n" | "${n}p") ;; *) ok=0 ;; esac
	done
	[ "$ok" = 1 ] && [ "$(ps -o stat= --ppid "${pids[5]}" | tr -d ' ')" = Z ] && break
	sleep 0.1
done
kill -STOP "${pids[3]}" "${pids[4]}"
# ELAPSED rows need the processes to be at least a second old.
sleep 1.1
exit 0
