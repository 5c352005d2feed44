#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Kill the processes check_procs.setup.sh started (the zombie goes with its parent).
set -u
: "${TMP:?TMP must be set}"
[ -f "$TMP/pids" ] || exit 0
# shellcheck disable=SC2046
kill -KILL $(cat "$TMP/pids") 2>/dev/null
exit 0
