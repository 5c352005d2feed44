#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Unix sockets for the check_tcp CLI and contract cases (no TCP: those run outside the private
# network namespace; TCP servers are tests/integration/check_tcp.sh's): banner.sock, a banner
# server (tests/helpers/tcp_peer.py) that ends by itself after three minutes, and dead.sock, a
# socket file nobody listens on (connection refused).
set -e
: "${TMP:?TMP must name a directory}"
: "${top_srcdir:?top_srcdir must be set}"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$TMP/dead.sock"
setsid timeout 180 python3 "$top_srcdir/tests/helpers/tcp_peer.py" banner "$TMP/banner.sock" '220 cli ready\r\n' \
	</dev/null >/dev/null 2>&1 &
i=0
until [ -S "$TMP/banner.sock" ]; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || { echo "tcp_peer.py did not start" >&2; exit 1; }
	sleep 0.1
done
