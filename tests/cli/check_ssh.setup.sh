#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Unix-socket peers for the check_ssh CLI cases (no network): $TMP/ssh.sock answers with an
# OpenSSH identification, $TMP/pre.sock with two lines before it, $TMP/smtp.sock with an SMTP
# banner (tests/helpers/tcp_peer.py, each ending by itself after two minutes).
set -eu
: "${TMP:?TMP must name a directory}"
: "${top_srcdir:?top_srcdir must be set}"
peer=$top_srcdir/tests/helpers/tcp_peer.py
serve() { # SOCKET TEXT
	timeout 120 python3 "$peer" banner "$TMP/$1" "$2" </dev/null >/dev/null 2>&1 &
}
serve ssh.sock 'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'
serve pre.sock 'Welcome\r\nauthorised use only\r\nSSH-1.99-Cisco-1.25\r\n'
serve smtp.sock '220 mail.msp.test ESMTP\r\n'
for s in ssh pre smtp; do
	for _ in $(seq 100); do [ -S "$TMP/$s.sock" ] && break; sleep 0.05; done
	[ -S "$TMP/$s.sock" ] || { echo "check_ssh.setup.sh: $s.sock did not appear" >&2; exit 1; }
done
