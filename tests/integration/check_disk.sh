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
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"

if [ "${MSP_DISK_PRIVATE_NS:-}" != 1 ]; then
	msp_need_root "needs root to mount a FUSE filesystem"
	[ -c /dev/fuse ] || msp_skip "/dev/fuse is missing (no FUSE in this kernel or container)"
	if ! command -v unshare >/dev/null || ! unshare -m --propagation private true 2>/dev/null; then
		msp_skip "unshare -m does not work here (no mount namespaces)"
	fi
	exec env MSP_DISK_PRIVATE_NS=1 unshare -m --propagation private bash "$0" "$@"
fi

msp_plugin check_disk
helper=${top_builddir:?}/tests/helpers/blockfs
[ -x "$helper" ] || msp_skip "$helper is not built (make check builds it)"
msp_tmpdir check_disk
mnt=$work/hang
mkdir -p "$mnt" "$work/small"
helper_pid=

stop_helper() {
	[ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null && wait "$helper_pid" 2>/dev/null
	umount -l "$mnt" 2>/dev/null
	umount -l "$work/small" 2>/dev/null
}
msp_on_exit stop_helper

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
	[ "$rc" = 77 ] && msp_skip "blockfs could not mount ($(head -n 1 "$work/helper.out"))"
	echo "FAIL: blockfs could not mount ($(head -n 1 "$work/helper.out"))"
	exit 1
fi
# A small filesystem of known fill that must still be reported next to the hanging one.
mount -t tmpfs -o size=1m cdsmall "$work/small" || { echo "FAIL: cannot mount a tmpfs"; exit 1; }

# Each run is bounded in wall time.  The bounds leave room for a busy machine (-t 3 must
# end well before 5 s; a run that must not touch the dead mount within 2 s, where
# touching it costs 3 s): what they catch is a hang, which the reference shows by never
# ending.  A run still going after 20 s is killed and fails.
MSP_RUN_TIMEOUT=20

# The hanging mount alone: UNKNOWN by default, named, within the timeout.  Its mount
# point is statvfs()ed directly; a path below it needs stat() and realpath() first.
expect 3 "^DISK UNKNOWN - $mnt did not answer within 3 s \(statvfs hangs\)" 5000 -- -w 10% -c 5% -p "$mnt" -t 3
expect 3 "^DISK UNKNOWN - $mnt/below did not answer within 3 s \(stat hangs\)" 5000 -- \
	-w 10% -c 5% -p "$mnt/below" -t 3
expect 2 "^DISK CRITICAL - $mnt did not answer within 3 s" 5000 -- -w 10% -c 5% -p "$mnt" -t 3:CRITICAL
expect 2 "^DISK CRITICAL - $mnt did not answer within 3 s" 5000 -- \
	-w 10% -c 5% -p "$mnt" -t 3 --timeout-result=CRITICAL
# -E names the mount point directly: the hang is in statvfs() then.
expect 3 "^DISK UNKNOWN - $mnt did not answer within 3 s \(statvfs hangs\)" 5000 -- \
	-w 10% -c 5% -E -p "$mnt" -t 3

# Next to filesystems that answer: they are still checked and reported.
expect 3 "^DISK UNKNOWN - $mnt did not answer within 3 s \(statvfs hangs\); free space: / [0-9]+MiB .* $work/small 1MiB \(100% inode=" \
	5000 -- -w 10% -c 5% -p / -p "$mnt" -p "$work/small" -t 3
ok "the nagios output is the reference's one line" [ "$(printf '%s\n' "$out" | wc -l)" = 1 ]
expect 3 '^\[UNKNOWN\] - ' 5000 -- -w 10% -c 5% -p / -p "$mnt" -p "$work/small" -t 3 --output-format=multi-line
expect_output "\n\t\\\\_\[OK\] - $work/small 1MiB of 1MiB free"

# All mounts (no -p): ends in time, names the hanging mount, reports the rest.
expect 3 "^DISK UNKNOWN - $mnt did not answer within 3 s \(statvfs hangs\); free space: .*$work/small 1MiB" 5000 -- \
	-w 1% -c 1% -t 3
expect 3 "^DISK UNKNOWN - $mnt did not answer within 3 s" 5000 -- -w 1% -c 1% -e -t 3
# Excluded by type, the hanging mount is never touched: quick and OK.
expect 0 "^DISK OK - free space: " 2000 -- -w 0% -c 0% -X fuse.blockfs -t 3
expect 0 "^DISK OK - free space: / [0-9]+MiB .* $work/small 1MiB" 2000 -- \
	-w 0% -c 0% -l -X fuse.blockfs -p / -p "$work/small" -t 3

# The default timeout (10 s) holds too.
expect 3 "^DISK UNKNOWN - $mnt did not answer within 10 s" 12000 -- -w 10% -c 5% -p "$mnt"

# No worker is left behind blocked on the mount once check_disk has ended.
sleep 0.2
no_worker_left() {
	! pgrep -f "^$plugin" >/dev/null || {
		pgrep -af "^$plugin" | head -n 3
		return 1
	}
}
ok "no check_disk process is left over" no_worker_left
msp_done
