#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_dns against real DNS servers on 127.0.0.1 inside the private network namespace of
# tests/integration/run.sh: dnsmasq with a local zone (tests/helpers/dns_zone.sh: host, CNAME,
# TXT, MX and reverse records, NXDOMAIN for the rest of test., REFUSED outside it) on a high
# port (--port), with tests/helpers/dns_peer.py behind it for SERVFAIL, FORMERR, answers
# without authority and an upstream that never answers; and dns_peer.py alone as a silent UDP
# listener, a server that answers garbage and one that answers with the wrong query id.  Every
# hostile case must end within -t plus 0.5 s and never be OK; the timings are printed.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
msp_plugin check_dns
msp_need python3 dnsmasq dig
msp_tmpdir dns
# shellcheck source=../helpers/dns_zone.sh
. "$top_srcdir/tests/helpers/dns_zone.sh"
peer=$top_srcdir/tests/helpers/dns_peer.py

port=$(free_port) || msp_skip "no free port"
pport=$((port + 1))
msp_on_exit dns_zone_stop "$work"
dns_zone_start "$work" "$port" "$pport" || {
	cat "$work/dnsmasq.log" "$work/dns_peer.log" 2>/dev/null
	fail "dnsmasq on 127.0.0.1:$port did not start"
	msp_done
}
pids=()
stop_peers() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
}
msp_on_exit stop_peers
# start_peer MODE PORT: dns_peer.py answering every question as MODE
start_peer() {
	python3 "$peer" "$2" --mode "$1" >/dev/null 2>&1 &
	pids+=($!)
}
silent=$((port + 2)) garbage=$((port + 3)) wrongid=$((port + 4)) nobody=$((port + 5))
start_peer silent "$silent"
start_peer garbage "$garbage"
start_peer wrongid "$wrongid"
sleep 0.5
S=(-s 127.0.0.1 --port "$port")
T='[0-9]+\.[0-9]{3} seconds? response time\.'
P='\|time=[0-9]+\.[0-9]{6}s;'

echo "# answers: the reference's line 1 and perfdata"
expect 0 "^DNS OK: $T host\.test returns 127\.0\.0\.10${P};;0\.000000$" -H host.test "${S[@]}"
expect 0 "^DNS OK: $T multi\.test returns 127\.0\.0\.11,127\.0\.0\.12$P" -H multi.test "${S[@]}"
expect 0 "^DNS OK: $T both\.test returns 127\.0\.0\.13,::2$P" -H both.test "${S[@]}"
expect 0 "^DNS OK: $T v6\.test returns ::1$P" -H v6.test "${S[@]}"
expect 0 "^DNS OK: $T alias\.test returns 127\.0\.0\.10$P" -H alias.test "${S[@]}"
expect 0 "^DNS OK: $T 127\.0\.0\.10 returns host\.test\.$P" -H 127.0.0.10 "${S[@]}"
expect 0 "^DNS OK: $T host\.test returns 127\.0\.0\.10$P" -H host.test -s localhost --port "$port"
expect 0 "^DNS OK: $T host\.test returns 127\.0\.0\.10$P" --hostname=host.test --server=127.0.0.1 --port="$port"
expect 0 "${P}5\.000000;10\.000000;0\.000000$" -H host.test "${S[@]}" -w 5 -c 10
expect 1 "^DNS WARNING: $T host\.test returns 127\.0\.0\.10${P}0\.000001;;0\.000000$" -H host.test "${S[@]}" -w 0.000001
expect 2 "^DNS CRITICAL: $T host\.test" -H host.test "${S[@]}" -w 0.000001 -c 0.000002

