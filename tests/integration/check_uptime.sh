#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_uptime right after a "reboot": in a time namespace (unshare -T) the
# boot clock, and so /proc/uptime, starts where we say, so the plugin reads a
# real kernel uptime of a minute, an hour and a year without a reboot.
# Needs root and time namespaces (Linux 5.6); skips (77) without.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
msp_plugin check_uptime
msp_need_root "time namespaces (unshare -T) need root and Linux 5.6"
unshare -T --boottime 0 true 2>/dev/null || msp_skip "time namespaces (unshare -T) need root and Linux 5.6"
up=$(cut -d. -f1 /proc/uptime)

# at UPTIME_S WANT_RC REGEX ARGS...: run with /proc/uptime at about UPTIME_S
at() {
	local secs=$1 want=$2 re=$3
	shift 3
	expect_cmd "$want" "$re" unshare -T --boottime $((secs - up)) "$plugin" "$@"
}
at 60 2 '^UPTIME CRITICAL - up for 1m( 0s| 1s)? - less than 15m: rebooted recently \| uptime=6[01]s;1800:;900:;0$' --warning 30m --critical 15m
at 1200 1 '^UPTIME WARNING - up for 20m' --warning 30m --critical 15m
at 3600 0 '^UPTIME OK - up for 1h' --warning 30m --critical 15m
at 31622400 2 '^UPTIME CRITICAL - up for 366 days' -w 10m:26w -c 5m:52w --for
at 600 0 '^UPTIME OK - up since .* \(10 minutes\)' -w 5m: --for --since
msp_done
