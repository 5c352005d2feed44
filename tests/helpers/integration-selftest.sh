#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/helpers/integration-selftest.sh - the checks of tests/helpers/integration.sh must be
# able to fail: each helper is run in a child script (a /bin/sh -c command in place of a
# plugin) once where it must pass and once for each way it must fail, and the child's ok/FAIL
# lines, counts and exit code are compared with what they must be.  Needs no plugin and no
# network.  Environment: top_srcdir (make check sets it).
# The children's bodies are their own code: a $ in single quotes is meant for them.
# shellcheck disable=SC2016
set -u
: "${top_srcdir:?}"
lib=$top_srcdir/tests/helpers/integration.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/msp-itself.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
failed=0

# child WANT_RC WANT_REGEX BODY: run BODY after sourcing the library (plugin=/bin/sh); its exit
# code must be WANT_RC and its whole output must match the PCRE WANT_REGEX.
child() {
	local want=$1 re=$2 body=$3 out rc
	printf 'set -u\n. "%s"\nplugin=/bin/sh\n%s\n' "$lib" "$body" >"$work/child.sh"
	out=$(PLUGINDIR=$work bash "$work/child.sh" 2>&1)
	rc=$?
	if [ "$rc" = "$want" ] && printf '%s\n' "$out" | grep -Pzq -- "$re"; then
		echo "ok   $(head -n 1 <<<"$body")"
	else
		echo "FAIL $(head -n 1 <<<"$body"): exit $rc (want $want), output does not match /$re/ or differs:"
		printf '%s\n' "$out" | sed 's/^/     | /'
		failed=$((failed + 1))
	fi
}

# expect: exit code, line 1, no stderr, the wall-time bound; each failure is counted and named
child 0 '^ok   0 sh -c echo hi \([0-9]+ ms\)\n1 checks, 0 failed\n$' "expect 0 '^hi\$' -c 'echo hi'
msp_done"
child 1 '^FAIL exit 3 \(want 0\): sh .*\n.*\n1 checks, 1 failed\n$' "expect 0 '^hi\$' -c 'echo hi; exit 3'
msp_done"
child 1 '^FAIL output does not match /\^hi\$/: sh ' "expect 0 '^hi\$' -c 'echo ho'
msp_done"
child 1 '(?s)^FAIL output does not match .*\n     \| hi\n     \| second\n' "expect 0 '^second\$' -c 'printf \"hi\\\\nsecond\\\\n\"'
msp_done"
child 1 '^FAIL wrote to stderr: sh .*\n     \| hi\n     stderr: oops\n' "expect 0 '^hi\$' -c 'echo hi; echo oops >&2'
msp_done"
child 0 '^ok   0 ' "MSP_STDERR_OK=1 expect 0 '^hi\$' -c 'echo hi; echo oops >&2'
msp_done"
child 1 '^FAIL took [0-9]+ ms \(at most 100\): sh ' "expect 0 '^hi\$' 100 -- -c 'sleep 0.5; echo hi'
msp_done"
child 0 '^ok   0 sh -c sleep 0.1; echo hi' "expect 0 '^hi\$' 5000 -- -c 'sleep 0.1; echo hi'
msp_done"
child 1 '^FAIL did not end within 1 s \(MSP_RUN_TIMEOUT\)' "MSP_RUN_TIMEOUT=1 expect 0 '' -c 'sleep 10'
msp_done"
# a leading -- is dropped; expect_cmd runs any command; assignments reach the command
child 0 '^ok   0 sh -c echo \$X\b.*\nok   2 sh -c exit 2 .*\n2 checks, 0 failed\n$' "X=set expect 0 '^set\$' -- -c 'echo \$X'
expect_cmd 2 '' -- sh -c 'exit 2'
msp_done"
# (?s): the whole output; expect_output and refute_output read the last run
child 0 '3 checks, 0 failed\n$' "expect 0 '(?s)^a\\nb\\n' -c 'printf \"a\\nb\\n\"'
expect_output '\\nb\\n'
refute_output 'secret'
msp_done"
child 1 '^ok   .*\nFAIL output does not match /zzz/:\n     \| a\nFAIL output matches /a/:\n' "expect 0 a -c 'echo a'
expect_output zzz
refute_output a
msp_done"
# ok, pass, fail, and no check at all is a skip
child 1 '^ok   yes\nFAIL no\nok   fine\nFAIL bad\n4 checks, 2 failed\n$' "ok yes true
ok no false
pass fine
fail bad
msp_done"
child 77 '^0 checks, 0 failed\nskip: no check ran\n$' "msp_done"
# setting up: a plugin that is not built, a missing tool and the work directory's exit steps
child 77 '^skip: check_nothing is not built in ' "msp_plugin check_nothing
pass not reached
msp_done"
child 77 '^skip: msp-no-such-tool is not installed\n$' "msp_need sh msp-no-such-tool
pass not reached"
child 0 '(?s)^ok   made\n1 checks, 0 failed\nsecond\nfirst\n$' "msp_tmpdir selftest
mkdir -p \"\$work/locked\"; chmod 000 \"\$work/locked\"
msp_on_exit echo first
msp_on_exit echo second
msp_on_exit 'echo \"\$work\" >\"\$PLUGINDIR/last-work\"'
ok made test -d \"\$work\"
msp_done" && if [ -e "$(cat "$work/last-work" 2>/dev/null)" ]; then
	echo "FAIL msp_tmpdir: the work directory is still there"
	failed=$((failed + 1))
fi
# the old entry point still works for scripts that source it
child 0 '(?s)^FAIL exit 1 \(want 0\).*fails=1\n$' ". \"$top_srcdir/tests/helpers/unprivileged.sh\"
expect 0 '' -c 'exit 1'
echo fails=\$fails"

# ports (127.0.0.1): nothing listens on free_port's answer; wait_for_port gives up in time
port=$(PLUGINDIR=$work bash -c '. "$1"; free_port' sh "$lib")
if ! [[ $port =~ ^[0-9]+$ ]] || [ "$port" -lt 1024 ] || [ "$port" -gt 65535 ]; then
	echo "FAIL free_port: '$port'"
	failed=$((failed + 1))
elif PLUGINDIR=$work timeout 10 bash -c '. "$1"; wait_for_port "$2" 1' sh "$lib" "$port"; then
	echo "FAIL wait_for_port $port: nothing listens there, yet it returned true"
	failed=$((failed + 1))
else
	echo "ok   free_port $port, wait_for_port gives up"
fi

[ "$failed" -eq 0 ] || { echo "$failed failed"; exit 1; }
echo "integration.sh: all checks behave"
