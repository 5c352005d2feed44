#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The DNS zone of tests/helpers/dns_zone.sh for tests/diff/check_dns.args: dnsmasq on
# 127.0.0.1:53 (the reference runs nslookup, which cannot be given a port) and dns_peer.py on
# 5300 behind it.  Only inside the private network namespace the table's first line asks
# tests/diff/run.sh for (MSP_DIFF_NETNS=1): port 53 of the machine itself is never touched.
set -e
: "${TMP:?TMP must name a directory}"
: "${top_srcdir:?top_srcdir must be set}"
if [ "${MSP_DIFF_NETNS:-}" != 1 ]; then
	echo "check_dns.setup.sh: not inside a private network namespace: refusing to start a DNS server" >&2
	exit 1
fi
for tool in dnsmasq dig python3; do
	command -v "$tool" >/dev/null || { echo "check_dns.setup.sh: $tool is not installed" >&2; exit 1; }
done
# shellcheck source=../helpers/dns_zone.sh
. "$top_srcdir/tests/helpers/dns_zone.sh"
dns_zone_start "$TMP" 53 5300
