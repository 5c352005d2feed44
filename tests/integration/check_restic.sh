#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_restic against real repositories made by Debian's restic in a temporary directory:
# snapshots at chosen times (restic backup --time, made under different TZ so the stored
# times carry different UTC offsets), several hosts, paths and tags, an empty repository,
# a missing one, a wrong password, an exclusive lock held by a live restic, a snapshot in
# the future, restic missing, a restic that hangs and one that prints garbage.  Every
# assertion runs under TZ values east and west of UTC: the states and ages must not change,
# only the local time shown in the summary.
# Checks run through tests/helpers/integration.sh (expect, expect_output, ok, pass, fail).
# Skips (77) without restic (Debian package restic) or without the plugin (no json-c).
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
msp_plugin check_restic
msp_need restic
msp_tmpdir restic
lock_pid=
stop_lock() {
	exec 7>&- 2>/dev/null
	if [ -n "$lock_pid" ]; then
		kill "$lock_pid" 2>/dev/null
		wait "$lock_pid" 2>/dev/null
	fi
}
msp_on_exit stop_lock
cd "$work" || exit 1

secret="pw-$$-sEcReT"
printf '%s\n' "$secret" >pw
printf 'not-the-password\n' >pw.wrong
mkdir -p srv/www srv/db etc
echo www >srv/www/index.html
echo db >srv/db/dump.sql
echo etc >etc/hosts
export RESTIC_CACHE_DIR=$work/restic-cache

# backup TZ AGO HOST PATH [TAG...]: a snapshot whose time is AGO (a date -d phrase) in zone TZ.
backup() {
	local tz=$1 ago=$2 host=$3 path=$4 t
	shift 4
	t=$(TZ=$tz date -d "$ago" '+%Y-%m-%d %H:%M:%S')
	TZ=$tz restic -q -r repo --password-file pw backup --host "$host" --time "$t" "${@/#/--tag=}" "$path" ||
		{ echo "setup: restic backup failed"; exit 1; }
}

