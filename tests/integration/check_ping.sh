#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_ping inside the private network namespace of tests/integration/run.sh: echo to 127.0.0.1
# and ::1 (raw sockets as root; ICMP datagram sockets as nobody once net.ipv4.ping_group_range
# of this namespace lets nogroup have them, and the reason when it does not); an address with
# no route here (only lo is up), routes of type unreachable and prohibit; 127.0.0.1 and ::1
# made silent with net.ipv4.icmp_echo_ignore_all / net.ipv6.icmp.echo_ignore_all (100% loss);
# the pacing (one packet a second, closer when -t is short) and every silent case ending within
# -t plus 0.5 s, never OK; ICMP host unreachable and time exceeded from a scripted "router"
# (tests/helpers/icmp_unreach.py) on the sockets' error queues.  With tc's netem (sch_netem) on
# lo: loss and delay for the thresholds (skipped when the kernel lacks it).  The timings are
# printed.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
msp_plugin check_ping
msp_tmpdir ping
msp_need ip sysctl
msp_need_root "needs root for the namespace's sysctls and routes"
T2='-w 100,20% -c 500,60%'
perf_ok='\|rta=[0-9]+\.[0-9]{6}ms;100\.000000;500\.000000;0\.000000 pl=0%;20;60;0;$'

# ---- answers: the reference's line, one packet a second ------------------------------------------
# shellcheck disable=SC2086 # T2 is two options
expect 0 "^PING OK - Packet loss = 0%, RTA = [0-9]+\.[0-9]{2} ms$perf_ok" -H 127.0.0.1 $T2 -p 3
ok "3 packets one second apart: ${took} ms (2000..3000)" test "$took" -ge 1950 -a "$took" -lt 3000
# shellcheck disable=SC2086
{
	expect 0 "^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms$perf_ok" -H ::1 $T2 -p 2
	expect 0 "^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms$perf_ok" -6 -H ::1 $T2 -p 1
	expect 0 "^PING OK - Packet loss = 0%" -4 -H localhost $T2 -p 1
	expect 0 "^PING OK - Packet loss = 0%" --hostname=127.0.0.1 --warning=100,20% --critical=500,60% --packets=1
	expect 3 "^PING UNKNOWN - cannot resolve '::1'" -4 -H ::1 $T2 -p 1
	# the thresholds: RTA at or over the limit alerts (-w 0 always does)
	expect 1 '^PING WARNING - Packet loss = 0%, RTA = [0-9.]+ ms\|rta=[0-9.]+ms;;500\.000000;0\.000000 pl=0%;20;60;0;$' \
		-H 127.0.0.1 -w 0,20% -c 500,60% -p 1
	expect 2 '^PING CRITICAL - Packet loss = 0%, RTA = [0-9.]+ ms\|rta=[0-9.]+ms;;;0\.000000 ' \
		-H 127.0.0.1 -w 0,20% -c 0,60% -p 1
	expect 1 '^PING WARNING - Packet loss = 0%' -H 127.0.0.1 -w 100,0% -c 500,60% -p 1
	expect 0 "^<A HREF='/nagios/cgi-bin/traceroute\.cgi\?127\.0\.0\.1'>PING OK - Packet loss = 0%, RTA = [0-9.]+ ms</A>$perf_ok" \
		-H 127.0.0.1 $T2 -p 1 -L
	expect 0 "^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms$perf_ok" -H 127.0.0.1 $T2 -p 1 -L -n
	# -t shorter than -p packets a second apart: closer together, the whole run within -t
	expect 0 '^PING OK - Packet loss = 0%' 3000 -- -H 127.0.0.1 $T2 -p 10 -t 3
	echo "     10 packets in -t 3: ${took} ms"
}

# ---- no route, unreachable, prohibited: at once, CRITICAL with the reason ------------------------------
ip route add unreachable 10.7.0.0/16
ip route add prohibit 10.6.0.0/16
# shellcheck disable=SC2086
{
	expect 2 '^PING CRITICAL - Network Unreachable \(10\.0\.0\.1\)$' 1000 -- -H 10.0.0.1 $T2 -t 3
	echo "     no route: ${took} ms"
	expect 2 '^PING CRITICAL - Host Unreachable \(10\.7\.0\.1\)$' 1000 -- -H 10.7.0.1 $T2 -t 3
	expect 2 '^PING CRITICAL - Packet Filtered \(10\.6\.0\.1\)$' 1000 -- -H 10.6.0.1 $T2 -t 3
	# several hosts: the first that answers is alive
	expect 0 '^PING OK - 127\.0\.0\.1 is alive$' -H 10.0.0.1 -H 127.0.0.1 $T2 -p 1
}

