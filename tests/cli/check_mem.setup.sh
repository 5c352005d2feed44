#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Give the check_mem CLI cases recorded meminfo files (see tests/fixtures/check_mem/README.md):
# $TMP/idle/meminfo, $TMP/cache/meminfo (3.6 GiB page cache), $TMP/old/meminfo (no MemAvailable),
# $TMP/broken/meminfo (no MemTotal).
set -e
fx="$top_srcdir/tests/fixtures/check_mem"
mkdir -p "$TMP/idle" "$TMP/cache" "$TMP/old" "$TMP/broken"
cp "$fx/meminfo_idle.txt" "$TMP/idle/meminfo"
cp "$fx/meminfo_page_cache.txt" "$TMP/cache/meminfo"
cp "$fx/meminfo_no_memavailable.txt" "$TMP/old/meminfo"
grep -v '^MemTotal' "$fx/meminfo_idle.txt" >"$TMP/broken/meminfo"
chmod -R u+w "$TMP"
cat >"$TMP/plugins.ini" <<'INI'
[check_mem]
warning=1
critical=90
INI
