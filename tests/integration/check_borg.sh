#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_borg against real repositories made by Debian's borg in a temporary directory:
# archives at chosen times (borg create --timestamp, which takes UTC), series system-*,
# home-*, db-*, a checkpoint left by a killed borg create, an encrypted (repokey) and an
# unencrypted (none) repository, an empty one, a missing one, a moved one, a wrong
# passphrase, a lock held by a live borg (borg with-lock), an archive in the future, borg
# missing, and a borg that hangs.  The time-dependent assertions run under TZ values east
# and west of UTC: states and ages must not change, only the local time in the long output.
# shellcheck disable=SC2317 # functions run through ok and msp_on_exit
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
msp_plugin check_borg
msp_need borg
msp_tmpdir borg
# the runs give -t 120 (borg starts slowly on a busy machine): the harness must not stop them first
MSP_RUN_TIMEOUT=150

bg_pids=()
# On the way out: end the background borg runs (by their ids) and their children.
stop_bg() {
	local p
	for p in "${bg_pids[@]}"; do
		kill -9 $(pgrep -P "$p") "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
}
msp_on_exit stop_bg
cd "$work" || exit 1

secret="pp-$$-sEcReT"
printf '%s\n' "$secret" >pw
printf 'not-the-passphrase\n' >pw.wrong
mkdir -p data
echo one >data/a
echo two >data/b
# The test's own borg runs: a base dir of their own, never the plugin's.
export BORG_BASE_DIR=$work/setup-base BORG_PASSPHRASE=$secret
now=$(date +%s)

# archive REPO NAME SECONDS: an archive dated SECONDS from now (negative = in the past).
archive() {
	local t
	t=$(date -u -d "@$((now + $3))" '+%Y-%m-%dT%H:%M:%S')
	borg create --timestamp "$t" "$1::$2" data 2>/dev/null || { echo "setup: borg create $2 failed"; exit 1; }
}

borg init -e repokey repo 2>/dev/null || { echo "setup: borg init failed"; exit 1; }
borg init -e none plain 2>/dev/null || { echo "setup: borg init -e none failed"; exit 1; }
borg init -e repokey future 2>/dev/null || { echo "setup: borg init failed"; exit 1; }
archive repo system-1 $((-30 * 3600))
archive repo home-1 $((-60 * 3600))
archive repo db-1 $((-3 * 86400))
archive repo home-2 $((-30 * 3600))
archive repo ckpt-1 $((-30 * 3600))
archive repo system-2 $((-2 * 3600))
archive future future-1 $((2 * 3600))

# A checkpoint: borg create reads slow input with --checkpoint-interval 1 and is killed once
# it has written one.  The checkpoint carries the current time, so it is the newest archive.
# The input never ends, so borg create cannot finish (which would delete its checkpoints).
(while :; do head -c 8192 /dev/urandom || exit; sleep 0.25; done) |
	borg create --checkpoint-interval 1 --chunker-params fixed,4096 repo::ckpt-2 - 2>/dev/null &
create_pid=$!
bg_pids+=("$create_pid")
until_t=$((SECONDS + 240))
while [ $SECONDS -lt $until_t ]; do
	BORG_BASE_DIR=$work/poll-base borg list --consider-checkpoints --bypass-lock --short repo 2>/dev/null |
		grep -q '^ckpt-2\.checkpoint$' && break
	sleep 1
done
kill -9 "$create_pid" 2>/dev/null
wait "$create_pid" 2>/dev/null
# The killed borg left its lock.  borg removes a dead process's lock itself only when it can
# tell the lock is from this host, which it cannot inside a network namespace (its host id
# includes a MAC address): remove it as an administrator would after a crash.
borg break-lock repo 2>/dev/null
if ! borg list --consider-checkpoints --short repo 2>/dev/null | grep -q '^ckpt-2\.checkpoint$'; then
	echo "setup: no checkpoint archive appeared"
	exit 1
fi
echo "setup: $(borg list --consider-checkpoints --format '{name} {time}{TAB}' repo 2>/dev/null)"

# Stand-ins for --borg-bin: one that hangs, one that records how it was run.
printf '#!/bin/sh\nexec sleep 60\n' >hang.sh
cat >spy.sh <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$work/spy.argv"
env >"$work/spy.env"
exec borg "\$@"
EOF
chmod +x hang.sh spy.sh
unset BORG_PASSPHRASE BORG_BASE_DIR

