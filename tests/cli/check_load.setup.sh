#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Give the check_load CLI cases recorded /proc/loadavg files (see tests/fixtures/check_load/README.md):
# $TMP/loadavg (idle), $TMP/busy/loadavg, $TMP/truncated/loadavg, and an ini file for --extra-opts.
set -e
fx="$top_srcdir/tests/fixtures/check_load"
cp "$fx/loadavg_idle.txt" "$TMP/loadavg"
mkdir -p "$TMP/busy" "$TMP/truncated"
cp "$fx/loadavg_busy.txt" "$TMP/busy/loadavg"
cp "$fx/loadavg_truncated.txt" "$TMP/truncated/loadavg"
chmod u+w "$TMP/loadavg" "$TMP/busy/loadavg" "$TMP/truncated/loadavg"
cat >"$TMP/plugins.ini" <<'INI'
[check_load]
warning=5
critical=10
[tight]
warning=0.1
critical=0.3
INI
