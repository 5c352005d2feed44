#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Servers for tests/diff/check_ntp_time.args, which runs in a private network namespace (its
# first line asks tests/diff/run.sh for one), on fixed ports of 127.0.0.1 (all free there):
#   12123 chronyd -x, local stratum 8     12124 chronyd -x, no source (unsynchronised: LI 3)
#   13002 ntp_peer ahead (100 s)          13010 leap   13011 stratum16   13012 kod (RATE)
#   13014 garbage   13016 origin (another origin timestamp)   13019 silent   13099 nothing
# (tests/helpers/ntp_peer.py).  Process ids go to $TMP/pids for the teardown script.  chronyd
# is Debian's chrony; without it the chronyd rows compare "No response" on both sides.
set -e
: "${TMP:?TMP must name a directory}"
: "${top_srcdir:?top_srcdir must be set}"
[ -n "${MSP_DIFF_NETNS:-}" ] || exit 0
peer=$top_srcdir/tests/helpers/ntp_peer.py
start() {
	"$@" </dev/null >/dev/null 2>&1 &
	echo $! >>"$TMP/pids"
}
chrony() {
	printf '%s\n' "port $2" "bindaddress 127.0.0.1" "allow 127.0.0.1" "cmdport 0" "pidfile $TMP/chrony-$1.pid" \
		"driftfile $TMP/chrony-$1.drift" "${@:3}" >"$TMP/chrony-$1.conf"
	chronyd -x -u root -f "$TMP/chrony-$1.conf" >/dev/null 2>&1
}
PATH=$PATH:/usr/sbin
if command -v chronyd >/dev/null; then
	chrony s8 12123 "local stratum 8"
	chrony unsync 12124
fi
start python3 "$peer" ahead 13002
start python3 "$peer" leap 13010
start python3 "$peer" stratum16 13011
start python3 "$peer" kod 13012
start python3 "$peer" garbage 13014
start python3 "$peer" origin 13016
start python3 "$peer" silent 13019
for _ in $(seq 1 50); do
	[ "$(ss -Hlnu 'sport >= :13002' 'sport <= :13019' | wc -l)" -ge 7 ] && break
	sleep 0.1
done
