#!/bin/sh
# Give the check_load CLI cases a recorded /proc/loadavg in $TMP (see tests/fixtures/check_load/README.md).
set -e
cp "$top_srcdir/tests/fixtures/check_load/loadavg_idle.txt" "$TMP/loadavg"
chmod u+w "$TMP/loadavg"
