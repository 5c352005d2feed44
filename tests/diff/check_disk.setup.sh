#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Mount the filesystems tests/diff/check_disk.args looks at, below $TMP (needs root).
# Idempotent: what is mounted already stays.  check_disk.teardown.sh unmounts them.
#   full      tmpfs of 2000 KiB (500 blocks), 475 blocks written: 5% free
#   empty     tmpfs of 1 MiB, nothing written
#   inodes    tmpfs limited to 100 inodes, 97 used: 3% free
#   nfs       tmpfs whose source reads "fileserver:/export/home": a network filesystem to -l/-L
#   with space  tmpfs whose mount point has a blank in its name
# Without root the mounts fail; the rows then compare both plugins on $TMP's own filesystem
# and most still agree, so this says why and goes on.
set -u
: "${TMP:?TMP must be set}"

mnt() { # SOURCE DIR [OPTIONS]
	mkdir -p "$2"
	if mountpoint -q "$2"; then return 0; fi
	mount -t tmpfs -o "${3:-size=1m}" "$1" "$2" || { echo "check_disk.setup.sh: cannot mount $2 (not root?)"; return 1; }
}

mnt cdfull "$TMP/full" size=2000k,nr_inodes=1000 && [ ! -e "$TMP/full/data" ] &&
	dd if=/dev/zero of="$TMP/full/data" bs=4k count=475 status=none
mnt cdempty "$TMP/empty"
if mnt cdinodes "$TMP/inodes" size=4m,nr_inodes=100; then
	for i in $(seq 1 96); do : >"$TMP/inodes/f$i"; done
fi
mnt fileserver:/export/home "$TMP/nfs"
mnt cdblank "$TMP/with space"
exit 0
