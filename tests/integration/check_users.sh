#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_users against real login records: in a private mount namespace
# (unshare -m) a tmpfs is mounted on /run and a utmp file is put at
# /run/utmp (= /var/run/utmp), so the reference check_users and ours read the
# same records, and nothing outside this test sees them.  The records are the
# recorded fixtures and a fresh file written now with pututxline()
# (tests/helpers/utmp_write).  Needs root and unshare -m; skips (77) without.
# Environment: PLUGINDIR, top_srcdir, top_builddir.
set -u

if [ "${MSP_USERS_PRIVATE_NS:-}" != 1 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "skip: needs root to mount a private /run"
		exit 77
	fi
	if ! command -v unshare >/dev/null || ! unshare -m --propagation private true 2>/dev/null; then
		echo "skip: unshare -m does not work here (no mount namespaces)"
		exit 77
	fi
	exec env MSP_USERS_PRIVATE_NS=1 unshare -m --propagation private bash "$0" "$@"
fi

: "${PLUGINDIR:?}" "${top_srcdir:?}" "${top_builddir:?}"
plugin=$PLUGINDIR/check_users
ref=${MSP_REFDIR:-/usr/lib/nagios/plugins}/check_users
helper=$top_builddir/tests/helpers/utmp_write
fx=$top_srcdir/tests/fixtures/check_users
if [ ! -x "$helper" ]; then
	echo "skip: $helper is not built (make check builds it)"
	exit 77
fi
mount -t tmpfs msp-users /run || { echo "skip: cannot mount a tmpfs on /run"; exit 77; }
fail=0

# run_both UTMPFILE WANT_OURS WANT_REF ARGS...: both plugins on /run/utmp = UTMPFILE
run_both() {
	local file=$1 want_ours=$2 want_ref=$3 o r
	shift 3
	rm -f /run/utmp
	[ "$file" = - ] || cp "$file" /run/utmp
	"$plugin" "$@" >/run/ours.out 2>&1
	o=$?
	if [ -x "$ref" ]; then
		"$ref" "$@" >/run/ref.out 2>&1
		r=$?
	else
		r=$want_ref
	fi
	if [ "$o" != "$want_ours" ] || [ "$r" != "$want_ref" ]; then
		echo "FAIL $(basename "$file") $*: ours $o (want $want_ours), reference $r (want $want_ref)"
		echo "    ours: $(head -n 1 /run/ours.out)"
		[ -x "$ref" ] && echo "    ref:  $(head -n 1 /run/ref.out)"
		fail=1
	else
		echo "ok   $(basename "$file") $*: ours $o, reference $r: $(head -n 1 /run/ours.out)"
	fi
}

three=$fx/utmp_three_users.bin
run_both "$three" 0 0 -w 5 -c 10
run_both "$three" 0 0 -w 3 -c 3
run_both "$three" 1 1 -w 2 -c 10
run_both "$three" 2 2 -w 1 -c 2
run_both "$three" 1 1 -w @3:5 -c 10
run_both "$three" 2 2 -w 5 -c 4:
grep -q '^USERS CRITICAL - 3 users currently logged in |users=3;5;4:;0$' /run/ours.out ||
	{ echo "FAIL output: $(head -n 1 /run/ours.out)"; fail=1; }
run_both "$fx/utmp_no_users.bin" 0 0 -w 5 -c 10
run_both "$fx/utmp_no_users.bin" 1 1 -w 1: -c 10
run_both - 0 0 -w 5 -c 10
# the same missing file named with --utmp is UNKNOWN (the reference has no --utmp: a usage error)
run_both - 3 3 --utmp /run/utmp -w 5 -c 10
grep -q "^USERS UNKNOWN - utmp file '/run/utmp' (--utmp) does not exist$" /run/ours.out ||
	{ echo "FAIL --utmp missing: $(head -n 1 /run/ours.out)"; fail=1; }
# a file written now: five sessions, two of them closed again
"$helper" /run/fresh boot::~:0 user:root:pts/0:100 user:root:pts/1:101 user:ops:pts/2:102 \
	user:ops:pts/3:103 user:web:pts/4:104 dead::pts/3:0 dead::pts/4:0 || fail=1
run_both /run/fresh 0 0 -w 3 -c 4
run_both /run/fresh 1 1 -w 2 -c 4
grep -q '^USERS WARNING - 3 users currently logged in' /run/ours.out || { echo "FAIL fresh count"; fail=1; }
# documented difference: a truncated file is UNKNOWN here, 0 users in the reference
run_both "$fx/utmp_truncated.bin" 3 0 -w 5 -c 10
exit "$fail"
