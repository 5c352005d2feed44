#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_reboot against real processes: a process that maps a library deleted
# after it was loaded (what a package upgrade leaves behind) must be named,
# with the state --libs chooses; once it is gone, the check is OK.  Runs in
# a private PID namespace with its own /proc (unshare -pf --mount-proc), so
# the only processes are the ones this test starts and the result does not
# depend on what else runs on the machine.  Then one run of every source on
# this machine as it is, which must give a well-formed answer.
# As nobody (setpriv): --libs-scan=auto says the libraries were not checked, the explicit
# scan is UNKNOWN; with CAP_SYS_PTRACE auto scans.
# Needs root and unshare; skips (77) without.
# shellcheck disable=SC2317 # functions run through msp_on_exit
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
msp_plugin check_reboot

if [ "${MSP_REBOOT_PRIVATE_PID:-}" != 1 ]; then
	# The run on this machine, outside the private namespace: any state, but a proper first line.
	msp_run "$plugin"
	ok "this machine: exit $rc is a plugin state" test "$rc" -ge 0 -a "$rc" -le 3
	ok "this machine: line 1: $line" grep -Eq '^REBOOT (OK|WARNING|CRITICAL|UNKNOWN) - .+ \| reboot_required=[01]' <<<"$line"
	ok "this machine: nothing on stderr" test -z "$err"
	# Root that cannot read PID 1's maps (some containers hide them even from root): --libs-scan=auto
	# does not pretend root saw everything; the process is unreadable (UNKNOWN), with no "needs root".
	if [ "$(id -u)" = 0 ] && ! head -c 1 /proc/1/maps >/dev/null 2>&1; then
		expect 3 '^REBOOT UNKNOWN - libs: cannot read the memory maps of [0-9]+ of [0-9]+ processes, e\.g\. [^|]*\(1\) \| deleted_lib_procs=[0-9]+$' \
			--libs-scan=auto --ignore=flag,kernel,services
	fi
	[ "$msp_fails" -eq 0 ] || msp_done
	if [ "$(id -u)" != 0 ] || ! unshare -pf --mount-proc true 2>/dev/null; then
		msp_skip "unshare -pf --mount-proc does not work here (needs root and PID namespaces)"
	fi
	exec env MSP_REBOOT_PRIVATE_PID=1 unshare -pf --mount-proc bash "$0" "$@"
fi

msp_tmpdir reboot
pid=
stop_sleep() { [ -z "$pid" ] || kill "$pid" 2>/dev/null; }
msp_on_exit stop_sleep

# libs_expect RC REGEX ARGS...: expect with only the libs source
libs_expect() { expect "$1" "$2" --ignore=flag,kernel,services "${@:3}"; }

lib=$(ldconfig -p 2>/dev/null | awk '/libz\.so\.1 .*x86-64|libz\.so\.1 \(libc6,x86-64\)/ {print $NF; exit}')
[ -n "$lib" ] || lib=$(ls /usr/lib/*/libz.so.1 /lib/*/libz.so.1 2>/dev/null | head -n 1)
[ -n "$lib" ] || msp_skip "no libz.so.1 to load"

libs_expect 0 '^REBOOT OK - no reboot or restart pending \| deleted_lib_procs=0$'

# A sleep that loaded a copy of libz, then the copy is deleted (as an upgrade replaces a library).
cp "$lib" "$work/libmsp-upgraded.so.1"
LD_PRELOAD=$work/libmsp-upgraded.so.1 sleep 120 &
pid=$!
maps_lib() { grep -q libmsp-upgraded "/proc/$pid/maps" 2>/dev/null; }
msp_wait 5 maps_lib
rm -f "$work/libmsp-upgraded.so.1"
grep -q "libmsp-upgraded.so.1 (deleted)" "/proc/$pid/maps" || {
	fail "the test process does not map the deleted copy"
	msp_done
}

libs_expect 1 "^REBOOT WARNING - 1 process uses deleted libraries: sleep \\($pid\\) \\| deleted_lib_procs=1\$"
expect_output "(?m)^  sleep \\($pid\\): \\Q$work/libmsp-upgraded.so.1\\E\$"
libs_expect 2 "^REBOOT CRITICAL - 1 process uses deleted libraries: sleep \\($pid\\)" --libs=CRITICAL
libs_expect 0 '^REBOOT OK - no reboot or restart pending \| deleted_lib_procs=1$' --libs=OK

# The same process seen by the monitoring user (nobody here): it cannot read root's maps.
# --libs-scan=auto leaves the libraries to root and says so, the flag decides (OK unless this
# machine has /run/reboot-required); the explicit scan stays UNKNOWN and names the way out.
# With CAP_SYS_PTRACE (or as root) auto scans, and the deleted library is found.
if command -v setpriv >/dev/null 2>&1 && setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
	flag_rc=0
	flag_text='no reboot or restart pending'
	if [ -e /run/reboot-required ]; then flag_rc=1 flag_text='reboot required[^|]*'; fi
	as_nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	as_ptrace=("${as_nobody[@]}" --inh-caps=+sys_ptrace --ambient-caps=+sys_ptrace)
	echo "as nobody:"
	msp_wrap=("${as_nobody[@]}")
	expect "$flag_rc" \
		"^REBOOT [A-Z]+ - $flag_text; libraries not checked \\(needs root: see --help for the sudo rule\\) \\| reboot_required=[01]\$" \
		--ignore=kernel --no-needrestart --libs-scan=auto
	# nobody with --libs-scan=auto names no process it could not read
	refute_output "\\($pid\\)"
	libs_expect 3 \
		'^REBOOT UNKNOWN - libs: cannot read the memory maps of [0-9]+ of [0-9]+ processes, e\.g\. .* \(needs root: see --help for the sudo rule, or --libs-scan=auto\) \| deleted_lib_procs=0$'
	libs_expect 3 '^REBOOT UNKNOWN - libs: cannot read the memory maps of ' --libs-scan=always
	# needrestart run by a user checks only that user's processes: not run, and said so
	if [ -x /usr/sbin/needrestart ]; then
		expect "$flag_rc" \
			"^REBOOT [A-Z]+ - $flag_text; services not checked \\(needs root: see --help for the sudo rule\\) \\| reboot_required=[01]\$" \
			--ignore=kernel,libs
	else
		echo "skip: needrestart is not installed (the user-mode case)"
	fi
	echo "as nobody with CAP_SYS_PTRACE:"
	msp_wrap=("${as_ptrace[@]}")
	libs_expect 1 "^REBOOT WARNING - 1 process uses deleted libraries: sleep \\($pid\\) \\| deleted_lib_procs=1\$" --libs-scan=auto
	echo "as root:"
	msp_wrap=()
	libs_expect 1 "^REBOOT WARNING - 1 process uses deleted libraries: sleep \\($pid\\) \\| deleted_lib_procs=1\$" --libs-scan=auto
else
	echo "skip: setpriv cannot switch to nobody here (the unprivileged cases)"
fi

# The process restarted (here: ended): nothing pending any more.
kill "$pid"
wait "$pid" 2>/dev/null
pid=
libs_expect 0 '^REBOOT OK - no reboot or restart pending \| deleted_lib_procs=0$'

msp_done