echo "# -q: the record types"
expect 0 "^DNS OK: $T host\.test returns 127\.0\.0\.10$P" -H host.test "${S[@]}" -q A
expect 0 "^DNS OK: $T both\.test returns ::2$P" -H both.test "${S[@]}" -q AAAA
expect 0 "^DNS OK: $T mx\.test returns 10 mail\.test\.$P" -H mx.test "${S[@]}" -q MX
expect 0 "^DNS OK: $T alias\.test returns host\.test\.$P" -H alias.test "${S[@]}" -q CNAME
expect 0 "^DNS OK: $T txt\.test returns hello world$P" -H txt.test "${S[@]}" -q txt
expect 0 "^DNS OK: $T 10\.0\.0\.127\.in-addr\.arpa returns host\.test\.$P" -H 10.0.0.127.in-addr.arpa "${S[@]}" -q PTR
expect 0 "^DNS OK: $T 127\.0\.0\.10 returns host\.test\.$P" -H 127.0.0.10 "${S[@]}" -q PTR
expect 0 "^DNS OK: $T records\.x returns ns\.peer\.example\. hostmaster\.peer\.example\. 2026120801 3600 600 86400 60$P" \
	-H records.x -s 127.0.0.1 --port "$pport" -q SOA
expect 0 "^DNS OK: $T records\.x returns ns\.peer\.example\.$P" -H records.x -s 127.0.0.1 --port "$pport" -q NS
expect 0 "^DNS OK: $T records\.x returns 1 2 5060 sip\.peer\.example\.$P" -H records.x -s 127.0.0.1 --port "$pport" -q SRV
expect 0 "returns 1 2 5060 sip\.peer\.example\.,10 mail\.peer\.example\.,helloa\\\\174b\\\\001c,ns\.peer" \
	-H records.x -s 127.0.0.1 --port "$pport" -q ANY
expect 0 "^DNS OK: $T mx\.test returns 10 mail\.test\.$P" -H mx.test "${S[@]}" -q MX -a '10 mail.test.'
expect 2 "^DNS CRITICAL - Domain 'mx\.test' has no AAAA record at DNS 127\.0\.0\.1 \(an empty answer\)$" \
	-H mx.test "${S[@]}" -q AAAA

echo "# -a, -L, -A, -n"
expect 0 "^DNS OK: $T multi\.test returns" -H multi.test "${S[@]}" -a 127.0.0.12
expect 0 "^DNS OK: " -H multi.test "${S[@]}" -a 127.0.0.12,127.0.0.11 -L
expect 0 "^DNS OK: " -H multi.test "${S[@]}" -a 127.0.0.8/30 -a 127.0.0.12/32 -L
expect 2 "^DNS CRITICAL - expected '127\.0\.0\.11' but got '127\.0\.0\.11,127\.0\.0\.12'$" -H multi.test "${S[@]}" -a 127.0.0.11 -L
expect 2 "^DNS CRITICAL - expected '10\.0\.0\.0/8; 127\.0\.0\.99' but got '127\.0\.0\.10'$" -H host.test "${S[@]}" -a 10.0.0.0/8,127.0.0.99
expect 0 "^DNS OK: " -H host.test "${S[@]}" -A
expect 0 "^DNS OK: $T aa\.peer\.example returns 127\.0\.0\.41" -H aa.peer.example "${S[@]}" -A
expect 2 "^DNS CRITICAL - server 127\.0\.0\.1 is not authoritative for noaa\.peer\.example$" -H noaa.peer.example "${S[@]}" -A
expect 0 "^DNS OK: $T nx\.test returns NXDOMAIN$P" -H nx.test "${S[@]}" -n
expect 2 "^DNS CRITICAL - Domain 'host\.test' was found by the server: '127\.0\.0\.10'$" -H host.test "${S[@]}" -n
expect 2 "^DNS CRITICAL - Domain 'empty\.peer\.example' has no A or AAAA record" -H empty.peer.example "${S[@]}" -n

echo "# failures: each its own words, none OK"
expect 2 "^DNS CRITICAL - Domain 'nx\.test' was not found by the server$" -H nx.test "${S[@]}"
expect 2 "^DNS CRITICAL - Domain 'txt\.test' has no A or AAAA record at DNS 127\.0\.0\.1 \(an empty answer\)$" -H txt.test "${S[@]}"
expect 2 "^DNS CRITICAL - Server failure at DNS 127\.0\.0\.1 for 'servfail\.peer\.example' \(SERVFAIL\)$" \
	-H servfail.peer.example "${S[@]}"
