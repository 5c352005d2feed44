#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Trees for the check_backup CLI cases, created in $TMP with modification times relative to
# now (GNU touch -d).  Ages are far from the limits the cases use, so a slow run cannot flip a state.
set -e
: "${TMP:?TMP must name a directory}"
cd "$TMP"

# mk PATH SIZE AGE: a file of SIZE zero bytes, last modified AGE ago (a touch -d phrase)
mk() {
	mkdir -p "$(dirname "$1")"
	head -c "$2" /dev/zero >"$1"
	touch -d "$3" "$1"
}

# dumps: the newest matching one is 2 hours old; notes.txt is newer but not a dump
mk daily/db-1.sql.gz 2000 '2 hours ago'
mk daily/db-2.sql.gz 1500 '30 hours ago'
mk daily/db-3.sql.gz 1000 '3 days ago'
mk daily/notes.txt 5 '10 minutes ago'

# levels: the deeper, the newer
mk deep/top.tar 1 '5 days ago'
mk deep/a/mid.tar 1 '40 hours ago'
mk deep/a/b/c/low.tar 1 '1 hour ago'

# links inside a tree are not followed: not the fresh file they point to, not the loop
mk links/real.tar 1 '60 hours ago'
ln -s ../daily/db-1.sql.gz links/fresh-link.sql.gz
ln -s . links/loop
ln -s ../daily links/dirlink

# a link named by -p is followed
ln -s daily daily-link

mkdir empty

# a file modified in the future (a clock problem) next to a fresh one
mk future/ahead.tar 1 'now + 1 hour'
mk future/fresh.tar 1 '1 hour ago'
mk future-small/ahead.tar 1 'now + 2 minutes'

# one series per host; host2 stopped two days ago
mk hosts/host1/daily.0/backup.tar 10 '3 hours ago'
mk hosts/host2/daily.0/backup.tar 10 '50 hours ago'
mk hosts/host3/daily.0/backup.tar 10 '4 hours ago'

# a file whose name holds pattern characters
mk 'lit[1].tar' 7 '1 hour ago'

# one good host and two whose names are a symlink loop: a pattern over them cannot look inside
mk loopy/good/daily.0/backup.tar 10 '1 hour ago'
ln -s bad2 loopy/bad1
ln -s bad1 loopy/bad2

# an rsync -a target: a fresh copy (ctime now) of files last changed 90 days ago (mtime kept)
mk rsync-src/old.tar 1 '90 days ago'
rsync -a rsync-src/ rsynced/
