#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Routes for tests/diff/check_ping.args, which runs in a private network namespace (its first
# line asks tests/diff/run.sh for one): only lo is up, 10.0.0.0/8 has no route, and two routes
# answer for themselves: 10.7.0.0/16 unreachable (EHOSTUNREACH), 10.6.0.0/16 prohibit (EACCES).
# Both plugins ping as root here (the reference through /bin/ping, ours through a raw socket).
set -e
[ -n "${MSP_DIFF_NETNS:-}" ] || exit 0
ip route add unreachable 10.7.0.0/16
ip route add prohibit 10.6.0.0/16
