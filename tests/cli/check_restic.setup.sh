#!/bin/sh
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
