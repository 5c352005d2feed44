#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Stop what tests/diff/check_ntp_time.setup.sh started.
: "${TMP:?TMP must name a directory}"
[ -f "$TMP/pids" ] && kill $(cat "$TMP/pids") 2>/dev/null
for p in "$TMP"/chrony-*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null; done
exit 0
