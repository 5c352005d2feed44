#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A restic repository for the check_restic CLI cases, in $TMP: one snapshot of host web1
# (tag daily) made 1 hour ago, a password file, and a stand-in restic that hangs.
set -e
: "${TMP:?TMP must name a directory}"
cd "$TMP"
printf 'cli-password\n' >pw
mkdir data
echo x >data/f
export RESTIC_PASSWORD_FILE="$TMP/pw" RESTIC_CACHE_DIR="$TMP/cache"
restic -q -r repo init >/dev/null
restic -q -r repo backup --host web1 --tag daily --time "$(date -d '1 hour ago' '+%Y-%m-%d %H:%M:%S')" data
printf '#!/bin/sh\nsleep 60\n' >hang.sh
chmod +x hang.sh
# Stand-ins given as --restic-bin that answer with recorded output whatever they are asked
# (tests/fixtures/check_restic/README.md), and one that echoes the secrets it was given.
fix="${top_srcdir:?top_srcdir must be set}/tests/fixtures/check_restic"
printf '#!/bin/sh\ncat "%s/snapshots_all.json"\n' "$fix" >wrapper-all.sh
printf '#!/bin/sh\ncat "%s/snapshots_group_by_host_mixed.json"\n' "$fix" >wrapper-mixed.sh
printf '#!/bin/sh\necho "Fatal: cannot use password $(cat "$RESTIC_PASSWORD_FILE") for $RESTIC_REPOSITORY" >&2\nexit 1\n' >echo-secret.sh
chmod +x wrapper-all.sh wrapper-mixed.sh echo-secret.sh
