#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A banner server on a unix socket for tests/bench/check_tcp.args (tests/helpers/tcp_peer.py),
# ending by itself after ten minutes.
set -e
: "${TMP:?TMP must name a directory}"
: "${top_srcdir:?top_srcdir must be set}"
setsid timeout 600 python3 "$top_srcdir/tests/helpers/tcp_peer.py" banner "$TMP/banner.sock" '220 bench ready\r\n' \
	</dev/null >/dev/null 2>&1 &
i=0
until [ -S "$TMP/banner.sock" ]; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || { echo "tcp_peer.py did not start" >&2; exit 1; }
	sleep 0.1
done
