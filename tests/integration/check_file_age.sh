#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/integration/check_file_age.sh - patterns over directories the monitoring user may not
# read or search (fail closed: UNKNOWN and named, never a match silently dropped).
# Runs the plugin as 'nobody' when started as root (root reads everything), else as the
# current user.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
msp_unprivileged check_file_age file-age

# hostA's dump is fresh, hostB's is four days old; hostB can be listed but not searched (0744)
mkdir -p "$T/nas/hostA/daily.0" "$T/nas/hostB/daily.0" "$T/locked"
touch -d '100 seconds ago' "$T/nas/hostA/daily.0/db.sql.gz"
touch -d '4 days ago' "$T/nas/hostB/daily.0/db.sql.gz" "$T/locked/db.sql.gz"
chmod -R a+rX "$T"
chmod 744 "$T/nas/hostB"
chmod 000 "$T/locked"

# glob(3) drops hostB without an error (the newest, hostA, made it OK): UNKNOWN, named
expect 3 "^FILE_AGE UNKNOWN: cannot read '$T/nas/hostB/daily\.0/db\.sql\.gz': Permission denied$" \
	--oldest -w 1h -c 2h -f "$T/nas/*/daily.0/db.sql.gz"
expect 3 "^FILE_AGE UNKNOWN: cannot read '$T/nas/hostB/daily\.0': Permission denied$" \
	-w 1h -c 2h -f "$T/nas/*/daily.0/*.gz"
# -i does not turn what could not be read into OK
expect 3 "^FILE_AGE UNKNOWN: cannot read '$T/locked': Permission denied$" -i -f "$T/locked/*.gz"
# the files examined past an unreadable place are counted in the message
expect 3 "^FILE_AGE UNKNOWN: cannot read '$T/locked': Permission denied \(and 1 more unreadable place\)$" \
	-f "$T/[ln]*/*/*"
chmod 755 "$T/nas/hostB"
expect 2 "^FILE_AGE CRITICAL: $T/nas/hostB/daily\.0/db\.sql\.gz is [0-9]+ seconds old .*\(oldest of 2 files\)" \
	--oldest -w 1h -c 2h -f "$T/nas/*/daily.0/db.sql.gz"

msp_done
