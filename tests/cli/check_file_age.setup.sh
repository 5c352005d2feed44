#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Files for the check_file_age CLI and differential tests, created in $TMP with fixed
# sizes and modification times relative to now (GNU touch -d).  Ages are chosen far
# from the default limits (240 s warning, 600 s critical) so a slow run cannot flip a state.
set -e
: "${TMP:?TMP must name a directory}"
cd "$TMP"

# name SIZE AGE: a file of SIZE zero bytes, last modified AGE ago (a touch -d phrase)
mk() {
	head -c "$2" /dev/zero >"$1"
	touch -d "$3" "$1"
}

mk age100 100 '100 seconds ago'      # OK with the defaults
mk age400 100 '400 seconds ago'      # WARNING with the defaults
mk age1000 100 '1000 seconds ago'    # CRITICAL with the defaults
mk empty 0 '100 seconds ago'
mk big5000 5000 '100 seconds ago'
mk future 10 'now + 1 hour'          # a clock problem: modified in the future

ln -s age400 link400                 # the link itself is new, what it points to is 400 s old
ln -s no-such-file dangling
ln -s loop2 loop1
ln -s loop1 loop2
mkdir dir
touch -d '100 seconds ago' dir

# a pattern matching three files of different ages (a.log is the newest)
mkdir g
mk g/a.log 1 '50 seconds ago'
mk g/b.log 2 '5000 seconds ago'
mk g/c.log 3 '3 days ago'

# a pattern whose newest match is in the future
mkdir f
mk f/old 1 '100 seconds ago'
mk f/new 2 'now + 10 minutes'

# more matches than the long output lists (20)
mkdir many
i=1
while [ "$i" -le 25 ]; do
	mk "many/m$i" 1 "$((i * 10)) seconds ago"
	i=$((i + 1))
done

# a file whose name holds pattern characters: it is the file named, not a pattern
mk 'lit[1]' 7 '100 seconds ago'

# a pattern with a wildcard in a middle component over a symlink loop: glob(3) drops the
# looping entries without an error, so the one good file looked like the whole answer
mkdir -p loopy/good
mk loopy/good/db 1 '100 seconds ago'
ln -s bad2 loopy/bad1
ln -s bad1 loopy/bad2
