#!/bin/bash
# check_reboot against real processes: a process that maps a library deleted
# after it was loaded (what a package upgrade leaves behind) must be named,
# with the state --libs chooses; once it is gone, the check is OK.  Runs in
# a private PID namespace with its own /proc (unshare -pf --mount-proc), so
# the only processes are the ones this test starts and the result does not
# depend on what else runs on the machine.  Then one run of every source on
# this machine as it is, which must give a well-formed answer.
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
