# SPDX-License-Identifier: GPL-3.0-or-later
# tests/helpers/integration.sh - the one shell library of the integration scripts
# (tests/integration/check_*.sh): run a plugin, check what it did, count, sum up.
# tests/integration/run.sh (make check TESTS=tests/integration/check_foo.sh) starts a
# script in a private network namespace with top_srcdir, top_builddir and PLUGINDIR set.
# A script begins
#
#     #!/bin/bash
#     # SPDX-License-Identifier: GPL-3.0-or-later
#     set -u
#     # shellcheck source=../helpers/integration.sh
#     . "${top_srcdir:?}/tests/helpers/integration.sh"
#     msp_plugin check_foo         # $plugin; skips (exit 77) when it is not built
#     msp_tmpdir foo               # $work: a fresh directory, removed on exit
#     msp_need footool             # skips (exit 77) when footool is not installed
#
#     expect 0 '^FOO OK - ' -w 5 -c 10
#     expect 2 '^FOO CRITICAL - no answer within the timeout$' 3500 -- -t 2
#     expect_output '\n\[CRITICAL\] slave: down\n'
#     msp_done
#
# Running and checking
#   expect RC REGEX [MAXMS --] ARGS...
#       runs "$plugin" ARGS... and checks four things: the exit code is RC, line 1
#       matches the extended regex REGEX (the whole output, as a PCRE with grep -Pz,
#       when REGEX contains "(?s)"), nothing was written to stderr (unless MSP_STDERR_OK
#       is 1), and, when MAXMS is given (digits followed by --), the run took at most
#       MAXMS milliseconds of wall time.  Prints "ok   ..." or "FAIL ..." with what was
#       wanted and what came, and counts one check.  A leading -- alone is dropped.
#   expect_cmd RC REGEX [MAXMS --] COMMAND ARGS...
#       the same for any command (another plugin, a wrapper such as unshare or env).
#   expect_output REGEX     the whole output (stdout) of the last run matches REGEX, a
#                           PCRE over all lines at once (grep -Pzq: \n matches newlines)
#   refute_output REGEX     ... does not match REGEX (a secret that must never show)
#   msp_run COMMAND ARGS... runs and sets, without checking: out (stdout), line (line 1
#                           of out), err (stderr), rc, took (ms); expect uses it
#   ok WHAT COMMAND...      a plain assertion: COMMAND must succeed
#   fail MESSAGE            counts a failed check and prints "FAIL MESSAGE"
#   pass MESSAGE            counts a passed check and prints "ok   MESSAGE"
#   msp_done                prints "N checks, M failed" and exits: 1 when one failed,
#                           77 when no check ran, else 0
# Every run goes through the command prefix in the array msp_wrap (empty by default;
# msp_unprivileged sets it; a script may set or empty it) and is killed, with what it
# started, after MSP_RUN_TIMEOUT seconds (60; 0: never), which then fails its check: a hang
# never blocks the whole test.  The command is run by timeout(1), so it must be a program,
# not a shell function (or set MSP_RUN_TIMEOUT=0 for that call).  Assignments before a
# call reach the plugin: TZ=Asia/Tokyo expect 0 '^FOO OK' ...
#
# Setting up
#   msp_plugin NAME         plugin=$PLUGINDIR/NAME (also in P); exit 77 when not built
#   msp_tmpdir TAG          work=$(mktemp -d), mode 0755, removed (even after chmod 000
#                           inside it) when the script exits, after the msp_on_exit steps
#   msp_on_exit COMMAND...  runs COMMAND when the script exits (stop a daemon), the
#                           last registered first
#   msp_skip REASON         prints "skip: REASON" and exits 77
#   msp_need TOOL...        msp_skip unless every TOOL is a command
#   msp_need_root REASON    msp_skip unless running as root
#   msp_unprivileged PLUGIN TAG
#       for plugins meant to run as the unprivileged monitoring user (permissions do
#       not bite root): msp_plugin PLUGIN and msp_tmpdir TAG, T=$work; as root every
#       run then goes through setpriv as nobody:nogroup (as_user, msp_wrap); exits 77
#       when setpriv is missing or nobody cannot reach $work (a 0700 parent directory)
#
# Waiting and ports (127.0.0.1 only: the scripts run in a private network namespace)
#   msp_wait SECONDS COMMAND...  retries COMMAND every 0.1 s until it succeeds; false
#                                when it has not within SECONDS
#   free_port                    prints a TCP port on 127.0.0.1 that nothing listens on
#   wait_for_port PORT [SECONDS] true once something accepts on 127.0.0.1:PORT (10 s)
#
# tests/helpers/integration-selftest.sh (in make check) runs each helper where it must pass
# and where it must fail: change a helper there too.
#
# Names the library uses: the functions above, the variables out, line, err, rc, took,
# plugin, P, work, T, as_user, msp_wrap, msp_checks, msp_fails and those starting with
# msp_.
# shellcheck shell=bash
# shellcheck disable=SC2034 # P, T, fails: for the scripts that source this

