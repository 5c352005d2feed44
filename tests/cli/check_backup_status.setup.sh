#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Status files for the check_backup_status CLI cases, in $TMP: the recorded rsnapshot logs and
# restic outputs (copied with a chosen modification time, touch -d) and status files in the
# shapes the formats define.
set -e
: "${TMP:?TMP must name a directory}"
: "${top_srcdir:?top_srcdir must name the source tree}"
cd "$TMP"
fx=$top_srcdir/tests/fixtures/check_backup_status

# cp_at FIXTURE NAME AGE: the fixture as NAME, last modified AGE ago
cp_at() {
	cp "$fx/$1" "$2"
	touch -d "$3" "$2"
}
cp_at restic_backup_ok.jsonl restic-ok.json '2 hours ago'
cp_at restic_backup_ok.jsonl restic-old.json '3 days ago'
cp_at restic_summary_only.json restic-summary.json '1 hour ago'
cp_at restic_backup_unreadable_file.jsonl restic-warn.json '1 hour ago'
cp_at restic_backup_wrong_password.txt restic-wrongpw.json '1 hour ago'

# status files: state word first
mk() {
	printf "$2" >"$1"
	touch -d "$3" "$1"
}
mk ok.txt 'OK: 120 GB copied\n' '2 hours ago'
mk old-ok.txt 'OK: 120 GB copied\n' '3 days ago'
mk warn.txt 'WARNING - 3 files skipped\nC:/data/a.pst\nC:/data/b.pst\n' '2 hours ago'
mk crit.txt 'CRITICAL\nlicence expired\n' '2 hours ago'
mk garbage.txt 'Backup finished at 03:00\n' '2 hours ago'
mk future.txt 'OK\n' 'now + 2 hours'
: >empty.txt
mkdir dir.txt

# JSON status files in resticprofile's shape (times relative to now)
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
old=$(date -u -d '3 days ago' +%Y-%m-%dT%H:%M:%S.123456789+00:00)
east=$(TZ=Asia/Tokyo date -d '1 hour ago' +%Y-%m-%dT%H:%M:%S+09:00)
printf '{"profiles":{"home":{"backup":{"success":true,"time":"%s","error":""}},"db":{"backup":{"success":false,"time":"%s","error":"exit status 1"}},"web":{"backup":{"success":true,"time":"%s","error":""}}}}\n' \
	"$now" "$now" "$old" >profiles.json
printf '{"result":"done","end":"%s","rc":0}\n' "$east" >east.json
printf '{"result":"done",\n' >broken.json

# JSON lines: one record per run, appended (the last run failed); a value followed by garbage;
# a null document; times that are no times
printf '{"success":true,"time":"%s"}\n{"success":false,"error":"disk full","time":"%s"}\n' "$now" "$now" >runs-fail-last.json
printf '{"success":false,"error":"disk full","time":"%s"}\n\n{"success":true,"time":"%s"}\n' "$now" "$now" >runs-ok-last.json
printf '{"success":true} garbage\n' >value-garbage.json
printf '{"success":true}\n{"success":tr\n' >value-cut.json
printf 'null\n' >null.json
for v in NaN Infinity -Infinity 1e400 -1 1795842546000 null '"2026-13-45T99:99:99Z"' '"2026-02-30T05:00:00Z"'; do
	printf '{"success":true,"end":%s}\n' "$v" >"time-$(printf %s "$v" | tr -dc 'A-Za-z0-9-')".json
done

# restic runs appended with >> (recorded): the last failed; a failed run between two good ones; a run killed
cp_at restic_backup_ok_then_wrong_password.jsonl restic-ok-then-fail.json '1 hour ago'
cp_at restic_backup_ok_no_repository_ok.jsonl restic-ok-fail-ok.json '1 hour ago'
cp_at restic_backup_ok_then_killed.jsonl restic-ok-then-killed.json '1 hour ago'
# restic 0.17's summary carries backup_start/backup_end (written here in its shape: restic 0.14 has none)
sum17='{"message_type":"summary","files_new":1,"data_added":709,"total_files_processed":1,"total_bytes_processed":5,"total_duration":0.5,"snapshot_id":"0123456789abcdef","backup_start":"%s","backup_end":%s}\n'
printf "$sum17" "$now" '"'"$now"'"' >restic17-ok.json
printf "$sum17" "$now" null >restic17-end-null.json
printf "$sum17" "$now" 1795842546 >restic17-end-number.json
printf "$sum17" "$now" '"2026-11-31T01:00:00Z"' >restic17-end-bad.json
{ printf "$sum17" "$now" '"'"$now"'"'; printf '{"message_type":"exit_error","code":10,"message":"Fatal: repository does not exist: unable to open config file"}\n'; } >restic17-ok-then-exit-error.json

# NUL bytes where a crash lost a write, then later runs: never the end of the reading
{ cat "$fx/restic_backup_ok.jsonl"; printf '\0\0\0\0\0\0\0\0'; cat "$fx/restic_backup_wrong_password.txt"; } >restic-nul-then-fail.json
touch -d '1 hour ago' restic-nul-then-fail.json
{ cat "$fx/rsnapshot_success.log"; printf '\0\0\0\0'; cat "$fx/rsnapshot_rsync_failed.log"; } >rsnapshot-nul-then-fail.log
{ printf '{"success":true}\n{"succ\0\0\0\0\0'; printf '{"success":false,"error":"disk full"}\n'; } >json-nul-then-fail.json
{ printf '{"success":true}\n\0\0\0\0\0'; printf '{"success":false,"error":"disk full"}\n'; } >json-nul-line-then-fail.json
printf '\0\0\0\0WARNING: 3 files skipped\n' >status-nul-first.txt
printf '\0\0\0\0\0\0\0\0' >only-nul.txt
# rsnapshot lines with impossible times (as a clock or a damaged log may write them)
sed '$ s/^\[2026-11-28T05:09:36\]/[2026-02-30T05:09:36]/' "$fx/rsnapshot_success.log" >rsnapshot-feb30.log
sed '$ s/^\[2026-11-28T05:09:36\]/[2026-13-45T99:99:99]/' "$fx/rsnapshot_success.log" >rsnapshot-month13.log
# restic's output appended for a long time (more than the 8 MiB read): the end holds the last run
{ cat "$fx/restic_backup_ok.jsonl"; yes '{"message_type":"status","percent_done":0,"total_files":1,"total_bytes":5}' | head -n 120000
  cat "$fx/restic_backup_wrong_password.txt"; } >restic-big.json
touch -d '1 hour ago' restic-big.json
{ printf '{"success":true}\n'; yes '{"success":true}' | head -n 600000; } >json-big.json

# a job's reason that quotes a repository URL with its password (restic's wording for a REST server)
printf '{"success":false,"error":"Fatal: unable to open config file: <config/> does not exist\\nIs there a repository at the following location?\\nrest:https://backup:S3cr3t/pw@nas.lan:8000/host1/"}\n' >url-secret.json
printf 'CRITICAL: cannot reach sftp://backup:S3cr3t@nas.lan/srv/backup\n' >url-secret.txt
mkfifo status.fifo
