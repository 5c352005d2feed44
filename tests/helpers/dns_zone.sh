# SPDX-License-Identifier: GPL-3.0-or-later
# tests/helpers/dns_zone.sh - the local DNS zone of the check_dns tests: dnsmasq on
# 127.0.0.1:PORT with the names below, and tests/helpers/dns_peer.py behind it for the
# answers dnsmasq cannot give by itself.  Only inside a private network namespace
# (tests/integration/run.sh, tests/diff/run.sh for check_dns): 127.0.0.1 only.
#
#   dns_zone_start DIR PORT PEERPORT   start both (pid files in DIR); false when one did not come up
#   dns_zone_stop DIR                  stop them
#
# dnsmasq (--no-resolv: nothing goes out) answers
#   host.test A 127.0.0.10            multi.test A 127.0.0.11 and 127.0.0.12
#   v6.test AAAA ::1                  both.test A 127.0.0.13 and AAAA ::2
#   alias.test CNAME host.test.       txt.test TXT "hello world"
#   mx.test MX 10 mail.test.          mail.test A 127.0.0.20
#   ns.test A 127.0.0.1 (the server itself: -s ns.test)
#   10.0.0.127.in-addr.arpa PTR host.test. (from the host record)
#   any other name under test.        NXDOMAIN (authoritative: --local)
#   a name outside test. and peer.example: REFUSED (no upstream server)
# and forwards peer.example to dns_peer.py (servfail., refused., noaa., aa., empty.,
# silent. ... .peer.example: see its header).
# shellcheck shell=bash

dns_zone_start() {
	local dir=$1 port=$2 peer=$3 i
	python3 "${top_srcdir:?}/tests/helpers/dns_peer.py" "$peer" >"$dir/dns_peer.log" 2>&1 &
	echo $! >"$dir/dns_peer.pid"
	dnsmasq --pid-file="$dir/dnsmasq.pid" --user=root --group=root --no-resolv --no-hosts \
		--port="$port" --listen-address=127.0.0.1 --bind-interfaces --log-facility="$dir/dnsmasq.log" \
		--local=/test/ --host-record=host.test,127.0.0.10 \
		--host-record=multi.test,127.0.0.11 --host-record=multi.test,127.0.0.12 \
		--host-record=v6.test,::1 --host-record=both.test,127.0.0.13,::2 \
		--cname=alias.test,host.test --txt-record=txt.test,"hello world" \
		--mx-host=mx.test,mail.test,10 --host-record=mail.test,127.0.0.20 --host-record=ns.test,127.0.0.1 \
		--server="/peer.example/127.0.0.1#$peer" --no-negcache --cache-size=0 || return 1
	for i in $(seq 1 50); do
		[ -s "$dir/dnsmasq.pid" ] && [ -n "$(dig +short +time=1 +tries=1 -p "$port" @127.0.0.1 host.test 2>/dev/null)" ] &&
			return 0
		sleep 0.1
	done
	return 1
}

dns_zone_stop() {
	local dir=$1 f
	for f in "$dir/dnsmasq.pid" "$dir/dns_peer.pid"; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
		rm -f "$f"
	done
	return 0
}
