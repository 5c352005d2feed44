#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The servers tests/diff/check_smtp.args (and tests/bench/check_smtp.args) ask, on 127.0.0.1
# only: scripted SMTP servers (tests/helpers/smtp_peer.py) with STARTTLS and a test certificate
# made here that expires in 10 days (and one in 400), one that answers 421, one that sends
# garbage, and a listener that never answers (tests/helpers/tcp_peer.py).  Their ports go to
# $TMP/p_ok, p_400, p_421, p_garb, p_silent and p_closed (nothing listens there), their pids to
# $TMP/pids.  Each ends by itself after ten minutes; check_smtp.teardown.sh stops them.
set -eu
: "${TMP:?TMP must be set}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"

# a TCP port on 127.0.0.1 that nothing listens on (and that no other port file names)
port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		grep -qx "$p" "$TMP"/p_* 2>/dev/null && continue
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || break
	done
	echo "$p"
}

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/k.pem" -out "$TMP/c10.pem" -days 10 \
	-subj /CN=mail.msp.test >/dev/null 2>&1
openssl req -x509 -key "$TMP/k.pem" -out "$TMP/c400.pem" -days 400 -subj /CN=mail.msp.test >/dev/null 2>&1

start() { # SCRIPT FILE MODE [ARGS...]
	local script=$1 file=$2 mode=$3 p
	shift 3
	p=$(port)
	echo "$p" >"$TMP/$file"
	timeout 600 python3 "$top_srcdir/tests/helpers/$script" "$mode" "$p" "$@" </dev/null >/dev/null 2>&1 &
	echo $! >>"$TMP/pids"
	for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && return 0; sleep 0.1; done
	echo "check_smtp.setup.sh: $mode on $p did not start" >&2
	return 1
}
start smtp_peer.py p_ok ok --tls "$TMP/c10.pem" "$TMP/k.pem"
start smtp_peer.py p_400 ok --tls "$TMP/c400.pem" "$TMP/k.pem"
start smtp_peer.py p_421 banner421
start smtp_peer.py p_garb garbage
start tcp_peer.py p_silent silent
port >"$TMP/p_closed"
