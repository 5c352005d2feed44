#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Stop the servers of check_tcp.setup.sh.
[ -f "$TMP/pids" ] || exit 0
# shellcheck disable=SC2046 # one pid a line
kill $(cat "$TMP/pids") 2>/dev/null
exit 0