: "${PLUGINDIR:?run through tests/integration/run.sh (or make check), which sets PLUGINDIR}"
msp_checks=0
msp_fails=0
msp_wrap=()
msp_exit_steps=()
msp_stderr_file=
out='' line='' err='' rc=0 took=0

# ---- counting -----------------------------------------------------------------------------

pass() {
	msp_checks=$((msp_checks + 1))
	echo "ok   $*"
}

fail() {
	msp_checks=$((msp_checks + 1))
	msp_fails=$((msp_fails + 1))
	# the variable of tests/helpers/unprivileged.sh's callers
	[ -z "${msp_legacy_fails:-}" ] || fails=$msp_fails
	echo "FAIL $*"
}

ok() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

msp_done() {
	echo "$msp_checks checks, $msp_fails failed"
	if [ "$msp_fails" -gt 0 ]; then exit 1; fi
	if [ "$msp_checks" -eq 0 ]; then
		echo "skip: no check ran"
		exit 77
	fi
	exit 0
}

# ---- setting up ---------------------------------------------------------------------------

msp_skip() {
	echo "skip: $*"
	exit 77
}

msp_need() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null || msp_skip "$tool is not installed"
	done
}

msp_need_root() {
	[ "$(id -u)" -eq 0 ] || msp_skip "${1:-needs root}"
}

msp_plugin() {
	plugin=$PLUGINDIR/$1
	P=$plugin
	[ -x "$plugin" ] || msp_skip "$1 is not built in $PLUGINDIR"
}

msp_on_exit() {
	msp_exit_steps+=("$*")
}

