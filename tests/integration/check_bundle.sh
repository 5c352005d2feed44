#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_bundle with real child processes: children that hang past their
# deadline (and leave a grandchild holding the pipe) are killed with their
# whole process group, and the bundle answers in time naming them; children
# run side by side; the bundle's own -t is kept; a person at a terminal gets
# the table; daemons a check leaves (setsid, double fork) never outlive it and
# a check sees only fds 0, 1 and 2; and the default profile runs with the real
# sibling plugins.
# Environment: PLUGINDIR.
set -u

: "${PLUGINDIR:?}"
bundle=$PLUGINDIR/check_bundle
if [ ! -x "$bundle" ]; then
	echo "skip: $bundle is not built"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/check_bundle.XXXXXX")
# On the way out, whatever the result: kill what our children noted down (by pid), remove the files.
cleanup() {
	local f
	for f in "$work"/*.pid "$work"/*.grandchild; do
		[ -f "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null
	done
	survivors kill >/dev/null
	rm -rf "$work"
}
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
trap cleanup EXIT
failed=0

fail() {
	echo "FAIL: $*"
	failed=1
}

# run ARGS...: run the bundle, set $out, $rc and $took (seconds, 2 decimals)
run() {
	local t0 t1
	t0=$(date +%s.%N)
	out=$("$bundle" "$@" 2>"$work/stderr")
	rc=$?
	t1=$(date +%s.%N)
	took=$(echo "$t1 - $t0" | bc)
}

# lt A B: A < B for decimals
lt() { [ "$(echo "$1 < $2" | bc)" = 1 ]; }

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
run -f "$work/hang.conf" --child-timeout 2s
echo "hang: rc=$rc in ${took}s: $(head -n 1 <<<"$out")"
[ "$rc" = 3 ] || fail "hang: exit $rc, want 3 (UNKNOWN)"
grep -q '^BUNDLE UNKNOWN - UNKNOWN: hang, stubborn; 1 of 3 OK' <<<"$out" || fail "hang: summary does not name both: $out"
grep -q '^\[UNKNOWN\] hang: timed out after 2 s, killed$' <<<"$out" || fail "hang: no timeout line for hang: $out"
grep -q '^\[UNKNOWN\] stubborn: timed out after 2 s, killed$' <<<"$out" || fail "hang: no timeout line for stubborn: $out"
grep -q '^\[OK\] ok: OK - fine$' <<<"$out" || fail "hang: the fine child is not reported OK: $out"
# 2 s deadline + 1 s from SIGTERM to SIGKILL for the stubborn one, with slack for a busy machine
lt "$took" 8 || fail "hang: took ${took}s, want < 8 s"
lt 1.9 "$took" || fail "hang: took ${took}s, cannot be under the 2 s deadline"
for f in hang.pid hang.grandchild stubborn.pid; do
	pid=$(cat "$work/$f" 2>/dev/null)
	if [ -z "$pid" ]; then
		fail "hang: $f was not written"
	elif kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
		fail "hang: process $pid ($f) survived the bundle"
	fi
done

# --- 2. the bundle's own -t caps every child: the answer comes within -t and names the child
run -f "$work/hang.conf" -t 4
echo "bundle -t 4: rc=$rc in ${took}s: $(head -n 1 <<<"$out")"
[ "$rc" = 3 ] || fail "-t 4: exit $rc, want 3"
grep -q '^\[UNKNOWN\] hang: timed out after 2 s, killed$' <<<"$out" || fail "-t 4: hang not reported as its own timeout: $out"
lt "$took" 5 || fail "-t 4: took ${took}s, want < 5 s"

# --- 3. children run side by side: five that sleep 1 s take about 1 s, not 5
: >"$work/par.conf"
for i in 1 2 3 4 5; do printf 's%s = %s/sleep1\n' "$i" "$work" >>"$work/par.conf"; done
run -f "$work/par.conf"
echo "parallel: rc=$rc in ${took}s: $(head -n 1 <<<"$out")"
[ "$rc" = 0 ] || fail "parallel: exit $rc, want 0"
grep -q '^BUNDLE OK - all 5 checks OK | s1::slept=1s s2::slept=1s s3::slept=1s s4::slept=1s s5::slept=1s$' <<<"$out" ||
	fail "parallel: $out"
lt "$took" 4.5 || fail "parallel: five 1 s children took ${took}s (run one after the other?)"

# --- 4. a person at a terminal gets the table (each check's duration, the states in colour
# unless NO_COLOR is set to anything or TERM is dumb), a pipe gets the nagios format
esc=$(printf '\033')
if command -v script >/dev/null; then
	printf 'ok = %s/ok\nmissing = %s/nothing-here\nslow = %s/sleep1\n' "$work" "$work" "$work" >"$work/tty.conf"
	# tty ENV...: run the bundle on a terminal with the environment changed by ENV (env(1) arguments)
	tty() { env "$@" script -qec "$bundle -f $work/tty.conf" /dev/null | tr -d '\r'; }
	tty_out=$(tty -u NO_COLOR TERM=xterm)
	echo "tty: $(head -n 1 <<<"$tty_out")"
	grep -q "^BUNDLE ${esc}\[35mUNKNOWN${esc}\[0m - UNKNOWN: missing; 2 of 3 OK\$" <<<"$tty_out" ||
		fail "tty: line 1 without the state in colour: $tty_out"
	grep -q "^${esc}\[35mUNKNOWN${esc}\[0m   missing  [ 0-9][ 0-9][0-9]\.[0-9][0-9]s  plugin not found: .*/nothing-here\$" <<<"$tty_out" ||
		fail "tty: no coloured table row for missing: $tty_out"
	grep -q "^${esc}\[32mOK${esc}\[0m        ok       [ 0-9][ 0-9]0\.[0-9][0-9]s  OK - fine\$" <<<"$tty_out" ||
		fail "tty: no coloured table row for ok: $tty_out"
	# the duration is the check's own: a check that sleeps 1 s took 1 s or more
	grep -q "^${esc}\[32mOK${esc}\[0m        slow     [ 0-9][ 0-9][1-9]\.[0-9][0-9]s  SLEEP OK - slept 1 s\$" <<<"$tty_out" ||
		fail "tty: the check that sleeps 1 s does not show >= 1.00s: $tty_out"
	grep -q ' | ' <<<"$tty_out" && fail "tty: perfdata shown to a person: $tty_out"
	for envset in NO_COLOR=1 NO_COLOR=anything 'TERM=dumb'; do
		tty_out=$(tty -u NO_COLOR TERM=xterm "$envset")
		grep -q "$esc" <<<"$tty_out" && fail "tty with $envset: colour: $(cat -v <<<"$tty_out")"
		grep -q '^OK        ok       [ 0-9][ 0-9]0\.[0-9][0-9]s  OK - fine$' <<<"$tty_out" ||
			fail "tty with $envset: no plain table row for ok: $tty_out"
	done
	for fmt in nagios json prometheus multi-line; do
		tty_out=$(env -u NO_COLOR TERM=xterm script -qec "$bundle -f $work/tty.conf --output-format=$fmt" /dev/null | tr -d '\r')
		grep -q "$esc" <<<"$tty_out" && fail "tty --output-format=$fmt: colour: $(cat -v <<<"$tty_out")"
	done
	tty_out=$(env -u NO_COLOR TERM=xterm script -qec "$bundle -f $work/tty.conf --output-format=nagios" /dev/null | tr -d '\r')
	grep -q '^\[UNKNOWN\] missing: plugin not found' <<<"$tty_out" || fail "tty: --output-format=nagios ignored: $tty_out"
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
# no survivors WHAT: fail (and kill them) when a marked process is left
no_survivors() {
	local left
	sleep 0.3 # a process killed but not yet reaped by its new parent would show up
	left=$(survivors kill)
	[ -z "$left" ] || fail "$1: left behind: $left"
}
printf 'ok = %s/ok\nd = %s/daemons-hang\n' "$work" "$work" >"$work/daemons-hang.conf"
run -f "$work/daemons-hang.conf" --child-timeout 2s
echo "daemons at the deadline: rc=$rc in ${took}s: $(head -n 1 <<<"$out")"
grep -q '^\[UNKNOWN\] d: timed out after 2 s, killed$' <<<"$out" || fail "daemons at the deadline: $out"
no_survivors "daemons at the deadline"
printf 'd = %s/daemons-exit\n' "$work" >"$work/daemons-exit.conf"
run -f "$work/daemons-exit.conf"
echo "daemons, normal exit: rc=$rc in ${took}s: $(head -n 1 <<<"$out")"
grep -q '^BUNDLE OK - all 1 checks OK$' <<<"$out" || fail "daemons, normal exit: $out"
no_survivors "daemons, normal exit"
# the bundle stopped from outside (SIGTERM): the runner's handler ends every descendant
"$bundle" -f "$work/daemons-hang.conf" --child-timeout 20s -t 30 >"$work/term.out" 2>&1 &
bpid=$!
# stop it once the three daemons run (a busy machine may take a while to start them)
for _ in $(seq 1 100); do
	[ "$(survivors | wc -l)" -ge 4 ] && break
	sleep 0.1
done
[ "$(survivors | wc -l)" -ge 4 ] || fail "SIGTERM: the daemons did not start: $(survivors)"
kill -TERM "$bpid"
wait "$bpid"
rc=$?
echo "daemons, bundle stopped by SIGTERM: rc=$rc: $(head -n 1 "$work/term.out")"
[ "$rc" = 3 ] || fail "SIGTERM: exit $rc, want 3"
grep -q '^BUNDLE UNKNOWN - interrupted by SIGTERM$' "$work/term.out" || fail "SIGTERM: $(cat "$work/term.out")"
no_survivors "daemons, bundle stopped by SIGTERM"
# descriptors: the glob opens /proc/self/fd itself, that is the 3
printf '%s\n' "fds = /bin/sh -c 'cd /proc/self/fd && set -- * && echo \"FDS OK - open: \$* stdin: \$(readlink 0)\"'" \
	>"$work/fds.conf"
run -f "$work/fds.conf" 3</dev/null 7</dev/null
echo "descriptors: rc=$rc: $(sed -n 2p <<<"$out")"
grep -qx '\[OK\] fds: FDS OK - open: 0 1 2 3 stdin: /dev/null' <<<"$out" || fail "descriptors: $out"

# --- 5. the default profile with the real sibling plugins (more time per check than the
# default 10 s: a test machine may be busy, and a slow check is not what is tested here)
run --child-timeout 20s -t 40
echo "default profile: rc=$rc in ${took}s"
echo "$out"
case $rc in 0 | 1 | 2 | 3) ;; *) fail "default: exit $rc is not a plugin state" ;; esac
grep -Eq '^BUNDLE (OK|WARNING|CRITICAL|UNKNOWN) - ' <<<"$out" || fail "default: line 1: $out"
[ -s "$work/stderr" ] && fail "default: wrote to stderr: $(cat "$work/stderr")"
for pair in disk:check_disk load:check_load memory:check_mem swap:check_swap processes:check_procs \
	users:check_users uptime:check_uptime; do
	name=${pair%%:*}
	plugin=${pair#*:}
	line=$(grep "^\[[A-Z]*\] $name: " <<<"$out")
	[ -n "$line" ] || fail "default: no line for $name"
	if [ -x "$PLUGINDIR/$plugin" ]; then
		# a built plugin must have run and answered like a plugin
		grep -Eq "^\[[A-Z]+\] $name: (plugin not found|printed|exited|killed|timed out)" <<<"$line" &&
			fail "default: $name did not give a plugin answer: $line"
	else
		grep -qF "[UNKNOWN] $name: plugin not found: '$plugin' is not in --plugin-dir '$PLUGINDIR'" <<<"$line" ||
			fail "default: missing core plugin $plugin not reported UNKNOWN: $line"
	fi
done
for pair in clamav:check_clamav apt:check_apt reboot:check_reboot; do
	name=${pair%%:*}
	plugin=${pair#*:}
	if [ ! -x "$PLUGINDIR/$plugin" ] && grep -q "^\[[A-Z]*\] $name: " <<<"$out"; then
		fail "default: optional $name is listed although $plugin is not built"
	fi
done
# the JSON form carries every check by name, with its state
if command -v python3 >/dev/null; then
	"$bundle" --output-format=json >"$work/json" 2>/dev/null
	python3 - "$work/json" <<'PY' || fail "default: JSON"
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

exit $failed
