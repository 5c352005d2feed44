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
: "${PLUGINDIR:?}"
plugin=$PLUGINDIR/check_swap
ref=${MSP_REFDIR:-/usr/lib/nagios/plugins}/check_swap

if [ "$(id -u)" != 0 ]; then
	echo "skip: needs root to add a swap file"
	exit 77
fi
for tool in mkswap swapon swapoff; do
	if ! command -v "$tool" >/dev/null; then
		echo "skip: $tool is missing (util-linux)"
		exit 77
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/check_swap.XXXXXX")
swapfile=$work/swapfile
cleanup() {
	swapoff "$swapfile" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

fail=0
check() { # DESCRIPTION WANT_RC ARGS... : our exit code
	local what=$1 want=$2 rc
	shift 2
	"$plugin" "$@" >"$work/out" 2>&1
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL $what: check_swap $* exited $rc, want $want: $(head -n 1 "$work/out")"
		fail=1
	else
		echo "ok   $what: $(head -n 1 "$work/out")"
	fi
}
same() { # ARGS... : our exit code equals the reference's
	local r o
	"$ref" "$@" >"$work/ref" 2>&1
	r=$?
	"$plugin" "$@" >"$work/out" 2>&1
	o=$?
	if [ "$r" != "$o" ]; then
		echo "FAIL same: check_swap $*: reference $r, ours $o"
		echo "    ref:  $(head -n 1 "$work/ref")"
		echo "    ours: $(head -n 1 "$work/out")"
		fail=1
	else
		echo "ok   same ($o): check_swap $*"
	fi
}

dd if=/dev/zero of="$swapfile" bs=1M count=64 status=none && chmod 600 "$swapfile"
if ! mkswap "$swapfile" >/dev/null 2>&1 || ! swapon "$swapfile" 2>"$work/err"; then
	echo "skip: cannot add a swap file here: $(cat "$work/err" 2>/dev/null)"
	exit 77
fi
# our file as /proc/swaps names it, and its size in KiB
line=$(awk -v f="$swapfile" '$1 == f' /proc/swaps)
if [ -z "$line" ]; then
	echo "FAIL: $swapfile is not in /proc/swaps after swapon"
	exit 1
fi
size_kib=$(echo "$line" | awk '{print $3}')
total_kib=$(awk '$1 == "SwapTotal:" {print $2}' /proc/meminfo)
echo "swap file: $line (SwapTotal now $total_kib kB)"

check "with swap, generous thresholds" 0 -w 1% -c 1 -n critical
grep -Eq "^SWAP OK - [0-9]+% free \([0-9]+MB out of $((total_kib / 1024))MB\) \|swap=[0-9]+B;[0-9]+;1;0;$((total_kib * 1024))\$" \
	"$work/out" || { echo "FAIL summary/perfdata: $(head -n 1 "$work/out")"; fail=1; }
check "all free swap at or below 100%" 1 -w 100% -c 1
check "a size above the swap" 2 -w 10GB -c 5GB
check "-a lists our file" 0 -a -w 1% -c 1 --output-format=multi-line
grep -Fq "$swapfile: " "$work/out" || { echo "FAIL -a does not list $swapfile"; fail=1; }
grep -q "$swapfile: [0-9]*% free ([0-9]*MB out of $((size_kib / 1024))MB)" "$work/out" ||
	{ echo "FAIL -a line for $swapfile: $(grep -F "$swapfile" "$work/out")"; fail=1; }
check "-n does not apply while there is swap" 0 -w 1% -c 1 -n unknown

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
	"$ref" -w 10GB -c 1 >/dev/null 2>&1
	r=$?
	if [ "$r" != 0 ]; then
		echo "FAIL: the reference check_swap -w 10GB changed: $r, want 0 (10 bytes)"
		fail=1
	else
		echo "ok   documented difference: reference -w 10GB is 10 bytes (rc 0), ours is 10 GiB (rc 1)"
	fi
else
	echo "note: $ref missing, no comparison with the reference"
fi

swapoff "$swapfile"
if grep -Fq "$swapfile" /proc/swaps; then
	echo "FAIL: swapoff left $swapfile active"
	fail=1
fi
exit "$fail"