# The private temporary directory (borg's cache and security data) is removed however check_borg
# ends: its own deadline, SIGTERM, even SIGKILL.  The stand-in ignores SIGTERM and hangs, so the
# runner's deadline and signal handlers end the plugin while borg still runs; the janitor process
# must notice and clean up, and borg must not hold the janitor's pipe (the stand-in still runs
# after a SIGKILL of the plugin).
mkdir -p "$work/jtmp"
printf '#!/bin/sh\necho $$ >"%s/stubborn.pid"\ntrap "" TERM\nexec sleep 60\n' "$work" >stubborn.sh
chmod +x stubborn.sh
# gone_soon DIR: DIR holds nothing within 2 s
gone_soon() {
	local i
	for i in $(seq 1 20); do
		[ -z "$(ls -A "$1")" ] && return 0
		sleep 0.1
	done
	echo "    left in $1: $(ls -A "$1")"
	return 1
}
# started_soon: the stand-in runs (its pid file is written) within 10 s
started_soon() {
	local i
	for i in $(seq 1 100); do
		[ -s "$work/stubborn.pid" ] && return 0
		sleep 0.1
	done
	return 1
}
stop_stubborn() {
	[ -s "$work/stubborn.pid" ] && kill -9 "$(cat "$work/stubborn.pid")" 2>/dev/null
	rm -f "$work/stubborn.pid"
	rm -rf "${work:?}/jtmp/"*
}
J=(-R "$work/repo" --passphrase-file "$work/pw" --borg-bin "$work/stubborn.sh")
TMPDIR=$work/jtmp expect 3 "^BORG UNKNOWN - timed out after 1 s while running borg list on '$work/repo'$" "${J[@]}" -t 1 --lock-wait 0
ok "-t 1: the temporary directory is removed" gone_soon "$work/jtmp"
stop_stubborn
for sig in TERM KILL; do
	TMPDIR=$work/jtmp "$plugin" "${J[@]}" -t 60 >"$work/sig.out" 2>&1 &
	plugin_pid=$!
	ok "SIG$sig: the borg stand-in started" started_soon
	kill -s "$sig" "$plugin_pid"
	wait "$plugin_pid"
	rc=$?
	if [ "$sig" = TERM ]; then
		ok "SIGTERM: exit 3 and 'interrupted by SIGTERM' (exit $rc: $(head -c 200 "$work/sig.out"))" \
			eval '[ "$rc" = 3 ] && grep -qx "BORG UNKNOWN - interrupted by SIGTERM" "$work/sig.out"'
	fi
	ok "SIG$sig: the temporary directory is removed" gone_soon "$work/jtmp"
	stop_stubborn
done

# The password of the repository location never shows, whatever borg quotes back (here ssh's
# and borg's messages for a host that refuses: the namespace has no sshd)
expect 2 "^BORG CRITICAL - cannot reach repository 'u:\*\*\*@127.0.0.1:repo': " -R 'u:p@ss@127.0.0.1:repo' --passphrase-file "$work/pw"
expect 3 "^BORG UNKNOWN - borg list failed \(exit 2\): .*Invalid location format: \"ssh://u:\*\*\*@127.0.0.1:1/./repo\"$" -R 'ssh://u:S3cretPw@127.0.0.1:1/./repo'
out=$(BORG_PASSPHRASE=pp-S3cret "$plugin" -vvv -R 'ssh://u:S3cretPw@127.0.0.1:1/./repo' 2>&1)
ok "-vvv shows neither the URL password nor the passphrase" eval '! grep -q -e S3cretPw -e pp-S3cret <<<"$out" && grep -qF "u:***@" <<<"$out"'

