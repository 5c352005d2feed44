#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Stop the servers check_smtp.setup.sh started.
set -u
: "${TMP:?TMP must be set}"
[ -f "$TMP/pids" ] || exit 0
# shellcheck disable=SC2046
kill $(cat "$TMP/pids") 2>/dev/null
exit 0
