#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_bundle with real child processes: children that hang past their
# deadline (and leave a grandchild holding the pipe) are killed with their
# whole process group, and the bundle answers in time naming them; children
# run side by side; the bundle's own -t is kept; a person at a terminal gets
# the table; daemons a check leaves (setsid, double fork) never outlive it and
# a check sees only fds 0, 1 and 2; and the default profile runs with the real
# sibling plugins.
# shellcheck disable=SC2317 # functions run through ok, msp_wait and msp_on_exit
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
msp_plugin check_bundle
msp_tmpdir bundle

# A number no other process has in its argv: the daemons of part 6 sleep 1000.<mark>N.
mark=$$$RANDOM
# survivors [kill]: print "pid: argv" of each process whose argv holds the mark (and kill it)
survivors() {
	local d args
	for d in /proc/[0-9]*; do
		args=$( { tr '\0' ' ' <"$d/cmdline"; } 2>/dev/null) || continue
		case $args in
		*"1000.$mark"*)
			echo "${d#/proc/}: $args"
			[ "${1:-}" = kill ] && kill -KILL "${d#/proc/}" 2>/dev/null
			;;
		esac
	done
}
# On the way out, whatever the result: kill what our children noted down (by pid).
kill_noted() {
	local f
	for f in "$work"/*.pid "$work"/*.grandchild; do
		[ -f "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null
	done
	survivors kill >/dev/null
}
msp_on_exit kill_noted

# lacks TEXT / lacks_re REGEX: stdin does not contain TEXT / match the extended REGEX (for ok)
lacks() { ! grep -qF -- "$1"; }
lacks_re() { ! grep -Eq -- "$1"; }

child() {
	{ echo '#!/bin/sh'; cat; } >"$work/$1"
	chmod +x "$work/$1"
}

# A hanging child that also starts a grandchild sharing its stdout; both note their pids.
child hang <<SH
sleep 300 &
echo \$! >$work/hang.grandchild
echo \$\$ >$work/hang.pid
exec sleep 300
SH
# One that ignores SIGTERM: only SIGKILL ends it.
child stubborn <<SH
trap '' TERM
echo \$\$ >$work/stubborn.pid
while :; do sleep 1; done
SH
child ok <<'SH'
echo "OK - fine | x=1"
SH
child sleep1 <<'SH'
sleep 1
echo "SLEEP OK - slept 1 s | slept=1s"
SH

# --- 1. hanging children are killed at their deadline, the bundle names them, nothing survives
printf 'ok = %s/ok\nhang = %s/hang\nstubborn = %s/stubborn\n' "$work" "$work" "$work" >"$work/hang.conf"
# 2 s deadline + 1 s from SIGTERM to SIGKILL for the stubborn one, with slack for a busy machine
expect 3 '^BUNDLE UNKNOWN - UNKNOWN: hang, stubborn; 1 of 3 OK' 8000 -- -f "$work/hang.conf" --child-timeout 2s
expect_output '(?m)^\[UNKNOWN\] hang: timed out after 2 s, killed$'
expect_output '(?m)^\[UNKNOWN\] stubborn: timed out after 2 s, killed$'
expect_output '(?m)^\[OK\] ok: OK - fine$'
ok "hang: took $took ms, not under the 2 s deadline" test "$took" -ge 1900
for f in hang.pid hang.grandchild stubborn.pid; do
	pid=$(cat "$work/$f" 2>/dev/null)
	if [ -z "$pid" ]; then
		fail "hang: $f was not written"
	elif kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
		fail "hang: process $pid ($f) survived the bundle"
	else
		pass "hang: process $pid ($f) is gone"
	fi
done

# --- 2. the bundle's own -t caps every child: the answer comes within -t and names the child
expect 3 '^BUNDLE UNKNOWN - UNKNOWN: hang, stubborn; 1 of 3 OK' 5000 -- -f "$work/hang.conf" -t 4
expect_output '(?m)^\[UNKNOWN\] hang: timed out after 2 s, killed$'

# --- 3. children run side by side: five that sleep 1 s take about 1 s, not 5
: >"$work/par.conf"
for i in 1 2 3 4 5; do printf 's%s = %s/sleep1\n' "$i" "$work" >>"$work/par.conf"; done
expect 0 '^BUNDLE OK - all 5 checks OK \| s1::slept=1s s2::slept=1s s3::slept=1s s4::slept=1s s5::slept=1s$' \
	4500 -- -f "$work/par.conf"

# --- 4. a person at a terminal gets the table (each check's duration, the states in colour
# unless NO_COLOR is set to anything or TERM is dumb), a pipe gets the nagios format
esc=$(printf '\033')
if command -v script >/dev/null; then
	printf 'ok = %s/ok\nmissing = %s/nothing-here\nslow = %s/sleep1\n' "$work" "$work" "$work" >"$work/tty.conf"
	# on_tty ENV... [-- ARGS]: run the bundle on a terminal with the environment changed by ENV (env(1) arguments)
	on_tty() { env "$@" script -qec "$plugin -f $work/tty.conf ${bundle_args:-}" /dev/null | tr -d '\r'; }
	tty_out=$(on_tty -u NO_COLOR TERM=xterm)
	echo "tty: $(head -n 1 <<<"$tty_out")"
	ok "tty: line 1 with the state in colour" \
		grep -q "^BUNDLE ${esc}\[35mUNKNOWN${esc}\[0m - UNKNOWN: missing; 2 of 3 OK\$" <<<"$tty_out"
	ok "tty: a coloured table row for missing" \
		grep -q "^${esc}\[35mUNKNOWN${esc}\[0m   missing  [ 0-9][ 0-9][0-9]\.[0-9][0-9]s  plugin not found: .*/nothing-here\$" \
		<<<"$tty_out"
	ok "tty: a coloured table row for ok" \
		grep -q "^${esc}\[32mOK${esc}\[0m        ok       [ 0-9][ 0-9]0\.[0-9][0-9]s  OK - fine\$" <<<"$tty_out"
	# the duration is the check's own: a check that sleeps 1 s took 1 s or more
	ok "tty: the check that sleeps 1 s shows >= 1.00s" \
		grep -q "^${esc}\[32mOK${esc}\[0m        slow     [ 0-9][ 0-9][1-9]\.[0-9][0-9]s  SLEEP OK - slept 1 s\$" \
		<<<"$tty_out"
	ok "tty: no perfdata shown to a person" lacks ' | ' <<<"$tty_out"
	[ "$msp_fails" -eq 0 ] || printf '%s\n' "$tty_out" | sed 's/^/     | /'
	for envset in NO_COLOR=1 NO_COLOR=anything 'TERM=dumb'; do
		tty_out=$(on_tty -u NO_COLOR TERM=xterm "$envset")
		ok "tty with $envset: no colour" lacks "$esc" <<<"$tty_out"
		ok "tty with $envset: a plain table row for ok" \
			grep -q '^OK        ok       [ 0-9][ 0-9]0\.[0-9][0-9]s  OK - fine$' <<<"$tty_out"
	done
	for fmt in nagios json prometheus multi-line; do
		tty_out=$(bundle_args=--output-format=$fmt on_tty -u NO_COLOR TERM=xterm)
		ok "tty --output-format=$fmt: no colour" lacks "$esc" <<<"$tty_out"
	done
	tty_out=$(bundle_args=--output-format=nagios on_tty -u NO_COLOR TERM=xterm)
	ok "tty: --output-format=nagios is kept" grep -q '^\[UNKNOWN\] missing: plugin not found' <<<"$tty_out"
else
	echo "note: script(1) is missing, the terminal table is not tested"
fi

# --- 6. nothing a check starts outlives it: a daemon in its own session (setsid), one
# double-forked, one both; ended at the check's deadline, when the bundle itself is
# stopped, and when the check exits normally.  Each check has exactly fds 0, 1 and 2.
daemons='setsid sleep 1000.'$mark'1 </dev/null >/dev/null 2>&1 &
(sleep 1000.'$mark'2 </dev/null >/dev/null 2>&1 &)
(setsid sh -c "sleep 1000.'$mark'3; :" </dev/null >/dev/null 2>&1 &)
sleep 0.2'
child daemons-hang <<SH
$daemons
echo started
exec sleep 300
SH
child daemons-exit <<SH
$daemons
echo "DAEMONS OK - three started"
SH
# no_survivors WHAT: fail (and kill them) when a marked process is left
no_survivors() {
	local left
	sleep 0.3 # a process killed but not yet reaped by its new parent would show up
	left=$(survivors kill)
	if [ -n "$left" ]; then fail "$1: left behind: $left"; else pass "$1: no process left behind"; fi
}
printf 'ok = %s/ok\nd = %s/daemons-hang\n' "$work" "$work" >"$work/daemons-hang.conf"
expect 3 '^BUNDLE UNKNOWN - UNKNOWN: d; 1 of 2 OK' -- -f "$work/daemons-hang.conf" --child-timeout 2s
expect_output '(?m)^\[UNKNOWN\] d: timed out after 2 s, killed$'
no_survivors "daemons at the deadline"
printf 'd = %s/daemons-exit\n' "$work" >"$work/daemons-exit.conf"
expect 0 '^BUNDLE OK - all 1 checks OK$' -f "$work/daemons-exit.conf"
no_survivors "daemons, normal exit"
# the bundle stopped from outside (SIGTERM): the runner's handler ends every descendant
"$plugin" -f "$work/daemons-hang.conf" --child-timeout 20s -t 30 >"$work/term.out" 2>&1 &
bpid=$!
# stop it once the three daemons run (a busy machine may take a while to start them)
daemons_up() { [ "$(survivors | wc -l)" -ge 4 ]; }
ok "SIGTERM: the daemons started" msp_wait 10 daemons_up
kill -TERM "$bpid"
wait "$bpid"
rc=$?
echo "daemons, bundle stopped by SIGTERM: rc=$rc: $(head -n 1 "$work/term.out")"
ok "SIGTERM: exit $rc, want 3" test "$rc" = 3
ok "SIGTERM: the bundle says so" grep -q '^BUNDLE UNKNOWN - interrupted by SIGTERM$' "$work/term.out"
no_survivors "daemons, bundle stopped by SIGTERM"
# descriptors: the glob opens /proc/self/fd itself, that is the 3
printf '%s\n' "fds = /bin/sh -c 'cd /proc/self/fd && set -- * && echo \"FDS OK - open: \$* stdin: \$(readlink 0)\"'" \
	>"$work/fds.conf"
expect 0 '^BUNDLE OK - all 1 checks OK$' -f "$work/fds.conf" 3</dev/null 7</dev/null
expect_output '(?m)^\[OK\] fds: FDS OK - open: 0 1 2 3 stdin: /dev/null$'

# --- 5. the default profile with the real sibling plugins (more time per check than the
# default 10 s: a test machine may be busy, and a slow check is not what is tested here)
msp_run "$plugin" --child-timeout 20s -t 40
echo "default profile: rc=$rc in ${took} ms"
echo "$out"
ok "default: exit $rc is a plugin state" test "$rc" -ge 0 -a "$rc" -le 3
ok "default: line 1" grep -Eq '^BUNDLE (OK|WARNING|CRITICAL|UNKNOWN) - ' <<<"$line"
ok "default: nothing on stderr" test -z "$err"
for pair in disk:check_disk load:check_load memory:check_mem swap:check_swap processes:check_procs \
	users:check_users uptime:check_uptime; do
	name=${pair%%:*}
	sibling=${pair#*:}
	row=$(grep "^\[[A-Z]*\] $name: " <<<"$out")
	if [ -z "$row" ]; then
		fail "default: no line for $name"
	elif [ -x "$PLUGINDIR/$sibling" ]; then
		# a built plugin must have run and answered like a plugin
		ok "default: $name gave a plugin answer" \
			lacks_re "^\[[A-Z]+\] $name: (plugin not found|printed|exited|killed|timed out)" <<<"$row"
	else
		ok "default: missing core plugin $sibling reported UNKNOWN" \
			grep -qF "[UNKNOWN] $name: plugin not found: '$sibling' is not in --plugin-dir '$PLUGINDIR'" <<<"$row"
	fi
done
for pair in clamav:check_clamav apt:check_apt reboot:check_reboot; do
	name=${pair%%:*}
	sibling=${pair#*:}
	if [ ! -x "$PLUGINDIR/$sibling" ] && grep -q "^\[[A-Z]*\] $name: " <<<"$out"; then
		fail "default: optional $name is listed although $sibling is not built"
	fi
done
# the JSON form carries every check by name, with its state
if command -v python3 >/dev/null; then
	msp_run "$plugin" --output-format=json
	printf '%s\n' "$out" >"$work/json"
	ok "default: JSON" python3 - "$work/json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
names = [c["name"] for c in doc["checks"]]
assert names[:7] == ["disk", "load", "memory", "swap", "processes", "users", "uptime"], names
assert doc["state"] in ("OK", "WARNING", "CRITICAL", "UNKNOWN")
for c in doc["checks"]:
    assert c["state"] in ("OK", "WARNING", "CRITICAL", "UNKNOWN"), c
    for p in c.get("perfdata", []):
        assert p["label"].startswith(c["name"] + "::"), p
print("json: %d checks, %d perfdata items" % (len(names), len(doc["perfdata"])))
PY
fi

msp_done
