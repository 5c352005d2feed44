#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Child scripts and bundle config files for the check_bundle CLI cases, created in $TMP.
# Each child stands for one way a check can end: each state, a hang past its deadline,
# garbage, no output, exit codes outside 0..3, death by signal.  The configs combine them.
set -e
: "${TMP:?TMP must name a directory}"
cd "$TMP"

# child NAME: an executable /bin/sh script from stdin
child() {
	{ echo '#!/bin/sh'; cat; } >"$1"
	chmod +x "$1"
}

child ok <<'SH'
echo "CHILD OK - fine | time=0.5s;1;2;0 'a b'=3"
SH
child warn <<'SH'
echo "CHILD WARNING - a bit | used=80%;70;90;0;100"
exit 1
SH
child crit <<'SH'
echo "CHILD CRITICAL - down"
exit 2
SH
child unknown <<'SH'
echo "CHILD UNKNOWN - cannot tell"
exit 3
SH
child hang <<'SH'
echo started
exec sleep 60
SH
child garbage <<'SH'
head -c 64 /bin/true
SH
child silent <<'SH'
exit 0
SH
child e127 <<'SH'
echo "sh: 1: nothing: not found"
exit 127
SH
child e139 <<'SH'
exit 139
SH
child segv <<'SH'
kill -SEGV $$
SH
child badperf <<'SH'
echo "CHILD OK - odd perfdata | good=1 bad=1,5 worse=U"
SH
child args <<'SH'
echo "ARGS OK - $(printf '%s/' "$@")"
SH
child env <<'SH'
echo "ENV OK - $(env | sort | tr '\n' ' ')"
SH
child sleep1 <<'SH'
sleep 1
echo "SLEEP OK - slept 1 s"
SH

cat >all-ok.conf <<CONF
# every check fine
one = $TMP/ok
two = $TMP/ok --ignored-args
CONF
cat >states.conf <<CONF
ok = $TMP/ok
warn = $TMP/warn
crit = $TMP/crit
unknown = $TMP/unknown
CONF
printf 'ok = %s/ok\nwarn = %s/warn\n' "$TMP" "$TMP" >warn.conf
printf 'ok = %s/ok\nunknown = %s/unknown\nwarn = %s/warn\n' "$TMP" "$TMP" "$TMP" >unknown.conf
printf 'ok = %s/ok\nhang = %s/hang\n' "$TMP" "$TMP" >hang.conf
printf 'ok = %s/ok\nhang (timeout=1s) = %s/hang\n' "$TMP" "$TMP" >hang-line.conf
printf 'ok = %s/ok\ngarbage = %s/garbage\n' "$TMP" "$TMP" >garbage.conf
printf 'ok = %s/ok\nsilent = %s/silent\n' "$TMP" "$TMP" >silent.conf
printf 'ok = %s/ok\ne127 = %s/e127\n' "$TMP" "$TMP" >e127.conf
printf 'ok = %s/ok\ne139 = %s/e139\n' "$TMP" "$TMP" >e139.conf
printf 'ok = %s/ok\nsegv = %s/segv\n' "$TMP" "$TMP" >segv.conf
printf 'ok = %s/ok\nmissing = %s/no-such-plugin\n' "$TMP" "$TMP" >missing.conf
printf 'ok = %s/ok\nmem = check_mem_not_here -w 1\n' "$TMP" >missing-bare.conf
printf 'ok = %s/ok\nopt (optional) = %s/no-such-plugin\n' "$TMP" "$TMP" >optional.conf
printf 'ok = %s/ok\nreq (requires=/nonexistent/dir) = %s/crit\n' "$TMP" "$TMP" >requires.conf
printf 'badperf = %s/badperf\n' "$TMP" >badperf.conf
printf 'a = %s/args one "two words" '"'"'$HOME'"'"' \\$x "" *\n' "$TMP" >args.conf
printf 'env = %s/env\n' "$TMP" >env.conf
printf 'ok = %s/ok\nok = %s/ok\n' "$TMP" "$TMP" >dup.conf
printf 'ok = %s/ok | grep OK\n' "$TMP" >shell.conf
printf 'ok %s/ok\n' "$TMP" >noeq.conf
printf 'ok = ./ok\n' >relative.conf
printf '# nothing\n\n' >empty.conf
: >everything.conf
for c in ok warn crit unknown hang garbage silent e127 e139 segv badperf; do
	printf '%s = %s/%s\n' "$c" "$TMP" "$c" >>everything.conf
done
printf 'missing = %s/no-such-plugin\n' "$TMP" >>everything.conf
# a plugin directory with a bare-name child
mkdir -p plugindir
cp ok plugindir/check_fake
printf 'fake = check_fake -w 1\n' >bare.conf
# --set replaces the arguments of a check; --list says what would run and why not
cp args plugindir/check_args
printf 'a = check_args one "two words"\nb = %s/args three\n' "$TMP" >set.conf
printf 'ok = %s/ok\nslow = %s/sleep1\n' "$TMP" "$TMP" >slow.conf
cat >list.conf <<CONF
fake = check_fake -w 1 'two words'
mem = check_mem_not_here -w 1
abs = $TMP/ok
gone = $TMP/no-such-plugin
opt (optional) = check_opt_not_here
req (requires=/nonexistent/dir) = check_fake
skip = check_fake
CONF
# limits: 64 checks run, the 65th is an error (never a write past the table); a NUL byte,
# an overlong line and a file past 256 KiB are errors, never a silently shorter profile
: >64.conf
for i in $(seq 1 64); do
	printf 'c%d = %s/ok\n' "$i" "$TMP" >>64.conf
done
cp 64.conf 65.conf
printf 'c65 = %s/ok\n' "$TMP" >>65.conf
printf 'ok = %s/ok\n\0crit = %s/crit\n' "$TMP" "$TMP" >nul.conf
{ printf 'ok = %s/ok ' "$TMP"; head -c 9000 /dev/zero | tr '\0' a; echo; } >longline.conf
{ printf 'crit = %s/crit\n' "$TMP"; for i in $(seq 1 3000); do
	echo "# padding line $i: a profile larger than the 256 KiB ceiling, ............................"
done; printf 'ok = %s/ok\n' "$TMP"; } >big.conf