restic -q -r repo --password-file pw init >/dev/null || { echo "setup: restic init failed"; exit 1; }
restic -q -r empty --password-file pw init >/dev/null || exit 1
backup Pacific/Auckland '30 hours ago' web1 srv/www daily
backup Pacific/Auckland '2 hours ago' web1 srv/www daily
backup America/Los_Angeles '30 hours ago' db1 srv/db daily
backup Asia/Kolkata '3 days ago' old1 etc legacy
backup UTC 'now + 2 hours' clockskew etc
echo "setup: $(restic -r repo --password-file pw snapshots --json --no-lock | grep -o '"time":"[^"]*"' | tr '\n' ' ')"

# Stand-ins for --restic-bin: one that hangs, one that prints garbage, one that records how it was run.
printf '#!/bin/sh\nsleep 60\n' >hang.sh
printf '#!/bin/sh\necho "this is not JSON"\n' >garbage.sh
cat >spy.sh <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$work/spy.argv"
env | cut -d= -f1 | sort >"$work/spy.envnames"
env >"$work/spy.env"
exec restic "\$@"
EOF
chmod +x hang.sh garbage.sh spy.sh

R=(-r "$work/repo" -p "$work/pw")
for zone in Pacific/Auckland America/Los_Angeles; do
	export TZ=$zone
	off=$(date '+%z' | sed 's/+/\\+/')

	# ages 2 h, 30 h, 3 d against the defaults 26h/50h; the local time is shown in this host's zone
	expect 0 "^RESTIC OK - newest snapshot 2h( [0-9]+m)? ago \(web1, [0-9-]+ [0-9:]+ $off\), 2 snapshots \| age=7[0-9]{3}s;93600;180000;0 snapshots=2;;;0$" "${R[@]}" --host web1
	expect_output "\nnewest snapshot [0-9a-f]{8} of web1, paths $work/srv/www, tags daily\n"
	expect 1 "^RESTIC WARNING - newest snapshot 1d 6h( [0-9]+m)? ago \(db1, .*\), 1 snapshot \| age=108[0-9]{3}s;93600;180000;0 snapshots=1;;;0$" "${R[@]}" --host db1
	expect 2 "^RESTIC CRITICAL - newest snapshot 3d( [0-9]+h)? ago \(old1, [^)]*\), 1 snapshot \| age=259[0-9]{3}s;93600;180000;0 snapshots=1;;;0$" "${R[@]}" --host old1
	expect 0 "^RESTIC OK - .*\| age=259[0-9]{3}s;345600;432000;0 " "${R[@]}" --host old1 -w 4d -c 5d
	expect 1 "^RESTIC WARNING - .*\| age=259[0-9]{3}s;345600:864000;1728000;0 " "${R[@]}" --host old1 -w 4d:10d -c 20d
	expect 0 "^RESTIC OK - .*\| age=259[0-9]{3}s;86400:345600;432000;0 " "${R[@]}" --host old1 -w 1d:4d -c 5d
	expect 1 "^RESTIC WARNING - .*\| age=7[0-9]{3}s;10800:86400;172800;0 " "${R[@]}" --host web1 -w 3h:1d -c 2d
	# a snapshot 2 hours ahead: a clock problem, not a fresh backup
	expect 1 "^RESTIC WARNING - newest snapshot 1h 5[0-9]m in the future \(clock problem\?\) \(clockskew, .*\| age=0s;" "${R[@]}" --host clockskew
	expect 0 "^RESTIC OK - newest snapshot just now \(clockskew" "${R[@]}" --host clockskew --max-future 3h
	# the newest of all is the one in the future
	expect 1 "^RESTIC WARNING - .* in the future .*, 5 snapshots \| age=0s;93600;180000;0 snapshots=5;;;0$" "${R[@]}"
	# groups: each judged on its own, worst first
	expect 1 "^RESTIC WARNING - db1: newest snapshot 1d 6h.*; 1 of 2 groups not OK \| groups=2;;2:;0 db1_age=108[0-9]{3}s;93600;180000;0 db1_snapshots=1;;;0 web1_age=7[0-9]{3}s;93600;180000;0 web1_snapshots=2;;;0$" "${R[@]}" --host web1 --host db1 --group-by host --expect-groups 2
	expect_output "\n\[WARNING\] db1: newest snapshot 1d 6h[^\n]*\n\[OK\] web1: newest snapshot 2h[^\n]*2 snapshots\n$"
	expect 2 "^RESTIC CRITICAL - only 2 of 3 expected groups; db1: .*\| groups=2;;3:;0 " "${R[@]}" --host web1 --host db1 --group-by host --expect-groups 3
	expect 2 "^RESTIC CRITICAL - old1:$work/etc:legacy: newest snapshot 3d.*; 3 of 4 groups not OK \| groups=4;;;0 " "${R[@]}" --group-by host,paths,tags
	expect_output "\n\[OK\] web1:$work/srv/www:daily: newest snapshot 2h"
	expect 0 "^RESTIC OK - 1 group OK, stalest daily: newest snapshot 2h" "${R[@]}" --group-by tags --tag daily --host web1
	expect 2 "^RESTIC CRITICAL - no snapshot matches --host 'nobody' \| groups=0;;;0$" "${R[@]}" --group-by host --host nobody
done

# States that do not depend on time, once (TZ stays west of UTC)
# filters: [] is CRITICAL naming them
expect 2 "^RESTIC CRITICAL - no snapshot matches --host 'typo' \| snapshots=0;;;0$" "${R[@]}" --host typo
expect 2 "^RESTIC CRITICAL - no snapshot matches --host 'web1' --tag 'legacy' \|" "${R[@]}" --host web1 --tag legacy
expect 0 "^RESTIC OK - newest snapshot 2h.* 2 snapshots \|" "${R[@]}" --tag daily --path "$work/srv/www"
expect 1 "^RESTIC WARNING - newest snapshot 1d 6h.*\(db1, .* 1 snapshot \|" "${R[@]}" --path "$work/srv/db"
expect 0 "^RESTIC OK - newest snapshot 2h.*\(web1, .*, 3 snapshots \|" "${R[@]}" --host web1 --host db1
expect 1 "^RESTIC WARNING - newest snapshot 1d 6h.*\(db1, .*, 2 snapshots \|" "${R[@]}" --tag legacy --tag daily,db1 --tag daily --host db1 --host old1 -w 26h -c 4d
expect 2 "^RESTIC CRITICAL - newest snapshot 2h.*, 2 snapshots, fewer than 3 \| age=[0-9]+s;93600;180000;0 snapshots=2;;3:;0$" "${R[@]}" --host web1 --min-snapshots 3
# an empty repository, a missing one, a wrong password: never OK
expect 2 "^RESTIC CRITICAL - no snapshots in the repository \| snapshots=0;;;0$" -r "$work/empty" -p "$work/pw"
expect 2 "^RESTIC CRITICAL - repository '$work/missing' does not exist or cannot be reached$" -r "$work/missing" -p "$work/pw"
expect 3 "^RESTIC UNKNOWN - wrong password for repository '$work/repo' \(no key matches\)$" -r "$work/repo" -p "$work/pw.wrong"
expect 3 "^RESTIC UNKNOWN - the password for repository '$work/repo' is empty$" -r "$work/repo" -p /dev/null
expect 3 "^RESTIC UNKNOWN - cannot get the password: .*$work/no-such-file does not exist$" -r "$work/repo" -p "$work/no-such-file"
expect 3 "^RESTIC UNKNOWN - cannot get the password: Resolving password failed: exit status 1$" -r "$work/repo" --password-command false
expect 0 "^RESTIC OK - newest snapshot 2h" -r "$work/repo" --password-command "cat $work/pw" --host web1
# restic missing, hanging, printing garbage
expect 3 "^RESTIC UNKNOWN - '$work/no-restic' not found \(install restic or give --restic-bin\)$" "${R[@]}" --restic-bin "$work/no-restic"
expect 3 "^RESTIC UNKNOWN - cannot parse the snapshot list: " "${R[@]}" --restic-bin "$work/garbage.sh"
expect 0 '^\{"version":1,.*"state":"OK","exit_code":0,"summary":"newest snapshot 2h' "${R[@]}" --host web1 --output-format json

# the environment: options and RESTIC_* variables, with the options winning
echo "$work/repo" >repo-file
expect 0 "^RESTIC OK - newest snapshot 2h" --host web1 --repository-file "$work/repo-file" -p "$work/pw"
RESTIC_REPOSITORY=$work/repo RESTIC_PASSWORD_FILE=$work/pw expect 0 "^RESTIC OK - newest snapshot 2h" --host web1
RESTIC_REPOSITORY=$work/repo RESTIC_PASSWORD_FILE=$work/pw.wrong expect 0 "^RESTIC OK - " --host web1 -p "$work/pw"
RESTIC_REPOSITORY=$work/repo RESTIC_PASSWORD_COMMAND="cat $work/pw" expect 0 "^RESTIC OK - " --host web1
RESTIC_REPOSITORY=$work/missing expect 0 "^RESTIC OK - " -r "$work/repo" -p "$work/pw" --host web1
expect 3 "^RESTIC UNKNOWN - no password: " -r "$work/repo"
expect 3 "^RESTIC UNKNOWN - give --password-file or --password-command, not both$" "${R[@]}" --password-command true

# secrets: RESTIC_PASSWORD reaches restic only through its environment, never argv or our output, also not with -vvv
out=$(env -u RESTIC_CACHE_DIR RESTIC_PASSWORD="$secret" RESTIC_REPOSITORY="$work/repo" AWS_SECRET_ACCESS_KEY=leak "$plugin" -vvv --host web1 \
	--restic-bin "$work/spy.sh" 2>&1)
rc=$?
if [ "$rc" = 0 ] && ! grep -qF "$secret" <<<"$out" && ! grep -qF "$secret" "$work/spy.argv" &&
	grep -qx "RESTIC_PASSWORD=$secret" "$work/spy.env" && ! grep -q AWS_SECRET "$work/spy.env" &&
	grep -q '^running: .*spy.sh snapshots --json --no-lock --no-cache --host web1$' <<<"$out" &&
	grep -Eq '^environment: PATH=[^ ]+ LC_ALL=C( HOME=[^ ]*)? RESTIC_REPOSITORY=[^ ]+ RESTIC_PASSWORD=\(hidden\)$' <<<"$out"; then
	pass "secrets: RESTIC_PASSWORD only in restic's environment, -vvv shows the command without it"
else
	fail "secrets: exit $rc; output:"; printf '%s\n' "$out" | sed 's/^/    /'
	echo "    restic argv: $(tr '\n' ' ' <"$work/spy.argv")"; echo "    restic env: $(tr '\n' ' ' <"$work/spy.envnames")"
fi
# --pass-env hands over a named variable and nothing else of ours
AWS_ACCESS_KEY_ID=key1 OTHER=x expect 0 "^RESTIC OK - " "${R[@]}" --host web1 --restic-bin "$work/spy.sh" --pass-env AWS_ACCESS_KEY_ID
if grep -qx AWS_ACCESS_KEY_ID=key1 "$work/spy.env" && ! grep -q '^OTHER=' "$work/spy.env" &&
	! grep -qF "$secret" "$work/spy.argv"; then
	pass "--pass-env hands over AWS_ACCESS_KEY_ID and nothing else"
else
	fail "--pass-env: $(tr '\n' ' ' <"$work/spy.envnames")"
fi
# without a cache directory restic runs with --no-cache; with one it fills it
expect 0 "^RESTIC OK - " "${R[@]}" --host web1 --cache-dir "$work/cache2"
ok "--cache-dir is filled" [ -n "$(ls -A "$work/cache2" 2>/dev/null)" ]
# --sudo: repository and password file go to restic as options (sudo resets the environment)
if sudo -n true 2>/dev/null; then
	expect 0 "^RESTIC OK - newest snapshot 2h" "${R[@]}" --host web1 --sudo
	expect 3 "^RESTIC UNKNOWN - wrong password" -r "$work/repo" -p "$work/pw.wrong" --sudo
else
	echo "note: sudo -n does not work here: --sudo not tested"
fi

# a hanging restic is killed and the plugin ends within -t, naming the step
start=$(date +%s%N)
expect 3 "^RESTIC UNKNOWN - timed out after 3 s while running restic snapshots( \(killed it\)| on '$work/repo')" "${R[@]}" --restic-bin "$work/hang.sh" -t 3
expect 2 "^RESTIC CRITICAL - timed out after 3 s while running restic snapshots" "${R[@]}" --restic-bin "$work/hang.sh" -t 3:critical
took=$((($(date +%s%N) - start) / 1000000))
if [ "$took" -lt 10000 ] && ! pgrep -f "$work/hang.sh" >/dev/null; then
	pass "two runs with -t 3 took $took ms and left no hang.sh running"
else
	fail "two runs with -t 3 took $took ms or left hang.sh running"
fi

# an exclusive lock held by a live restic (key passwd waits for the new password on a fifo)
mkfifo "$work/fifo"
RESTIC_PASSWORD_FILE=$work/pw restic -r "$work/repo" key passwd <"$work/fifo" >/dev/null 2>&1 &
lock_pid=$!
exec 7>"$work/fifo"
for _ in $(seq 1 100); do [ -n "$(ls "$work/repo/locks")" ] && break; sleep 0.1; done
if [ -z "$(ls "$work/repo/locks")" ]; then
	fail "setup: restic key passwd took no lock"
else
	# --no-lock (the default) reads the snapshots anyway
	expect 0 "^RESTIC OK - newest snapshot 2h" "${R[@]}" --host web1
	expect 1 "^RESTIC WARNING - repository '$work/repo' is locked exclusively by PID $lock_pid on [^ ]+ by [a-z]+$" "${R[@]}" --host web1 --lock
	expect 2 "^RESTIC CRITICAL - repository '$work/repo' is locked exclusively by PID $lock_pid " "${R[@]}" --lock --lock-state critical
	expect 0 "^RESTIC OK - repository '$work/repo' is locked " "${R[@]}" --lock --lock-state ok
fi
exec 7>&-
wait "$lock_pid" 2>/dev/null
lock_pid=
expect 0 "^RESTIC OK - newest snapshot 2h" "${R[@]}" --host web1 --lock

# Secrets restic quotes back never show, whatever a URL password holds, also not with -vvv:
# a rest: URL whose password holds '@' to a port where nothing listens (restic hides it itself),
# one whose password holds '/' (restic's URL parser quotes it back, and a part of it as a port),
# and a wrapper that echoes the password it was given.
expect 2 "^RESTIC CRITICAL - repository 'rest:http://user:\*\*\*@127.0.0.1:1/repo' does not exist or cannot be reached$" \
	-r 'rest:http://user:p@ss@127.0.0.1:1/repo' -p "$work/pw"
out=$(RESTIC_PASSWORD=$secret "$plugin" -vvv -r 'rest:http://user:pa/sS3cret@127.0.0.1:1/' 2>&1)
ok "-vvv: a URL password with '/' and RESTIC_PASSWORD never show" \
	eval '! grep -q -e "pa/sS3cret" -e "\"pa\"" -e ":pa\"" -e "$secret" <<<"$out" && grep -qF "user:***@127.0.0.1:1/" <<<"$out"'
printf '#!/bin/sh\necho "Fatal: cannot use $RESTIC_PASSWORD nor $(cat "$RESTIC_PASSWORD_FILE" 2>/dev/null)" >&2\nexit 1\n' >"$work/echo-secret.sh"
chmod +x "$work/echo-secret.sh"
out=$(RESTIC_PASSWORD=$secret "$plugin" -vvv -r "$work/repo" --restic-bin "$work/echo-secret.sh" 2>&1)
ok "-vvv: a password the tool echoes never shows" eval '! grep -qF "$secret" <<<"$out" && grep -q "cannot use \*\*\* nor" <<<"$out"'
out=$("$plugin" -vvv -r "$work/repo" -p "$work/pw" --restic-bin "$work/echo-secret.sh" 2>&1)
ok "-vvv: the password file's text the tool echoes never shows" eval '! grep -qF "$secret" <<<"$out" && grep -q "nor \*\*\*" <<<"$out"'

# --lock as a user that may read the repository but not write its locks: restic retries the lock
# until it is killed; the message names why, not only the timeout
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 0755 "$work" && chmod -R a+rX "$work/repo" && chmod 0644 "$work/pw"
	out=$(HOME=/nonexistent setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$plugin" "${R[@]}" --lock -t 4 2>&1)
	rc=$?
	ok "--lock as a read-only user: the lock retries are named (exit $rc: $out)" eval \
		'[ "$rc" = 3 ] && grep -Eq "^RESTIC UNKNOWN - timed out after 4 s while running restic snapshots \(killed it\); it was retrying to make a lock \(--lock\): open $work/repo/locks/[^ ]*: permission denied$" <<<"$out"'
	chmod 0700 "$work"
fi

msp_done
