#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/integration/check_backup.sh - what a monitoring user meets on a real backup tree:
# directories and files it may not read (fail closed: named, UNKNOWN, never silently
# skipped), a bind mount that loops back into the tree, and the monitoring host's time zone.
# Runs the plugin as 'nobody' when started as root (root reads everything), else as the
# current user.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
msp_unprivileged check_backup backup

mkdir -p "$T/tree/private" "$T/tree/noexec" "$T/tree/sub" "$T/locked"
touch -d '1 hour ago' "$T/tree/fresh.tar" "$T/tree/noexec/hidden.tar" "$T/locked/x.tar"
touch -d '3 days ago' "$T/tree/private/old.tar" "$T/tree/sub/old.tar"
chmod -R a+rX "$T"
chmod 000 "$T/tree/private" "$T/locked"
chmod 644 "$T/tree/noexec" # names can be listed, the files cannot be examined

# an unreadable directory inside the tree is named and makes the result UNKNOWN
expect 3 "^BACKUP UNKNOWN - $T/tree/fresh\.tar 1h.*, newest of 2 files, 2 unreadable " -r -p "$T/tree"
expect 3 "(?s)\n\[UNKNOWN\] cannot read '$T/tree/(private|noexec/hidden\.tar)': Permission denied\n\[UNKNOWN\] cannot read '$T/tree/(private|noexec/hidden\.tar)': Permission denied\n" -r -p "$T/tree"
# a stale backup stays CRITICAL: the measured finding ranks above "could not check"
expect 2 "^BACKUP CRITICAL - $T/tree/fresh\.tar 1h.*2 unreadable" -r -p "$T/tree" -w 1m -c 10m
# --exclude skips what is known to be unreadable; without -r the subdirectories are not read
expect 0 "^BACKUP OK - $T/tree/fresh\.tar 1h.*, newest of 2 files \|" -r -p "$T/tree" --exclude private --exclude noexec
expect 0 "^BACKUP OK - $T/tree/fresh\.tar 1h.*, the only file \|" -p "$T/tree"
# a -p that cannot be read: nothing found (CRITICAL), never OK
expect 2 "^BACKUP CRITICAL - no file in '$T/locked', 1 unreadable \| files=0;;;0$" -p "$T/locked"
expect 3 "^BACKUP UNKNOWN - no file in '$T/locked', 1 unreadable" -p "$T/locked" --missing=unknown
expect 3 "(?s)\n\[UNKNOWN\] cannot read '$T/locked': Permission denied\n" -p "$T/locked" --missing=warning
expect 2 "^BACKUP CRITICAL - '$T/locked/\*\.tar' matches nothing, 1 unreadable" -p "$T/locked/*.tar"

# A wildcard in a middle component over a host directory nobody may list but not search
# (0744): glob(3) drops hostB without an error, so the fresh hostA made it OK.  The match
# that cannot be examined is UNKNOWN and named.
mkdir -p "$T/nas/hostA/daily.0" "$T/nas/hostB/daily.0"
touch -d '1 hour ago' "$T/nas/hostA/daily.0/backup.tar"
touch -d '4 days ago' "$T/nas/hostB/daily.0/backup.tar"
chmod -R a+rX "$T/nas"
chmod 744 "$T/nas/hostB"
expect 3 "^BACKUP UNKNOWN - 1 of 2 paths not OK: cannot read '$T/nas/hostB/daily\.0': Permission denied \|" \
	-p "$T/nas/*/daily.0"
expect 3 "(?s)\n\[UNKNOWN\] cannot read '$T/nas/hostB/daily\.0': Permission denied\n\[OK\] $T/nas/hostA/daily\.0/backup\.tar 1h" \
	-p "$T/nas/*/daily.0"
# pooled, the unreadable place still makes the pool UNKNOWN
expect 3 "^BACKUP UNKNOWN - $T/nas/hostA/daily\.0/backup\.tar 1h.*, the only file, 1 unreadable \|" \
	-p "$T/nas/*/daily.0" --pool
# a file pattern with the wildcard in the middle, and one with it at the end below hostB
expect 3 "^BACKUP UNKNOWN - 1 of 2 paths not OK: cannot read '$T/nas/hostB/daily\.0/backup\.tar'" \
	-p "$T/nas/*/daily.0/backup.tar"
expect 3 "^BACKUP UNKNOWN - .*cannot read '$T/nas/hostB/daily\.0': Permission denied" -p "$T/nas/host*/*/*.tar"
chmod 755 "$T/nas/hostB"
expect 2 "^BACKUP CRITICAL - 1 of 2 paths not OK: $T/nas/hostB/daily\.0/backup\.tar 4d ago" -p "$T/nas/*/daily.0"

# the time zone of the monitoring host changes the printed time, not the state or the age
for tz in Asia/Tokyo America/Los_Angeles Pacific/Kiritimati UTC; do
	off=$(TZ=$tz date +%z)
	TZ=$tz expect 0 "^BACKUP OK - $T/tree/fresh\.tar 1h( [0-9]+s)? ago \([0-9-]+ [0-9:]+ \\$off\), the only file \| age=36[0-9][0-9]s;" \
		-p "$T/tree" --match 'fresh*'
	TZ=$tz expect 1 "^BACKUP WARNING - $T/tree/fresh\.tar 1h.* \\$off\)" -p "$T/tree" --match 'fresh*' -w 30m
done

# a bind mount that loops back into the tree is read once, not forever (needs root for mount)
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
	mkdir -p "$T/ring/a/loop"
	touch -d '2 hours ago' "$T/ring/a/f.tar"
	msp_wrap=() # as root: mount needs it
	# shellcheck disable=SC2016 # expanded by sh -c
	expect_cmd 0 "^BACKUP OK - $T/ring/a/f\.tar 2h.*, the only file \|" -- \
		unshare -m sh -c 'mount --bind "$1/ring" "$1/ring/a/loop" && exec "$2" -r -p "$1/ring"' sh "$T" "$P"
else
	echo "skip the bind mount loop: needs root and mount namespaces"
fi

msp_done