# ---- silent hosts: 100% loss, within -t plus 0.5 s -------------------------------------------------------
sysctl -q -w net.ipv4.icmp_echo_ignore_all=1
sysctl -q -w net.ipv6.icmp.echo_ignore_all=1 2>/dev/null || true
# shellcheck disable=SC2086
{
	expect 2 '^PING CRITICAL - Packet loss = 100%\| rta=U;100\.000000;500\.000000;; pl=100%;20;60;0;$' \
		3500 -- -H 127.0.0.1 $T2 -p 5 -t 3
	echo "     silent 127.0.0.1, -p 5 -t 3: ${took} ms"
	expect 2 '^PING CRITICAL - Packet loss = 100%\| rta=U;' 2500 -- -H 127.0.0.1 $T2 -p 2 -t 2
	echo "     silent 127.0.0.1, -p 2 -t 2: ${took} ms"
	if sysctl -n net.ipv6.icmp.echo_ignore_all 2>/dev/null | grep -q 1; then
		expect 2 '^PING CRITICAL - Packet loss = 100%\| rta=U;' 3500 -- -H ::1 $T2 -p 3 -t 3
		echo "     silent ::1, -p 3 -t 3: ${took} ms"
	fi
	# -p 1 and the default -t 10: the reply is awaited twice the critical RTA (1 s at least), not 10 s
	expect 2 '^PING CRITICAL - Packet loss = 100%' 1600 -- -H 127.0.0.1 $T2 -p 1
	# hostalive's thresholds (-c 5000,100%): 100% loss is critical
	expect 2 '^PING CRITICAL - Packet loss = 100%' 3500 -- -H 127.0.0.1 -w 3000,80% -c 5000,100% -p 2 -t 3
	expect 2 '^PING CRITICAL - no host answered \(2 tried\)$' 3500 -- -H 10.0.0.1 -H 127.0.0.1 $T2 -p 2 -t 3
	expect_output '\n127\.0\.0\.1: Packet loss = 100%\n'
}
# ICMP errors on the socket's error queue (IP_RECVERR): a scripted "router" on lo answers each
# echo request with host unreachable, then time to live exceeded, quoting the request
if command -v python3 >/dev/null; then
	icmp_peer() {
		python3 "$top_srcdir/tests/helpers/icmp_unreach.py" "$@" "$work/icmp.pid" >/dev/null 2>&1 &
		msp_wait 10 test -s "$work/icmp.pid" || fail "icmp_unreach.py $* did not start"
		sleep 0.2
	}
	icmp_stop() {
		[ -s "$work/icmp.pid" ] && kill "$(cat "$work/icmp.pid")" 2>/dev/null
		rm -f "$work/icmp.pid"
		return 0
	}
	msp_on_exit icmp_stop
	icmp_peer 3 1
	# shellcheck disable=SC2086
	expect 2 '^PING CRITICAL - Host Unreachable \(127\.0\.0\.1\)$' 1500 -- -H 127.0.0.1 $T2 -p 3 -t 3
	echo "     ICMP host unreachable: ${took} ms"
	if command -v setpriv >/dev/null; then
		sysctl -q -w net.ipv4.ping_group_range='0 2147483647'
		# shellcheck disable=SC2086
		expect_cmd 2 '^PING CRITICAL - Host Unreachable \(127\.0\.0\.1\)$' 1500 -- \
			setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$plugin" -H 127.0.0.1 $T2 -p 3 -t 3
		sysctl -q -w net.ipv4.ping_group_range='1 0'
	fi
	icmp_stop
	icmp_peer 11 0
	# shellcheck disable=SC2086
	expect 2 '^PING CRITICAL - Time to live exceeded \(127\.0\.0\.1\)$' 1500 -- -H 127.0.0.1 $T2 -p 3 -t 3
	icmp_stop
else
	echo "skip: python3 is not installed: the ICMP error cases"
fi
sysctl -q -w net.ipv4.icmp_echo_ignore_all=0
sysctl -q -w net.ipv6.icmp.echo_ignore_all=0 2>/dev/null || true

# ---- unprivileged: ICMP datagram sockets when ping_group_range allows, the reason when not -------------
if command -v setpriv >/dev/null; then
	msp_wrap=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
	sysctl -q -w net.ipv4.ping_group_range='0 2147483647'
	# shellcheck disable=SC2086
	expect 0 "^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms$perf_ok" -H 127.0.0.1 $T2 -p 2
	# shellcheck disable=SC2086
	expect 0 "^PING OK - Packet loss = 0%" -H ::1 $T2 -p 1
	# the datagram socket's errors: no route, an unreachable route
	# shellcheck disable=SC2086
	expect 2 '^PING CRITICAL - Network Unreachable \(10\.0\.0\.1\)$' 1000 -- -H 10.0.0.1 $T2 -t 3
	# shellcheck disable=SC2086
	expect 2 '^PING CRITICAL - Host Unreachable \(10\.7\.0\.1\)$' 1000 -- -H 10.7.0.1 $T2 -t 3
	sysctl -q -w net.ipv4.ping_group_range='1 0'
	# shellcheck disable=SC2086
	expect 3 '^PING UNKNOWN - cannot open an ICMP socket: Operation not permitted \(this group is not in net\.ipv4\.ping_group_range and CAP_NET_RAW is missing\)$' \
		-H 127.0.0.1 $T2 -p 1
	msp_wrap=()
else
	echo "skip: setpriv (util-linux) is missing: the unprivileged cases"
fi

# ---- loss and delay with netem, where the kernel has it --------------------------------------------------
if command -v tc >/dev/null && tc qdisc add dev lo root netem delay 150ms 2>/dev/null; then
	# shellcheck disable=SC2086
	expect 1 '^PING WARNING - Packet loss = 0%, RTA = (29[0-9]|3[0-9][0-9])\.[0-9]{2} ms' -H 127.0.0.1 $T2 -p 2
	tc qdisc change dev lo root netem loss 50%
	# 20 packets at 50% loss each way: some come back, most do not
	expect 2 '^PING CRITICAL - Packet loss = ([6-9][0-9])%, RTA' -H 127.0.0.1 $T2 -p 20 -t 8
	tc qdisc del dev lo root
else
	echo "skip: tc netem is not available here (the kernel lacks sch_netem): loss and delay on lo"
fi
msp_done