# -t 120: borg starts slowly on a busy machine, and a locked repository takes two borg runs
R=(-R "$work/repo" --passphrase-file "$work/pw" -t 120)
# Ages in seconds, with up to an hour for the time the test takes on a busy machine.
A2='(7[2-9][0-9]{2}|[89][0-9]{3}|10[0-7][0-9]{2})' # 2 h
A30='1(0[89]|1[01])[0-9]{3}'                      # 30 h
A3D='2(59|6[0-2])[0-9]{3}'                         # 3 d
for zone in Pacific/Auckland America/Los_Angeles; do
	echo "TZ=$zone"
	export TZ=$zone
	off=$(date '+%z' | sed 's/+/\\+/')
	# the whole repository: system-2 is the newest real archive; the newer checkpoint does not count
	expect 0 "^BORG OK - newest 'system-2' 2h( [0-9]+m)? ago \| age=${A2}s;93600;180000;0 archives=6;;;0$" "${R[@]}"
	expect_output "\n\[OK\] newest 'system-2' 2h( [0-9]+m)? ago \([0-9-]+ [0-9:]+ $off\), 6 archives\n  newer checkpoint 'ckpt-2.checkpoint' \((just now|[0-9]+s ago|[0-9]+m( [0-9]+s)? ago)\) not counted"
	# each series on its own; the worst is named first in the summary
	expect 2 "^BORG CRITICAL - db-\*: newest 'db-1' 3d ago; 1 of 4 series OK \| system_age=${A2}s;93600;180000;0 system_archives=2;;;0 home_age=${A30}s;93600;180000;0 home_archives=2;;;0 db_age=${A3D}s;93600;180000;0 db_archives=1;;;0 ckpt_age=${A30}s;93600;180000;0 ckpt_archives=1;;;0$" \
		"${R[@]}" -a 'system-*' -a 'home-*' -a 'db-*' -a 'ckpt-*'
	expect_output "\n\[CRITICAL\] db-\*: newest 'db-1' 3d ago \([^)]* $off\), 1 archive\n\[WARNING\] home-\*: newest 'home-2' 1d 6h[^\n]*2 archives\n\[WARNING\] ckpt-\*: newest 'ckpt-1' 1d 6h[^\n]*1 archive\n  newer checkpoint 'ckpt-2.checkpoint' [^\n]* not counted[^\n]*\n\[OK\] system-\*: newest 'system-2' 2h"
	expect 1 "^BORG WARNING - newest 'future-1' 1h( [0-9]+m)? in the future \(clock problem\?\) \| age=0s;93600;180000;0 archives=1;;;0$" -R "$work/future" --passphrase-file "$work/pw"
done

# The other time-dependent states once (TZ stays west of UTC)
expect 0 "^BORG OK - system-\*: newest 'system-2' 2h( [0-9]+m)? ago \| system_age=${A2}s;93600;180000;0 system_archives=2;;;0$" "${R[@]}" -a 'system-*'
expect 0 "^BORG OK - db-\*: newest 'db-1' 3d ago \| db_age=${A3D}s;345600;432000;0 " "${R[@]}" -a 'db-*' -w 4d -c 5d
expect 1 "^BORG WARNING - system-\*: newest 'system-2' .*\| system_age=${A2}s;10800:86400;172800;0 " "${R[@]}" -a 'system-*' -w 3h:1d -c 2d
# a glob that matches nothing, an archive in the future
expect 2 "^BORG CRITICAL - web-\*: no archive matches; 1 of 2 series OK \| system_age=${A2}s;93600;180000;0 system_archives=2;;;0 web_archives=0;;;0$" "${R[@]}" -a 'system-*' -a 'web-*'
expect 0 "^BORG OK - newest 'future-1' just now \| age=0s;" -R "$work/future" --passphrase-file "$work/pw" --max-future 3h

# States that do not depend on time, once (TZ stays west of UTC)
# an empty repository, an unencrypted one borg has not seen, a missing one, not a repository
expect 2 "^BORG CRITICAL - no archives in the repository \| archives=0;;;0$" -R "$work/plain" --allow-unencrypted
expect 2 "^BORG CRITICAL - system-\*: no archive matches \| system_archives=0;;;0$" -R "$work/plain" --allow-unencrypted -a 'system-*'
expect 3 "^BORG UNKNOWN - '$work/plain' is an unencrypted repository borg has not seen before: give --allow-unencrypted$" -R "$work/plain"
expect 2 "^BORG CRITICAL - repository '$work/missing' does not exist$" -R "$work/missing" --passphrase-file "$work/pw"
expect 2 "^BORG CRITICAL - '$work/data' is not a borg repository$" -R "$work/data" --passphrase-file "$work/pw"
# a moved repository, seen before from a lasting base dir
expect 2 "^BORG CRITICAL - no archives in the repository" -R "$work/plain" --allow-unencrypted --base-dir "$work/keep-base"
mv "$work/plain" "$work/moved"
expect 3 "^BORG UNKNOWN - repository '$work/moved' was known at another location: give --allow-relocated$" -R "$work/moved" --allow-unencrypted --base-dir "$work/keep-base"
expect 2 "^BORG CRITICAL - no archives in the repository" -R "$work/moved" --allow-unencrypted --allow-relocated --base-dir "$work/keep-base"
# passphrases: a file, our BORG_PASSPHRASE or BORG_PASSCOMMAND, wrong, none
expect 3 "^BORG UNKNOWN - wrong passphrase for '$work/repo' \(--passphrase-file\)$" -R "$work/repo" --passphrase-file "$work/pw.wrong"
expect 3 "^BORG UNKNOWN - wrong passphrase for '$work/repo' \(none given: use --passphrase-file, BORG_PASSCOMMAND or BORG_PASSPHRASE\)$" -R "$work/repo"
BORG_PASSPHRASE=$secret expect 0 "^BORG OK - system-\*: newest 'system-2' 2h" -R "$work/repo" -a 'system-*'
BORG_PASSPHRASE=not-it expect 3 "^BORG UNKNOWN - wrong passphrase for '$work/repo' \(BORG_PASSPHRASE\)$" -R "$work/repo"
BORG_PASSCOMMAND="cat $work/pw" expect 0 "^BORG OK - system-\*: newest 'system-2' 2h" -R "$work/repo" -a 'system-*'
BORG_PASSCOMMAND="cat $work/pw.wrong" expect 3 "^BORG UNKNOWN - wrong passphrase for '$work/repo' \(BORG_PASSCOMMAND\)$" -R "$work/repo"
BORG_PASSCOMMAND="false $secret" expect 3 "^BORG UNKNOWN - BORG_PASSCOMMAND failed: borg got no passphrase for '$work/repo'$" -R "$work/repo"
BORG_PASSPHRASE=not-it expect 0 "^BORG OK - " "${R[@]}" -a 'system-*'
BORG_REPO=$work/repo expect 0 "^BORG OK - system-\*: newest 'system-2' 2h" --passphrase-file "$work/pw" -a 'system-*'
expect 3 "^BORG UNKNOWN - cannot read the passphrase file '$work/no-such-file': No such file or directory$" -R "$work/repo" --passphrase-file "$work/no-such-file"
# borg missing
expect 3 "^BORG UNKNOWN - '$work/no-borg' not found \(install borgbackup or give --borg-bin\)$" "${R[@]}" --borg-bin "$work/no-borg"

