#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/cli/stdout.sh - a plugin whose stdout cannot take its output (closed
# with >&-, or /dev/full: ENOSPC) exits 3 on every path, since the exit code
# is the only channel left (DESIGN.md 1.1): --help, --help-man, --version and
# a usage error for every built plugin, and for check_users (a recorded utmp)
# and check_procs (a timeout while reading a FIFO) a run that exits 0 when
# stdout works, in every output format.
# shellcheck source=SCRIPTDIR/../helpers/common.sh
. "$(dirname "$0")/../helpers/common.sh"
msp_find_dirs
msp_work_dir stdout

failed=0
done_=0
fail() {
	echo "FAIL $1"
	failed=$((failed + 1))
}

# expect_unwritable WANT_WORKING_RC PLUGIN ARG...: the run exits WANT_WORKING_RC
# with stdout to a file (and prints something), and 3 with stdout closed or full.
expect_unwritable() {
	local want=$1 rc shown
	shift
	shown="$*"
	timeout -k 5 30 "$PLUGINDIR/$@" >"$work/out" 2>/dev/null </dev/null
	rc=$?
	done_=$((done_ + 1))
	[ "$rc" = "$want" ] || fail "$shown: exit $rc with a working stdout, want $want"
	[ -s "$work/out" ] || fail "$shown: no output with a working stdout"
	timeout -k 5 30 "$PLUGINDIR/$@" >&- 2>/dev/null </dev/null
	rc=$?
	[ "$rc" = 3 ] || fail "$shown >&-: exit $rc, want 3"
	timeout -k 5 30 "$PLUGINDIR/$@" >/dev/full 2>/dev/null </dev/null
	rc=$?
	[ "$rc" = 3 ] || fail "$shown >/dev/full: exit $rc, want 3"
}

for bin in "$PLUGINDIR"/check_*; do
	[ -x "$bin" ] && [ -f "$bin" ] || continue
	case $bin in *.o | *.1) continue ;; esac
	name=${bin##*/}
	expect_unwritable 3 "$name" --help
	expect_unwritable 3 "$name" --help-man
	expect_unwritable 3 "$name" --version
	expect_unwritable 3 "$name" --no-such-option
	expect_unwritable 3 "$name" --no-such-option --output-format=json
	echo "ok $name"
done

if msp_built check_users; then
	utmp=$top_srcdir/tests/fixtures/check_users/utmp_three_users.bin
	for fmt in nagios multi-line json prometheus table; do
		expect_unwritable 0 check_users --utmp "$utmp" -w 5 -c 10 --output-format=$fmt
	done
	echo "ok check_users runs"
fi

# A FIFO where /proc/uptime should be: reading it blocks until the deadline,
# and --timeout-result=ok makes the timeout path's state 0.
if msp_built check_procs && mkdir "$work/proc" && mkfifo "$work/proc/uptime"; then
	for fmt in nagios json prometheus; do
		expect_unwritable 0 check_procs --proc-root "$work/proc" -t 1 --timeout-result=ok --output-format=$fmt
	done
	echo "ok check_procs timeouts"
fi
msp_exit "$failed" "$done_" "skip: no plugins built in $PLUGINDIR"
