#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Servers for tests/diff/check_tcp.args and the alias tables (check_ftp, check_pop, check_imap,
# check_clamd, check_udp .args): scripted peers (tests/helpers/tcp_peer.py) and openssl s_server
# on fixed ports of 127.0.0.1 - the tables run in a private network namespace (their first line
# asks tests/diff/run.sh for one), where every port is free - plus a unix socket.  Both plugins
# talk to the same servers.  Their process ids go to $TMP/pids for the teardown script.
#   2201 "220 msp.test ESMTP ready"     2202 closes at once     2203 nothing (refused)
#   2204 answers PONG (clamd)           2205 "+OK POP3 ready"   2206 "* OK IMAP4rev1 ready"
#   2207 "200 news ready"               2210 accepts, never answers
#   2209/udp answers PONG               4431 TLS, 400 days      4432 TLS, 9.5 days left
#   $TMP/banner.sock "220 socket ready"
set -e
: "${TMP:?TMP must name a directory}"
: "${top_srcdir:?top_srcdir must be set}"
peer=$top_srcdir/tests/helpers/tcp_peer.py
start() {
	"$@" </dev/null >/dev/null 2>&1 &
	echo $! >>"$TMP/pids"
}
cd "$TMP"
ago=()
! command -v faketime >/dev/null || ago=(faketime -f -12h)
openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c400.pem -days 400 -subj /CN=tls.msp.test \
	>/dev/null 2>&1
"${ago[@]}" openssl req -x509 -key k.pem -out c10.pem -days 10 -subj /CN=soon.msp.test >/dev/null 2>&1
start python3 "$peer" banner 2201 '220 msp.test ESMTP ready\r\n'
start python3 "$peer" close 2202
start python3 "$peer" reply 2204 'PONG\n'
start python3 "$peer" banner 2205 '+OK POP3 ready\r\n'
start python3 "$peer" banner 2206 '* OK IMAP4rev1 ready\r\n'
start python3 "$peer" banner 2207 '200 news ready\r\n'
start python3 "$peer" silent 2210
start python3 "$peer" reply 2209 'PONG\n' --udp
start python3 "$peer" banner "$TMP/banner.sock" '220 socket ready\r\n'
start openssl s_server -quiet -accept 4431 -cert c400.pem -key k.pem
start openssl s_server -quiet -accept 4432 -cert c10.pem -key k.pem
for port in 2201 2202 2204 2205 2206 2207 2210 4431 4432; do
	i=0
	until ss -Hltn "sport = :$port" | grep -q .; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || { echo "nothing listens on $port" >&2; exit 1; }
		sleep 0.1
	done
done
i=0
until ss -Hlun "sport = :2209" | grep -q . && [ -S "$TMP/banner.sock" ]; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || { echo "the UDP peer or banner.sock did not start" >&2; exit 1; }
	sleep 0.1
done