# --info: size, deduplicated size, file count and duration of the archive judged, as borg info says
read -r osize dsize nfiles < <(BORG_BASE_DIR=$work/setup-base BORG_PASSPHRASE=$secret borg info --json "$work/repo::system-2" 2>/dev/null |
	python3 -c 'import json,sys; s=json.load(sys.stdin)["archives"][0]["stats"]; print(s["original_size"], s["deduplicated_size"], s["nfiles"])')
expect 0 "^BORG OK - system-\*: newest 'system-2' 2h.* \| system_age=${A2}s;93600;180000;0 system_archives=2;;;0 system_size=${osize}B;;;0 system_deduplicated_size=${dsize}B;;;0 system_files=${nfiles};;;0 system_duration=[0-9.]+s;;;0$" \
	"${R[@]}" -a 'system-*' --info --cache-dir "$work/cache"
expect_output "\n  [0-9.]+ [KMG]?i?B, [0-9.]+ [KMG]?i?B deduplicated, $nfiles files, took [0-9]+s, ended [0-9-]+ [0-9:]+ [-+][0-9]{4}\n"
ok "--cache-dir was used by borg info" test -n "$(ls -A "$work/cache" 2>/dev/null)"
expect 2 "^BORG CRITICAL - web-\*: no archive matches; 1 of 2 series OK \| system_age=.* system_size=${osize}B;;;0 .* web_archives=0;;;0$" "${R[@]}" -a 'system-*' -a 'web-*' --info

