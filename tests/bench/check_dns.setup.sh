#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The DNS zone of tests/helpers/dns_zone.sh on 127.0.0.1:53 for tests/bench/check_dns.args, only in
# a private network namespace (loopback its only interface): the machine's own port 53 is never
# touched.  The servers end by themselves after ten minutes (the runner has no teardown step).
set -e
: "${TMP:?TMP must name a directory}"
: "${top_srcdir:?top_srcdir must be set}"
if [ "$(ip -o link show 2>/dev/null | wc -l)" != 1 ] || ! ip -o link show lo >/dev/null 2>&1; then
	echo "check_dns.setup.sh: not inside a private network namespace: check_dns skipped" \
		"(unshare -n sh -c 'ip link set lo up && make bench')" >&2
	exit 1
fi
# shellcheck source=../helpers/dns_zone.sh
. "$top_srcdir/tests/helpers/dns_zone.sh"
dns_zone_start "$TMP" 53 5300
# the pids now: the runner removes $TMP (and the pid files in it) when it ends
pids="$(cat "$TMP/dnsmasq.pid") $(cat "$TMP/dns_peer.pid")"
# shellcheck disable=SC2086 # two pids
(sleep 600; kill $pids) </dev/null >/dev/null 2>&1 &
