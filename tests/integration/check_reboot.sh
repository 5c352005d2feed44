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
# Environment: PLUGINDIR.
set -u
: "${PLUGINDIR:?}"
plugin=$PLUGINDIR/check_reboot
[ -x "$plugin" ] || { echo "skip: check_reboot is not built"; exit 77; }

if [ "${MSP_REBOOT_PRIVATE_PID:-}" != 1 ]; then
	# The run on this machine, outside the private namespace: any state, but a proper first line.
	out=$("$plugin" 2>&1)
	rc=$?
	case $rc in 0 | 1 | 2 | 3) ;; *) echo "FAIL: this machine: exit $rc: $out"; exit 1 ;; esac
	if ! printf '%s\n' "$out" | head -n 1 | grep -Eq '^REBOOT (OK|WARNING|CRITICAL|UNKNOWN) - .+ \| reboot_required=[01]'; then
		echo "FAIL: this machine: bad output: $out"
		exit 1
	fi
	echo "ok this machine: $(printf '%s\n' "$out" | head -n 1)"
	# Root that cannot read PID 1's maps (some containers hide them even from root): --libs-scan=auto
	# does not pretend root saw everything; the process is unreadable (UNKNOWN), with no "needs root".
	if [ "$(id -u)" = 0 ] && ! head -c 1 /proc/1/maps >/dev/null 2>&1; then
		out=$("$plugin" --libs-scan=auto --ignore=flag,kernel,services 2>&1)
		rc=$?
		if [ "$rc" != 3 ] || ! printf '%s\n' "$out" | head -n 1 |
			grep -Eq '^REBOOT UNKNOWN - libs: cannot read the memory maps of [0-9]+ of [0-9]+ processes, e\.g\. [^|]*\(1\) \| deleted_lib_procs=[0-9]+$'; then
			echo "FAIL: this machine, root without PID 1's maps, --libs-scan=auto: exit $rc: $out"
			exit 1
		fi
		echo "ok this machine, PID 1's maps hidden from root: $(printf '%s\n' "$out" | head -n 1)"
	fi
	if [ "$(id -u)" != 0 ] || ! unshare -pf --mount-proc true 2>/dev/null; then
		echo "skip: unshare -pf --mount-proc does not work here (needs root and PID namespaces)"
		exit 77
	fi
	exec env MSP_REBOOT_PRIVATE_PID=1 unshare -pf --mount-proc bash "$0" "$@"
fi

failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/msp-reboot.XXXXXX") || exit 1
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# expect RC REGEX ARGS...: run check_reboot (only the libs source) and match line 1.
expect() {
	local want=$1 regex=$2 out rc
	shift 2
	out=$("$plugin" --ignore=flag,kernel,services "$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want" ] || ! printf '%s\n' "$out" | head -n 1 | grep -Eq -- "$regex"; then
		echo "FAIL: check_reboot $*: exit $rc (want $want): $out"
		failed=$((failed + 1))
	else
		echo "ok   check_reboot $*: $(printf '%s\n' "$out" | head -n 1)"
	fi
}

lib=$(ldconfig -p 2>/dev/null | awk '/libz\.so\.1 .*x86-64|libz\.so\.1 \(libc6,x86-64\)/ {print $NF; exit}')
[ -n "$lib" ] || lib=$(ls /usr/lib/*/libz.so.1 /lib/*/libz.so.1 2>/dev/null | head -n 1)
[ -n "$lib" ] || { echo "skip: no libz.so.1 to load"; exit 77; }

expect 0 '^REBOOT OK - no reboot or restart pending \| deleted_lib_procs=0$'

# A sleep that loaded a copy of libz, then the copy is deleted (as an upgrade replaces a library).
cp "$lib" "$work/libmsp-upgraded.so.1"
LD_PRELOAD=$work/libmsp-upgraded.so.1 sleep 120 &
pid=$!
for _ in $(seq 50); do grep -q libmsp-upgraded "/proc/$pid/maps" 2>/dev/null && break; sleep 0.1; done
rm -f "$work/libmsp-upgraded.so.1"
grep -q "libmsp-upgraded.so.1 (deleted)" "/proc/$pid/maps" || { echo "FAIL: the test process does not map the deleted copy"; exit 1; }