# a monitoring user that may read the repository but not write it cannot make borg's lock: the
# archives are read without it and a note says why (borg's LockFailed, not its Python traceback)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 0755 "$work" && chmod -R a+rX "$work/repo" && chmod 0644 "$work/pw"
	out=$(HOME=/nonexistent setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$plugin" -R "$work/repo" --passphrase-file "$work/pw" -a 'system-*' -t 120 --output-format=multi-line 2>&1)
	rc=$?
	if [ "$rc" = 0 ] && grep -q "^\[OK\] - system-\*: newest 'system-2'" <<<"$out" &&
		grep -q "^	\\\\_ archives read without the lock, which cannot be made here: Failed to create/acquire the lock .*Permission denied" <<<"$out" &&
		! grep -q Traceback <<<"$out"; then
		pass "read-only user: archives read without the lock, a note says why"
	else
		fail "read-only user: exit $rc:"
		printf '%s\n' "$out" | sed 's/^/    /'
	fi
	chmod 0700 "$work"
fi

# secrets: the passphrase reaches borg only through its environment, never argv or our output,
# also not with -vvv; borg gets TZ=UTC0 and nothing else of ours; the private base dir is removed
out=$(OTHER=leak BORG_PASSPHRASE=other "$plugin" -vvv "${R[@]}" -a 'system-*' --borg-bin "$work/spy.sh" 2>&1)
rc=$?
base=$(sed -n 's/^BORG_BASE_DIR=//p' "$work/spy.env")
if [ "$rc" = 0 ] && ! grep -qF "$secret" <<<"$out" && ! grep -qF "$secret" "$work/spy.argv" &&
	grep -qx "BORG_PASSPHRASE=$secret" "$work/spy.env" && grep -qx "TZ=UTC0" "$work/spy.env" &&
	! grep -q '^OTHER=' "$work/spy.env" && grep -q 'BORG_PASSPHRASE=(hidden)' <<<"$out" &&
	[ -n "$base" ] && [ ! -e "$base" ]; then
	pass "secrets: only in borg's environment, never in argv or output; the private base dir is removed"
else
	fail "secrets: exit $rc; base dir '$base'; output:"
	printf '%s\n' "$out" | sed 's/^/    /'
	echo "    borg argv: $(tr '\n' ' ' <"$work/spy.argv")"; echo "    borg env: $(cut -d= -f1 "$work/spy.env" | tr '\n' ' ')"
fi
out=$(BORG_PASSPHRASE=$secret "$plugin" -vvv -R "$work/repo" --passphrase-file "$work/pw.wrong" 2>&1)
ok "a wrong passphrase with -vvv shows no passphrase" eval '! grep -qF -e "$secret" -e not-the-passphrase <<<"$out"'

# --sudo (root here may sudo): the passphrase is handed over through --preserve-env
if sudo -n true 2>/dev/null; then
	expect 0 "^BORG OK - system-\*: newest 'system-2' 2h" "${R[@]}" -a 'system-*' --sudo --base-dir "$work/sudo-base"
	expect 3 "^BORG UNKNOWN - wrong passphrase" -R "$work/repo" --passphrase-file "$work/pw.wrong" --sudo --base-dir "$work/sudo-base"
else
	echo "note: sudo -n does not work here: --sudo not tested"
fi

# a hanging borg is killed and the plugin ends within -t, naming the step
start=$(date +%s%N)
expect 3 "^BORG UNKNOWN - timed out after 3 s while running borg list on '$work/repo'$" "${R[@]}" --borg-bin "$work/hang.sh" -t 3
expect 2 "^BORG CRITICAL - timed out after 3 s while running borg list on '$work/repo'$" "${R[@]}" --borg-bin "$work/hang.sh" -t 3:critical
took=$((($(date +%s%N) - start) / 1000000))
ok "two runs with -t 3 took $took ms or left hang.sh running" eval '[ "$took" -lt 10000 ] && ! pgrep -f "$work/hang.sh" >/dev/null'

# a lock held by a live borg (as while borg create runs): reported, not a failure, not a hang
BORG_BASE_DIR=$work/setup-base BORG_PASSPHRASE=$secret borg with-lock "$work/repo" sleep 900 2>/dev/null &
lock_pid=$!
bg_pids+=("$lock_pid")
for _ in $(seq 1 100); do [ -e "$work/repo/lock.exclusive" ] && break; sleep 0.1; done
if [ ! -e "$work/repo/lock.exclusive" ]; then
	fail "setup: borg with-lock took no lock"
else
	# borg waits --lock-wait 1 s, then reads without the lock: not a hang
	expect 1 "^BORG WARNING - system-\*: newest 'system-2' 2h( [0-9]+m)? ago; repository locked \| system_age=${A2}s;" 100000 -- \
		"${R[@]}" -a 'system-*'
	expect_output "\n\[WARNING\] repository locked by another borg process \(a running borg create\?\); archives read without the lock\n\[OK\] system-\*"
	expect 0 "^BORG OK - system-\*: newest 'system-2' .*; repository locked \|" "${R[@]}" -a 'system-*' --lock=ok
	expect 3 "^BORG UNKNOWN - system-\*: newest 'system-2' .*; repository locked \|" "${R[@]}" -a 'system-*' --lock=unknown
	# the lock never hides an old series
	expect 2 "^BORG CRITICAL - db-\*: newest 'db-1' 3d ago; repository locked \|" "${R[@]}" -a 'db-*' --lock=ok
	expect 1 "^BORG WARNING - .*repository locked \| system_age=.* system_size=${osize}B;" "${R[@]}" -a 'system-*' --info --lock-wait 2
fi
# borg with-lock runs sleep as its child: end both, by their ids
kill $(pgrep -P "$lock_pid") "$lock_pid" 2>/dev/null
wait "$lock_pid" 2>/dev/null
BORG_BASE_DIR=$work/setup-base BORG_PASSPHRASE=$secret borg break-lock "$work/repo" 2>/dev/null
expect 0 "^BORG OK - system-\*: newest 'system-2' 2h( [0-9]+m)? ago \|" "${R[@]}" -a 'system-*'

msp_done
