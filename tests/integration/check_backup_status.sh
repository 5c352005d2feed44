#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/integration/check_backup_status.sh - the real rsnapshot and restic write the status,
# check_backup_status judges it: a successful rsnapshot run, a run with warnings (rsync cannot
# read a root-only file: rsnapshot runs as nobody), a failing run (the rsync server is down),
# a run stopped by a lock file; restic backup --json runs that succeed, cannot read a file, and
# meet a wrong password.  Run again under time zones east and west of UTC.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
msp_plugin check_backup_status
msp_need rsnapshot rsync restic setpriv
msp_need_root "needs root: the runs with warnings run the tools as nobody"
msp_tmpdir backup-status
T=$work
nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
"${nobody[@]}" test -x "$T" || msp_skip "nobody cannot reach $T (a 0700 parent directory?)"

# ------------------------------------------------------------------ rsnapshot
R=$T/rsnapshot
mkdir -p "$R/src/sub" "$R/snap"
echo data >"$R/src/a"
LOG=$R/rsnapshot.log
# conf SOURCE: rsnapshot.conf backing up SOURCE into $R/snap, logging to $LOG
conf() {
	{
		printf 'config_version\t1.2\nsnapshot_root\t%s/snap/\ncmd_cp\t/bin/cp\ncmd_rm\t/bin/rm\n' "$R"
		printf 'cmd_rsync\t/usr/bin/rsync\nretain\tdaily\t3\nretain\tweekly\t2\n'
		printf 'verbose\t1\nloglevel\t3\nlogfile\t%s\nlockfile\t%s/rsnapshot.pid\n' "$LOG" "$R"
		printf 'backup\t%s\tlocalhost/\n' "$1"
	} >"$R/rsnap.conf"
}
RS=(--format rsnapshot -f "$LOG")

conf "$R/src/"
rsnapshot -c "$R/rsnap.conf" daily >/dev/null 2>&1; rc=$?
[ "$rc" -eq 0 ] || fail "rsnapshot daily exited $rc"
expect 0 "^BACKUP_STATUS OK - daily completed successfully, finished ([0-9]+s ago|just now) \(" "${RS[@]}"
expect 0 "^BACKUP_STATUS OK - daily completed successfully" "${RS[@]}" --job daily -a 1h
expect 3 "^BACKUP_STATUS UNKNOWN - cannot parse .*: no finished rsnapshot run of 'weekly' in the log$" "${RS[@]}" --job weekly
# the log says when the run finished; a check made later judges that time, not the log file's
touch -d '3 days ago' "$LOG"
expect 0 "^BACKUP_STATUS OK - daily completed successfully, finished ([0-9]+s ago|just now)" "${RS[@]}"

# warnings: run as nobody, a root-only file cannot be read (rsync exit 23, rsnapshot exit 2)
echo secret >"$R/src/sub/secret"
chmod 600 "$R/src/sub/secret"
chown -R nobody "$R/snap"
chown nobody "$LOG" "$R"
"${nobody[@]}" rsnapshot -c "$R/rsnap.conf" daily >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "rsnapshot with an unreadable file exited $rc, want 2"
expect 1 "^BACKUP_STATUS WARNING - daily completed with warnings: Some files and/or directories in $R/src/ only transferred partially during rsync operation, finished" "${RS[@]}"
expect 1 "(?s)\nrsync: \[sender\] send_files failed to open \"$R/src/sub/secret\": Permission denied \(13\)\n" "${RS[@]}"
expect 0 "^BACKUP_STATUS OK - daily completed with warnings" "${RS[@]}" --warnings=ok
chown root "$R"

# a lock file nobody may not write: rsnapshot stops before the backup, no "completed" line
chmod 644 "$LOG"; chown root "$LOG"; chmod 666 "$LOG"
"${nobody[@]}" rsnapshot -c "$R/rsnap.conf" weekly >/dev/null 2>&1; rc=$?
[ "$rc" -eq 1 ] || fail "rsnapshot without a writable lock file exited $rc, want 1"
expect 2 "^BACKUP_STATUS CRITICAL - weekly failed: Could not write lockfile $R/rsnapshot\.pid: Permission denied, finished" "${RS[@]}" --job weekly
expect 1 "^BACKUP_STATUS WARNING - daily completed with warnings" "${RS[@]}" --job daily
chown -R root "$R/snap"

