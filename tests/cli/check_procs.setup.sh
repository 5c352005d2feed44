#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Give the check_procs CLI cases the /proc tree recorded on the build machine
# (tests/fixtures/msp_proc/README.md: ten processes) as $TMP/proc, and an ini file for --extra-opts.
set -e
cp -R "$top_srcdir/tests/fixtures/msp_proc/machine" "$TMP/proc"
chmod -R u+w "$TMP/proc"
mkdir -p "$TMP/empty"
cat >"$TMP/plugins.ini" <<'INI'
[check_procs]
warning=5
critical=8
[zombies]
state=Z
warning=0
critical=5
INI
# $TMP/proc-badstat: the same tree with process 4's stat cut after its name, $TMP/proc-badstatus: with
# process 19901's status missing its Uid: line (a file we cannot read is not a process that ended)
cp -R "$TMP/proc" "$TMP/proc-badstat"
printf '4 (kworker/R-rcu_gp) I 2\n' >"$TMP/proc-badstat/4/stat"
cp -R "$TMP/proc" "$TMP/proc-badstatus"
grep -v '^Uid:' "$TMP/proc/19901/status" >"$TMP/proc-badstatus/19901/status"
# $TMP/proc-stat-loop: process 4's stat cannot be opened (ELOOP): it did not end, it is unreadable
cp -R "$TMP/proc" "$TMP/proc-stat-loop"
rm "$TMP/proc-stat-loop/4/stat"
ln -s stat "$TMP/proc-stat-loop/4/stat"
