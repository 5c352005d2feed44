#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Stop the servers of check_dns.setup.sh.
: "${TMP:?TMP must name a directory}"
# shellcheck source=../helpers/dns_zone.sh
. "$top_srcdir/tests/helpers/dns_zone.sh"
dns_zone_stop "$TMP"
