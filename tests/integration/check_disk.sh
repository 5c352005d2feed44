#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_disk against a mount that never answers: tests/helpers/blockfs mounts a
# FUSE filesystem whose daemon never reads a request, so stat() and statvfs()
# on it block as on a dead NFS server.  check_disk must end within its
# timeout, name the mount, and use the timeout state; the other filesystems
# must still be reported.
#
# Runs in a private mount namespace (unshare -m), so the hanging mount is
# invisible to everything else on the machine (other tests run check_disk
# over all mounts).  Needs root, /dev/fuse and unshare; skips (77) without.
# Environment: PLUGINDIR, top_builddir (tests/helpers/blockfs is built by make check).
set -u

if [ "${MSP_DISK_PRIVATE_NS:-}" != 1 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "skip: needs root to mount a FUSE filesystem"
		exit 77
	fi
	if [ ! -c /dev/fuse ]; then
		echo "skip: /dev/fuse is missing (no FUSE in this kernel or container)"
		exit 77
	fi
	if ! command -v unshare >/dev/null || ! unshare -m --propagation private true 2>/dev/null; then
		echo "skip: unshare -m does not work here (no mount namespaces)"
		exit 77
	fi
	exec env MSP_DISK_PRIVATE_NS=1 unshare -m --propagation private bash "$0" "$@"
fi

: "${PLUGINDIR:?}" "${top_builddir:?}"
plugin=$PLUGINDIR/check_disk
helper=$top_builddir/tests/helpers/blockfs
if [ ! -x "$helper" ]; then
	echo "skip: $helper is not built (make check builds it)"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/check_disk.XXXXXX")
mnt=$work/hang
mkdir -p "$mnt" "$work/small"
helper_pid=

cleanup() {
	[ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null && wait "$helper_pid" 2>/dev/null
	umount -l "$mnt" 2>/dev/null
	umount -l "$work/small" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

"$helper" "$mnt" >"$work/helper.out" 2>&1 &
helper_pid=$!
for _ in $(seq 1 50); do
	grep -q ready "$work/helper.out" 2>/dev/null && break
	kill -0 "$helper_pid" 2>/dev/null || break
	sleep 0.1
done
if ! grep -q ready "$work/helper.out"; then
	wait "$helper_pid"
	rc=$?
	helper_pid=
	echo "skip: blockfs could not mount ($(head -n 1 "$work/helper.out"))"
	[ "$rc" = 77 ] && exit 77
	exit 1
fi
# A small filesystem of known fill that must still be reported next to the hanging one.
mount -t tmpfs -o size=1m cdsmall "$work/small" || { echo "FAIL: cannot mount a tmpfs"; exit 1; }

failed=0
fail() {
	echo "FAIL: $*"
	failed=1
}

# run WANT_RC MAX_MS ARGS...: run check_disk, check its exit code and how long it took.
# The bounds leave room for a busy machine (-t 3 must end well before 5 s; a run that
# must not touch the dead mount within 2 s, where touching it costs 3 s): what they
# catch is a hang, which the reference shows by never ending.
run() {
	local want=$1 max=$2 start end rc ms
	shift 2
	start=$(date +%s%N)
	timeout -k 2 20 "$plugin" "$@" >"$work/out" 2>"$work/err"
	rc=$?
	end=$(date +%s%N)
	ms=$(((end - start) / 1000000))
	echo "check_disk $* -> exit $rc after ${ms} ms: $(head -n 1 "$work/out" | cut -c1-160)"
	[ "$rc" = "$want" ] || fail "exit $rc, want $want"
	[ "$ms" -le "$max" ] || fail "took ${ms} ms, more than ${max} ms"
	[ -s "$work/err" ] && fail "wrote to stderr: $(head -c 200 "$work/err")"
	return 0
}

expect_line1() {
	head -n 1 "$work/out" | grep -Eq -- "$1" || fail "line 1 does not match /$1/"
}

# The hanging mount alone: UNKNOWN by default, named, within the timeout.  Its mount
# point is statvfs()ed directly; a path below it needs stat() and realpath() first.
run 3 5000 -w 10% -c 5% -p "$mnt" -t 3
expect_line1 "^DISK UNKNOWN - $mnt did not answer within 3 s \(statvfs hangs\)"
run 3 5000 -w 10% -c 5% -p "$mnt/below" -t 3
expect_line1 "^DISK UNKNOWN - $mnt/below did not answer within 3 s \(stat hangs\)"
run 2 5000 -w 10% -c 5% -p "$mnt" -t 3:CRITICAL
expect_line1 "^DISK CRITICAL - $mnt did not answer within 3 s"
run 2 5000 -w 10% -c 5% -p "$mnt" -t 3 --timeout-result=CRITICAL
# -E names the mount point directly: the hang is in statvfs() then.
run 3 5000 -w 10% -c 5% -E -p "$mnt" -t 3
expect_line1 "^DISK UNKNOWN - $mnt did not answer within 3 s \(statvfs hangs\)"

# Next to filesystems that answer: they are still checked and reported.
run 3 5000 -w 10% -c 5% -p / -p "$mnt" -p "$work/small" -t 3
expect_line1 "^DISK UNKNOWN - $mnt did not answer within 3 s \(statvfs hangs\); free space: / [0-9]+MiB .* $work/small 1MiB \(100% inode="
[ "$(wc -l <"$work/out")" = 1 ] || fail "the nagios output is not the reference's one line"
run 3 5000 -w 10% -c 5% -p / -p "$mnt" -p "$work/small" -t 3 --output-format=multi-line
grep -q "^	\\\\_\[OK\] - $work/small 1MiB of 1MiB free" "$work/out" || fail "the small filesystem is not in the long output"

# All mounts (no -p): ends in time, names the hanging mount, reports the rest.
run 3 5000 -w 1% -c 1% -t 3
expect_line1 "^DISK UNKNOWN - $mnt did not answer within 3 s \(statvfs hangs\); free space: .*$work/small 1MiB"
run 3 5000 -w 1% -c 1% -e -t 3
# Excluded by type, the hanging mount is never touched: quick and OK.
run 0 2000 -w 0% -c 0% -X fuse.blockfs -t 3
expect_line1 "^DISK OK - free space: "
run 0 2000 -w 0% -c 0% -l -X fuse.blockfs -p / -p "$work/small" -t 3

# The default timeout (10 s) holds too.
run 3 12000 -w 10% -c 5% -p "$mnt"
expect_line1 "^DISK UNKNOWN - $mnt did not answer within 10 s"

# No worker is left behind blocked on the mount once check_disk has ended.
sleep 0.2
if pgrep -f "^$plugin" >/dev/null; then
	fail "check_disk processes left over: $(pgrep -af "^$plugin" | head -n 3)"
fi

if [ "$failed" = 0 ]; then
	echo "check_disk: a hanging mount is named and does not hang the check"
fi
exit "$failed"
