#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Unmount what check_disk.setup.sh mounted below $TMP.
set -u
: "${TMP:?TMP must be set}"
for d in "$TMP/full" "$TMP/empty" "$TMP/inodes" "$TMP/nfs" "$TMP/with space"; do
	if mountpoint -q "$d"; then umount "$d" || umount -l "$d"; fi
done
exit 0