msp_exit_trap() {
	local i
	for ((i = ${#msp_exit_steps[@]} - 1; i >= 0; i--)); do
		eval "${msp_exit_steps[i]}" || true
	done
	if [ -n "${work:-}" ] && [ -d "$work" ]; then
		chmod -R u+rwx "$work" 2>/dev/null
		rm -rf "$work"
	fi
}

msp_tmpdir() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/msp-$1-it.XXXXXX") || exit 1
	chmod 755 "$work"
	msp_stderr_file=$work/.msp-stderr
	trap msp_exit_trap EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

msp_unprivileged() {
	msp_plugin "$1"
	msp_tmpdir "$2"
	T=$work
	as_user=()
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv >/dev/null || msp_skip "setpriv (util-linux) is missing"
		as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
	fi
	if ! "${as_user[@]}" test -x "$work"; then
		msp_skip "nobody cannot reach $work (a 0700 parent directory?)"
	fi
	msp_wrap=("${as_user[@]}")
}

# ---- running and checking -----------------------------------------------------------------

msp_run() {
	local start tmo=${MSP_RUN_TIMEOUT:-60} errf=${msp_stderr_file:-}
	local -a limit=()

	if [ -z "$errf" ]; then
		errf=$(mktemp "${TMPDIR:-/tmp}/msp-stderr.XXXXXX") || exit 1
	fi
	[ "$tmo" = 0 ] || limit=(timeout -k 5 "$tmo")
	start=$(date +%s%N)
	out=$("${limit[@]}" "${msp_wrap[@]}" "$@" 2>"$errf")
	rc=$?
	took=$((($(date +%s%N) - start) / 1000000))
	err=$(cat "$errf")
	[ -n "${msp_stderr_file:-}" ] || rm -f "$errf"
	line=${out%%$'\n'*}
	return 0
}

# msp_line1_matches REGEX: line 1 (or, with "(?s)" in REGEX, the whole output) matches
msp_line1_matches() {
	if [[ $1 == *"(?s)"* ]]; then
		printf '%s\n' "$out" | grep -Pzq -- "$1"
	else
		printf '%s\n' "$line" | grep -Eq -- "$1"
	fi
}

expect_cmd() {
	local want=$1 re=$2 max='' what why=''
	shift 2
	if [ $# -ge 2 ] && [ "$2" = -- ] && [[ $1 =~ ^[0-9]+$ ]]; then
		max=$1
		shift 2
	elif [ "${1:-}" = -- ]; then
		shift
	fi
	msp_run "$@"
	what="${1##*/} ${*:2}"
	if [ "$rc" = 124 ] && [ "${MSP_RUN_TIMEOUT:-60}" != 0 ]; then
		why+=", did not end within ${MSP_RUN_TIMEOUT:-60} s (MSP_RUN_TIMEOUT)"
	elif [ "$rc" != "$want" ]; then
		why+=", exit $rc (want $want)"
	fi
	msp_line1_matches "$re" || why+=", output does not match /$re/"
	[ -z "$max" ] || [ "$took" -le "$max" ] || why+=", took $took ms (at most $max)"
	[ -z "$err" ] || [ "${MSP_STDERR_OK:-0}" = 1 ] || why+=", wrote to stderr"
	if [ -z "$why" ]; then
		pass "$want $what (${took} ms)"
		return 0
	fi
	fail "${why#, }: $what"
	printf '%s\n' "$out" | head -n 8 | sed 's/^/     | /'
	[ -z "$err" ] || printf '%s\n' "$err" | head -n 5 | sed 's/^/     stderr: /'
	return 1
}

expect() {
	local want=$1 re=$2
	shift 2
	if [ $# -ge 2 ] && [ "$2" = -- ] && [[ $1 =~ ^[0-9]+$ ]]; then
		expect_cmd "$want" "$re" "$1" -- "$plugin" "${@:3}"
	else
		[ "${1:-}" != -- ] || shift
		expect_cmd "$want" "$re" -- "$plugin" "$@"
	fi
}

expect_output() {
	if printf '%s\n' "$out" | grep -Pzq -- "$1"; then
		pass "output matches /$1/"
	else
		fail "output does not match /$1/:"
		printf '%s\n' "$out" | sed 's/^/     | /'
		return 1
	fi
}

refute_output() {
	if printf '%s\n' "$out" | grep -Pzq -- "$1"; then
		fail "output matches /$1/:"
		printf '%s\n' "$out" | sed 's/^/     | /'
		return 1
	fi
	pass "output does not match /$1/"
}

# ---- waiting and ports --------------------------------------------------------------------

msp_wait() {
	local until=$(($(date +%s%N) + $1 * 1000000000))
	shift
	until "$@"; do
		[ "$(date +%s%N)" -lt "$until" ] || return 1
		sleep 0.1
	done
}

# msp_port_open PORT: something accepts on 127.0.0.1:PORT
msp_port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
	local port _
	for _ in $(seq 1 100); do
		port=$((20000 + RANDOM % 40000))
		msp_port_open "$port" || {
			echo "$port"
			return 0
		}
	done
	return 1
}

wait_for_port() {
	msp_wait "${2:-10}" msp_port_open "$1"
}