expect 1 "^REBOOT WARNING - 1 process uses deleted libraries: sleep \\($pid\\) \\| deleted_lib_procs=1\$"
expect 2 "^REBOOT CRITICAL - 1 process uses deleted libraries: sleep \\($pid\\)" --libs=CRITICAL
expect 0 '^REBOOT OK - no reboot or restart pending \| deleted_lib_procs=1$' --libs=OK

# The same process seen by the monitoring user (nobody here): it cannot read root's maps.
# --libs-scan=auto leaves the libraries to root and says so, the flag decides (OK unless this
# machine has /run/reboot-required); the explicit scan stays UNKNOWN and names the way out.
# With CAP_SYS_PTRACE (or as root) auto scans, and the deleted library is found.
if command -v setpriv >/dev/null 2>&1 && setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
	flag_rc=0
	flag_text='no reboot or restart pending'
	if [ -e /run/reboot-required ]; then flag_rc=1 flag_text='reboot required[^|]*'; fi
	as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	as_ptrace() {
		setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=+sys_ptrace --ambient-caps=+sys_ptrace "$@"
	}
	expect_as() {
		local who=$1 want=$2 regex=$3 out rc
		shift 3
		out=$($who "$plugin" "$@" 2>&1)
		rc=$?
		if [ "$rc" != "$want" ] || ! printf '%s\n' "$out" | head -n 1 | grep -Eq -- "$regex"; then
			echo "FAIL: $who check_reboot $*: exit $rc (want $want): $out"
			failed=$((failed + 1))
		else
			echo "ok   $who check_reboot $*: $(printf '%s\n' "$out" | head -n 1)"
		fi
	}
	expect_as as_nobody "$flag_rc" \
		"^REBOOT [A-Z]+ - $flag_text; libraries not checked \\(needs root: see --help for the sudo rule\\) \\| reboot_required=[01]\$" \
		--ignore=kernel --no-needrestart --libs-scan=auto
	out=$(as_nobody "$plugin" --ignore=kernel --no-needrestart --libs-scan=auto 2>&1)
	if printf '%s\n' "$out" | grep -q "($pid)"; then
		echo "FAIL: nobody with --libs-scan=auto names a process it could not read: $out"
		failed=$((failed + 1))
	fi
	expect_as as_nobody 3 \
		'^REBOOT UNKNOWN - libs: cannot read the memory maps of [0-9]+ of [0-9]+ processes, e\.g\. .* \(needs root: see --help for the sudo rule, or --libs-scan=auto\) \| deleted_lib_procs=0$' \
		--ignore=flag,kernel,services
	expect_as as_nobody 3 '^REBOOT UNKNOWN - libs: cannot read the memory maps of ' \
		--ignore=flag,kernel,services --libs-scan=always
	expect_as as_ptrace 1 "^REBOOT WARNING - 1 process uses deleted libraries: sleep \\($pid\\) \\| deleted_lib_procs=1\$" \
		--ignore=flag,kernel,services --libs-scan=auto
	expect 1 "^REBOOT WARNING - 1 process uses deleted libraries: sleep \\($pid\\) \\| deleted_lib_procs=1\$" --libs-scan=auto
	# needrestart run by a user checks only that user's processes: not run, and said so
	if [ -x /usr/sbin/needrestart ]; then
		expect_as as_nobody "$flag_rc" \
			"^REBOOT [A-Z]+ - $flag_text; services not checked \\(needs root: see --help for the sudo rule\\) \\| reboot_required=[01]\$" \
			--ignore=kernel,libs
	else
		echo "skip: needrestart is not installed (the user-mode case)"
	fi
else
	echo "skip: setpriv cannot switch to nobody here (the unprivileged cases)"
fi

out=$("$plugin" --ignore=flag,kernel,services 2>&1)
if ! printf '%s\n' "$out" | grep -q "^  sleep ($pid): $work/libmsp-upgraded.so.1\$"; then
	echo "FAIL: long output does not name the deleted file: $out"
	failed=$((failed + 1))
fi

# The process restarted (here: ended): nothing pending any more.
kill "$pid"
wait "$pid" 2>/dev/null
pid=
expect 0 '^REBOOT OK - no reboot or restart pending \| deleted_lib_procs=0$'

[ "$failed" = 0 ] || exit 1
echo "check_reboot: all passed"