expect 2 "^DNS CRITICAL - Query was refused by DNS server at 127\.0\.0\.1 for 'foo\.other' \(REFUSED\)$" -H foo.other "${S[@]}"
expect 2 "^DNS CRITICAL - Query was refused by DNS server at 127\.0\.0\.1 for 'refused\.peer\.example' \(REFUSED\)$" \
	-H refused.peer.example "${S[@]}"
expect 2 "^DNS CRITICAL - DNS 127\.0\.0\.1 answered 'formerr\.peer\.example' with FORMERR$" -H formerr.peer.example "${S[@]}"
expect 2 "^DNS CRITICAL - DNS 127\.0\.0\.1 answered 'notimp\.peer\.example' with NOTIMP$" -H notimp.peer.example "${S[@]}"
expect 2 "^DNS CRITICAL - No response from DNS 127\.0\.0\.1: connection refused or unreachable$" 1000 -- \
	-H host.test -s 127.0.0.1 --port "$nobody"
# -s NAME: looked up through resolv.conf's servers on --port's port: a private /etc/resolv.conf
# (a mount namespace) names 127.0.0.1, so the lookup asks the zone itself
if unshare -m true 2>/dev/null; then
	echo "nameserver 127.0.0.1" >"$work/resolv.conf"
	in_resolv=(unshare -m sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' sh "$work/resolv.conf")
	expect_cmd 0 "^DNS OK: $T host\.test returns 127\.0\.0\.10$P" "${in_resolv[@]}" "$plugin" -H host.test -s ns.test --port "$port"
	expect_cmd 3 "^DNS UNKNOWN - cannot find the DNS server 'no\.such\.test': " "${in_resolv[@]}" "$plugin" -H host.test \
		-s no.such.test --port "$port"
	expect_cmd 3 "^DNS UNKNOWN - cannot find the DNS server 'no\.such\.test': " 1000 -- "${in_resolv[@]}" "$plugin" -H host.test \
		-s no.such.test --port "$nobody"
else
	echo "note: unshare -m does not work here: -s NAME through resolv.conf not tested"
fi

echo "# hostile servers: within -t plus 0.5 s, never OK"
expect 2 "^DNS CRITICAL - No response from DNS 127\.0\.0\.1 within the 2 s timeout$" 2500 -- \
	-H host.test -s 127.0.0.1 --port "$silent" -t 2
expect 2 "^DNS CRITICAL - No response from DNS 127\.0\.0\.1 within the 3 s timeout$" 3500 -- \
	-H host.test -s 127.0.0.1 --port "$silent" -t 3
expect 1 "^DNS WARNING - No response from DNS 127\.0\.0\.1 within the 2 s timeout$" 2500 -- \
	-H host.test -s 127.0.0.1 --port "$silent" -t 2:WARNING
expect 3 "^DNS UNKNOWN - No response from DNS" 2500 -- -H host.test -s 127.0.0.1 --port "$silent" -t 2 --timeout-result=unknown
expect 2 "^DNS CRITICAL - No response from DNS 127\.0\.0\.1 within the 2 s timeout$" 2500 -- \
	-H host.test -s 127.0.0.1 --port "$garbage" -t 2
expect 2 "^DNS CRITICAL - No response from DNS 127\.0\.0\.1 within the 2 s timeout$" 2500 -- \
	-H host.test -s 127.0.0.1 --port "$wrongid" -t 2
expect 2 "^DNS CRITICAL - No response from DNS 127\.0\.0\.1 within the 2 s timeout$" 2500 -- \
	-H silent.peer.example "${S[@]}" -t 2
expect 2 "^DNS CRITICAL - No response from DNS 127\.0\.0\.1 within the 4 s timeout$" 4500 -- \
	-H silent.peer.example "${S[@]}" -t 4 -q MX

echo "# output formats"
expect 0 '"state": ?"OK"' -H host.test "${S[@]}" --output-format=json
expect_output '"label": ?"time"'
expect 2 '"state": ?"CRITICAL"' -H nx.test "${S[@]}" --output-format=json
msp_done
