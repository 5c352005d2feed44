#!/bin/sh
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
