#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/cli/deps.sh - .ci/deps.sh (quickstart, tests/run-all.sh, .ci/run) waits for another
# apt run's lock instead of failing: with dpkg's frontend lock held for 3 s, an install of an
# installed package (hostname, required on Debian: nothing is downloaded or changed) through
# msp_apt_get succeeds after the wait.  Needs root (it takes the system's dpkg lock); skipped
# (77) otherwise.  Exit status: 0 passed, 1 failed, 77 skipped.

# shellcheck source=SCRIPTDIR/../helpers/common.sh
. "$(dirname "$0")/../helpers/common.sh"
msp_find_dirs
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || ! command -v python3 >/dev/null; then
	echo "skip: needs root, apt-get and python3"
	exit 77
fi
# shellcheck source=../../.ci/deps.sh
. "$top_srcdir/.ci/deps.sh"

# apt locks with fcntl(2), so the holder must too (flock(1) would not stop it)
python3 -c '
import fcntl, os, sys, time
fd = os.open("/var/lib/dpkg/lock-frontend", os.O_RDWR | os.O_CREAT, 0o640)
fcntl.lockf(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(3)
' >"${TMPDIR:-/tmp}/msp-deps-lock.$$" &
holder=$!
trap 'kill "$holder" 2>/dev/null; rm -f "${TMPDIR:-/tmp}/msp-deps-lock.$$"' EXIT
for _ in $(seq 50); do
	grep -q locked "${TMPDIR:-/tmp}/msp-deps-lock.$$" && break
	sleep 0.1
done
start=$SECONDS
out=$(MSP_APT_LOCK_WAIT=60 msp_apt_get install -y -q hostname 2>&1)
rc=$?
took=$((SECONDS - start))
if [ "$rc" = 0 ] && [ "$took" -ge 2 ]; then
	echo "ok: apt-get waited ${took} s for the lock, then ran: $(tail -n 1 <<<"$out")"
	exit 0
fi
echo "FAIL: msp_apt_get exit $rc after ${took} s (want 0 after the lock was released): $out"
exit 1