# failing: the rsync server is down (nothing listens on port 9 here), rsync exit 10, rsnapshot exit 1
conf rsync://127.0.0.1:9/mod/
rsnapshot -c "$R/rsnap.conf" daily >/dev/null 2>&1; rc=$?
[ "$rc" -eq 1 ] || fail "rsnapshot against a dead rsync server exited $rc, want 1"
expect 2 "^BACKUP_STATUS CRITICAL - daily failed: /usr/bin/rsync returned 10 while processing rsync://127\.0\.0\.1:9/mod/, finished" "${RS[@]}"
expect 2 "^BACKUP_STATUS CRITICAL - daily failed" "${RS[@]}" --warnings=ok -a 100d

# an ERROR whose text ends in ": completed successfully" (the source's name) is no success; the
# log cut before rsnapshot's last line, as when rsnapshot is killed or a crash loses it
conf "rsync://127.0.0.1:9/mod: completed successfully"
: >"$LOG"
rsnapshot -c "$R/rsnap.conf" daily >/dev/null 2>&1
head -n -1 "$LOG" >"$R/cut.log"
expect 2 "^BACKUP_STATUS CRITICAL - daily failed: /usr/bin/rsync returned 10 while processing rsync://127\.0\.0\.1:9/mod: completed successfully, finished" --format rsnapshot -f "$R/cut.log"
# a run that stopped at an ERROR, then one that is still going: the stopped one is the last that ended
conf "$R/src/"
rsnapshot -c "$R/rsnap.conf" daily >/dev/null 2>&1
conf "$R/nonexistent/"
rsnapshot -c "$R/rsnap.conf" daily >/dev/null 2>&1
{ cat "$LOG"; sed -n '/: started$/p' "$LOG" | tail -n 1; } >"$R/stopped.log"
expect 2 "^BACKUP_STATUS CRITICAL - daily failed: $R/rsnap\.conf on line " --format rsnapshot -f "$R/stopped.log"
# NUL bytes (a write lost in a crash) after a good run, then rsnapshot appends a failed one
: >"$LOG"
conf "$R/src/"
rsnapshot -c "$R/rsnap.conf" daily >/dev/null 2>&1
printf '\0\0\0\0\0\0\0\0' >>"$LOG"
conf rsync://127.0.0.1:9/mod/
rsnapshot -c "$R/rsnap.conf" daily >/dev/null 2>&1
expect 2 "^BACKUP_STATUS CRITICAL - daily failed: /usr/bin/rsync returned 10 " "${RS[@]}"
expect 2 "(?s)\n1 run of NUL bytes skipped \(a write lost in a crash\?\)\n" "${RS[@]}"

# rsnapshot's times are local time without a zone: read in the zone they were written in, they are
# fresh; read in a zone 9 hours ahead they are 9 hours old.
conf "$R/src/"
chmod 644 "$R/src/sub/secret"
rsnapshot -c "$R/rsnap.conf" daily >/dev/null 2>&1
expect 0 "^BACKUP_STATUS OK - daily completed successfully, finished ([0-9]+s ago|just now)" "${RS[@]}"
if [ "$(date +%z)" = "+0000" ]; then
	LOGT=$T/rsnapshot-tokyo.log
	sed -n '$p' "$LOG" >"$LOGT"
	TZ=Asia/Tokyo expect 1 "^BACKUP_STATUS WARNING - daily completed successfully, finished 9h( [0-9]+s)? ago .* \+0900\), no run since" --format rsnapshot -f "$LOGT" -w 8h -a 10h
	TZ=America/Los_Angeles expect 1 "^BACKUP_STATUS WARNING - daily completed successfully, finished (7h [0-9]+m|8h)( [0-9]+s)? in the future \(clock problem\?\)" --format rsnapshot -f "$LOGT"
fi

# --------------------------------------------------------------------- restic
Q=$T/restic
mkdir -p "$Q/src" "$Q/cache"
echo data >"$Q/src/a"
echo pw >"$Q/pw"
export RESTIC_CACHE_DIR=$Q/cache
restic -r "$Q/repo" init --password-file "$Q/pw" -q || { fail "restic init failed"; msp_done; }
RJ=(--format restic-json -f "$Q/status.json")

