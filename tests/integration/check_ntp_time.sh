#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_ntp_time against real NTP servers on 127.0.0.1 inside the private network namespace of
# tests/integration/run.sh: chronyd -x (never touches the clock) on high ports, one with
# "local stratum 8" (a synchronised server) and one without a source (unsynchronised: LI 3);
# and the scripted server tests/helpers/ntp_peer.py for what chronyd never sends: a leap alarm,
# stratum 16, kiss-o'-death RATE and DENY, garbage, a short datagram, a wrong origin timestamp,
# a client-mode reply, an answer from another port, silence, one answer then silence.  Nothing
# listening (port unreachable) and an address with no route in the namespace too.  Every
# hostile case must end within -t plus 0.5 s and is never OK; the timings are printed.  Needs
# python3; the chronyd cases are skipped when chrony is not installed.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
msp_plugin check_ntp_time
msp_need python3
msp_tmpdir ntp
peer=$top_srcdir/tests/helpers/ntp_peer.py
pids=()
stop_all() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	for p in "$work"/chrony-*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null; done
	return 0
}
msp_on_exit stop_all

# bound PORT: a UDP socket on PORT
bound() {
	ss -Hlnu "sport = :$1" 2>/dev/null | grep -q .
}

# start_peer MODE PORT: the scripted server, waited for
start_peer() {
	python3 "$peer" "$1" "$2" >/dev/null 2>&1 &
	pids+=($!)
	msp_wait 10 bound "$2" || fail "ntp_peer $1 on $2 did not start"
}

# ---- chronyd: a synchronised server (local stratum 8) and an unsynchronised one ---------------------
# start_chrony NAME PORT [CONFIG LINE]...
start_chrony() {
	local name=$1 port=$2 conf=$work/chrony-$1.conf
	shift 2
	printf '%s\n' "port $port" "bindaddress 127.0.0.1" "allow 127.0.0.1" "cmdport 0" \
		"pidfile $work/chrony-$name.pid" "driftfile $work/chrony-$name.drift" "$@" >"$conf"
	chronyd -x -u root -f "$conf" >"$work/chrony-$name.log" 2>&1 || fail "chronyd $name did not start"
	msp_wait 10 bound "$port" || fail "chronyd $name on $port did not start"
}

if command -v chronyd >/dev/null || [ -x /usr/sbin/chronyd ]; then
	PATH=$PATH:/usr/sbin
	start_chrony s8 12123 "local stratum 8" "bindaddress ::1" "allow ::1"
	start_chrony unsync 12124
	expect 0 '^NTP OK: Offset -?[0-9.e-]+ secs\|offset=-?[0-9]+\.[0-9]{6}s;60\.000000;120\.000000;$' -H 127.0.0.1 -p 12123
	expect 0 '^NTP OK: Offset .*\|offset=-?[0-9.]+s;0\.500000;1\.000000;$' -H 127.0.0.1 -p 12123 -w 0.5 -c 1 -4
	# -o is added to the measured offset (as the reference does): 5 s over -w 1
	expect 1 '^NTP WARNING: Offset [45]\.[0-9]+ secs\|offset=[45]\.[0-9]{6}s;1\.000000;10\.000000;$' \
		-H 127.0.0.1 -p 12123 -o 5 -w 1 -c 10
	expect 2 '^NTP CRITICAL: Offset -?[0-9.]+ secs\|' -H 127.0.0.1 -p 12123 -o -50 -w 1 -c 10
	expect 0 '^NTP OK: ' -H localhost -p 12123 -4
	expect 0 '^NTP OK: Offset .*\|offset=-?[0-9.]+s;60\.000000;120\.000000;$' -6 -H ::1 -p 12123
	# unsynchronised chronyd: LI 3, stratum 0 without a kiss code
	expect 2 '^NTP CRITICAL: Offset unknown: the server is not synchronised \(leap indicator alarm, stratum 0\)$' \
		3500 -- -H 127.0.0.1 -p 12124 -t 3
	expect 3 '^NTP UNKNOWN: Offset unknown: the server is not synchronised' 3500 -- -H 127.0.0.1 -p 12124 -q -t 3
else
	echo "skip: chronyd is not installed (Debian chrony): the real-server cases"
fi

# ---- the scripted server ------------------------------------------------------------------------
start_peer good 13001
expect 0 '^NTP OK: Offset -?[0-9.e-]+ secs\|offset=' -H 127.0.0.1 -p 13001 -w 1 -c 2
start_peer ahead 13002
expect 2 '^NTP CRITICAL: Offset (99\.9|100\.0)[0-9]* secs\|offset=(99\.9|100\.0)[0-9]{5}s;1\.000000;2\.000000;$' -H 127.0.0.1 -p 13002 -w 1 -c 2
expect 0 '^NTP OK: Offset -?[0-9.e-]+ secs\|offset=-?0\.[0-9]{6}s' -H 127.0.0.1 -p 13002 -o -100 -w 1 -c 2

# one answer, then silence: its offset, within -t
start_peer once 13003
expect 0 '^NTP OK: Offset -?[0-9.e-]+ secs\|offset=' 3500 -- -H 127.0.0.1 -p 13003 -w 1 -c 2 -t 3

# hostile: never OK, within -t 3 plus 0.5 s
hostile() {
	local port=$1 mode=$2 rc=$3 re=$4
	shift 4
	start_peer "$mode" "$port"
	expect "$rc" "$re" 3500 -- -H 127.0.0.1 -p "$port" -t 3 -w 1 -c 2 "$@"
	echo "     $mode: ${took} ms"
}
hostile 13010 leap 2 '^NTP CRITICAL: Offset unknown: the server is not synchronised \(leap indicator alarm, stratum 2\)$'
hostile 13011 stratum16 2 '^NTP CRITICAL: Offset unknown: the server is not synchronised \(stratum 16\)$'
hostile 13012 kod 2 "^NTP CRITICAL: Offset unknown: kiss-o'-death 'RATE' from the server$"
hostile 13013 deny 3 "^NTP UNKNOWN: Offset unknown: kiss-o'-death 'DENY' from the server$" -q
hostile 13014 garbage 2 '^NTP CRITICAL: No response from NTP server: [0-9]+ answers that were not ours$'
hostile 13015 short 2 '^NTP CRITICAL: No response from NTP server: [0-9]+ answers that were not ours$'
hostile 13016 origin 2 '^NTP CRITICAL: No response from NTP server: [0-9]+ answers that were not ours$'
hostile 13017 client 2 '^NTP CRITICAL: No response from NTP server: [0-9]+ answers that were not ours$'
hostile 13018 otherport 2 '^NTP CRITICAL: No response from NTP server$'
hostile 13019 silent 2 '^NTP CRITICAL: No response from NTP server$'
hostile 13020 silent 3 '^NTP UNKNOWN: No response from NTP server$' -q

# nothing listens: port unreachable comes back at once
expect 2 '^NTP CRITICAL: No response from NTP server: port unreachable$' 1000 -- -H 127.0.0.1 -p 13099 -t 3
expect 3 '^NTP UNKNOWN: No response from NTP server: port unreachable$' 1000 -- -H 127.0.0.1 -p 13099 -q
# no route to the address in this namespace (only lo is up)
expect 2 "^NTP CRITICAL: No response from NTP server: cannot connect to '10\.1\.1\.1:123': Network is unreachable$" \
	1000 -- -H 10.1.1.1 -t 3
# -t 1: the runner's deadline is never hit by a silent server: our own answer comes first
expect 2 '^NTP CRITICAL: No response from NTP server$' 1500 -- -H 127.0.0.1 -p 13019 -t 1
msp_done
