#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_swap with real swap: add a 64 MiB swap file (mkswap + swapon), compare
# our states with the reference's (/usr/lib/nagios/plugins/check_swap) on the
# same arguments, assert our summary and perfdata against /proc/swaps, and
# remove the swap file again (also on failure: trap).  The diff table
# (tests/diff/check_swap.args) covers the machine as it is, usually without
# swap; this covers the other case.
#
# Swap is machine-wide: while this test runs (about a second) every process on
# the machine sees 64 MiB more swap.  Needs root, mkswap/swapon and a
# filesystem that takes swap files; skips (77) without.
# Environment: PLUGINDIR.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
ref=${MSP_REFDIR:-/usr/lib/nagios/plugins}/check_swap

msp_need_root "needs root to add a swap file"
msp_need mkswap swapon swapoff
msp_plugin check_swap
msp_tmpdir check_swap
swapfile=$work/swapfile
msp_on_exit 'swapoff "$swapfile" 2>/dev/null'

# same ARGS...: our exit code equals the reference's
same() {
	local r
	msp_run "$ref" "$@"
	r=$rc
	msp_run "$plugin" "$@"
	if [ "$r" = "$rc" ]; then
		pass "same ($rc): check_swap $*"
	else
		fail "same: check_swap $*: reference $r, ours $rc ($line)"
	fi
}

dd if=/dev/zero of="$swapfile" bs=1M count=64 status=none && chmod 600 "$swapfile"
if ! mkswap "$swapfile" >/dev/null 2>&1 || ! swapon "$swapfile" 2>"$work/err"; then
	msp_skip "cannot add a swap file here: $(cat "$work/err" 2>/dev/null)"
fi
# our file as /proc/swaps names it, and its size in KiB
swapline=$(awk -v f="$swapfile" '$1 == f' /proc/swaps)
if [ -z "$swapline" ]; then
	echo "FAIL: $swapfile is not in /proc/swaps after swapon"
	exit 1
fi
size_kib=$(echo "$swapline" | awk '{print $3}')
total_kib=$(awk '$1 == "SwapTotal:" {print $2}' /proc/meminfo)
echo "swap file: $swapline (SwapTotal now $total_kib kB)"

# with swap, generous thresholds: the summary and perfdata against /proc/meminfo
expect 0 "^SWAP OK - [0-9]+% free \([0-9]+MB out of $((total_kib / 1024))MB\) \|swap=[0-9]+B;[0-9]+;1;0;$((total_kib * 1024))\$" \
	-w 1% -c 1 -n critical
# all free swap is at or below 100%; a size above the swap
expect 1 '^SWAP WARNING - ' -w 100% -c 1
expect 2 '^SWAP CRITICAL - ' -w 10GB -c 5GB
# -a lists our file with its own size
expect 0 '^\[OK\] - [0-9]+% free ' -a -w 1% -c 1 --output-format=multi-line
expect_output "\\\\_\[OK\] - $swapfile: [0-9]+% free \([0-9]+MB out of $((size_kib / 1024))MB\)"
# -n does not apply while there is swap
expect 0 '^SWAP OK - ' -w 1% -c 1 -n unknown

if [ -x "$ref" ]; then
	same -w 1% -c 1
	same -w 100% -c 1
	same -w 100% -c 100%
	same -w 10% -c 5% -n ok
	same -w 100000000000 -c 1
	same -w 100000000000 -c 100000000000
	same -a -w 1% -c 1
	same -w 20% -w 100000000000 -c 1%
	same -c 100%
	same -w 1% -c 1 -n warning
	# documented difference: units count ("10GB" is 10 GiB here, 10 bytes in the reference)
	msp_run "$ref" -w 10GB -c 1
	ok "documented difference: the reference reads -w 10GB as 10 bytes (rc $rc, want 0)" [ "$rc" = 0 ]
	expect 1 '^SWAP WARNING - ' -w 10GB -c 1
else
	echo "note: $ref missing, no comparison with the reference"
fi

swapoff "$swapfile"
swap_gone() {
	! grep -Fq "$swapfile" /proc/swaps
}
ok "swapoff leaves $swapfile inactive" swap_gone
msp_done