restic -r "$Q/repo" backup --json --password-file "$Q/pw" "$Q/src" >"$Q/status.json" 2>&1; rc=$?
[ "$rc" -eq 0 ] || fail "restic backup exited $rc"
expect 0 "^BACKUP_STATUS OK - snapshot [0-9a-f]{8} completed successfully, file written ([0-9]+s ago|just now) .* files_new=1;;;0 .* errors=0;;;0$" "${RJ[@]}"
touch -d '2 days ago' "$Q/status.json"
expect 2 "^BACKUP_STATUS CRITICAL - snapshot [0-9a-f]{8} completed successfully, file written 2d ago .*, no run since" "${RJ[@]}"
expect 0 "^BACKUP_STATUS OK - " "${RJ[@]}" -a 3d

# a file restic cannot read (run as nobody): exit 3, a snapshot is saved without it
echo more >"$Q/src/b"
chmod 600 "$Q/src/b"
chown -R nobody "$Q/repo" "$Q/cache"
"${nobody[@]}" env RESTIC_CACHE_DIR="$Q/cache" restic -r "$Q/repo" backup --json --password-file "$Q/pw" "$Q/src" >"$Q/status.json" 2>&1; rc=$?
[ "$rc" -eq 3 ] || fail "restic with an unreadable file exited $rc, want 3"
expect 1 "^BACKUP_STATUS WARNING - snapshot [0-9a-f]{8} completed with warnings: 1 file could not be read, .* errors=1;;;0$" "${RJ[@]}"
expect 1 "(?s)\n$Q/src/b: open: Permission denied\n" "${RJ[@]}"
expect 0 "^BACKUP_STATUS OK - snapshot [0-9a-f]{8} completed with warnings" "${RJ[@]}" --warnings=ok
chown -R root "$Q/repo" "$Q/cache"

# a wrong password: no snapshot, no summary
echo wrong >"$Q/wrong"
restic -r "$Q/repo" backup --json --password-file "$Q/wrong" "$Q/src" >"$Q/status.json" 2>&1; rc=$?
[ "$rc" -eq 1 ] || fail "restic with a wrong password exited $rc, want 1"
expect 2 "^BACKUP_STATUS CRITICAL - failed: Fatal: wrong password or no key found, file written" "${RJ[@]}"
# a repository that is not there
restic -r "$Q/nope" backup --json --password-file "$Q/pw" "$Q/src" >"$Q/status.json" 2>&1
expect 2 "^BACKUP_STATUS CRITICAL - failed: Fatal: unable to open config file" "${RJ[@]}"
# a wrapper that kept only stdout: nothing at all is not a success
restic -r "$Q/repo" backup --json --password-file "$Q/wrong" "$Q/src" >"$Q/status.json" 2>/dev/null
expect 2 "^BACKUP_STATUS CRITICAL - status file '$Q/status\.json' is empty" "${RJ[@]}"

# runs appended with >>: the last run decides (a failed run after a good one is a failure)
restic -r "$Q/repo" backup --json --password-file "$Q/pw" "$Q/src" >"$Q/status.json" 2>&1
restic -r "$Q/repo" backup --json --password-file "$Q/wrong" "$Q/src" >>"$Q/status.json" 2>&1
expect 2 "^BACKUP_STATUS CRITICAL - failed: Fatal: wrong password or no key found, file written" "${RJ[@]}"
restic -r "$Q/repo" backup --json --password-file "$Q/pw" "$Q/src" >>"$Q/status.json" 2>&1
expect 0 "^BACKUP_STATUS OK - snapshot [0-9a-f]{8} completed successfully, file written" "${RJ[@]}"
# NUL bytes where a write was lost, then a failed run: read past them
printf '\0\0\0\0\0\0' >>"$Q/status.json"
restic -r "$Q/nope" backup --json --password-file "$Q/pw" "$Q/src" >>"$Q/status.json" 2>&1
expect 2 "^BACKUP_STATUS CRITICAL - failed: Fatal: unable to open config file" "${RJ[@]}"
expect 2 "(?s)\n1 run of NUL bytes skipped \(a write lost in a crash\?\)\n" "${RJ[@]}"

# the file's modification time is an instant: the zone of the monitoring host changes nothing
restic -r "$Q/repo" backup --json --password-file "$Q/pw" "$Q/src" >"$Q/status.json" 2>&1
touch -d '5 hours ago' "$Q/status.json"
for tz in Asia/Tokyo America/Los_Angeles Pacific/Kiritimati; do
	off=$(TZ=$tz date +%z)
	TZ=$tz expect 1 "^BACKUP_STATUS WARNING - .*, file written 5h( [0-9]+s)? ago \([0-9-]+ [0-9:]+ \\$off\), no run since \| age=18[0-9]{3}s;14400;93600;0 " "${RJ[@]}" -w 4h
done

msp_done
