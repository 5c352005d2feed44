#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Give the check_swap CLI cases recorded /proc files (see tests/fixtures/check_swap/README.md):
# $TMP/used/{meminfo,swaps}  two swap files, one of them 71% used (total 56% free)
# $TMP/one/{meminfo,swaps}   one idle swap file
# $TMP/none/{meminfo,swaps}  no swap at all
# $TMP/broken/meminfo        a meminfo without the Swap fields
set -e
fx="$top_srcdir/tests/fixtures/check_swap"
mkdir -p "$TMP/used" "$TMP/one" "$TMP/none" "$TMP/broken"
cp "$fx/meminfo_swap_used.txt" "$TMP/used/meminfo"
cp "$fx/swaps_two_files_used.txt" "$TMP/used/swaps"
cp "$fx/meminfo_swap_one_file.txt" "$TMP/one/meminfo"
cp "$fx/swaps_one_file.txt" "$TMP/one/swaps"
cp "$fx/meminfo_no_swap.txt" "$TMP/none/meminfo"
cp "$fx/swaps_none.txt" "$TMP/none/swaps"
grep -v '^Swap' "$fx/meminfo_swap_used.txt" >"$TMP/broken/meminfo"
chmod -R u+w "$TMP"
cat >"$TMP/plugins.ini" <<'INI'
[check_swap]
warning=60%
critical=10%
INI
