#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/cli/sizes.sh - the size rules of doc/ADDING-A-CHECK.md, kept: no
# plugin source file (plugins/*.c, *.cc) over 800 lines, and no function in
# plugins/ or lib/ over 60 lines (from the line that names it to its closing
# brace in column 0).  Prints each offender with its length.
# Environment: top_srcdir (make check sets it).
set -u
: "${top_srcdir:?}"
cd "$top_srcdir" || exit 1
failed=0
for f in plugins/*.c plugins/*.cc; do
	n=$(wc -l <"$f")
	if [ "$n" -gt 800 ]; then
		echo "FAIL: $f has $n lines (at most 800: split it by job)"
		failed=1
	fi
done
# A function starts at a line in column 0 that is not a comment, a preprocessor line, a
# declaration ending in ';' or a brace, and whose body opens with '{' in column 0.
out=$(awk '
	FNR == 1 { start = 0; name = "" }
	/^[A-Za-z_].*\(/ && !/;[[:space:]]*$/ && !/^(static )?(const )?(struct|enum|union) [a-z_0-9]+ *\{/ && !/^#/ {
		start = FNR; name = $0; next
	}
	/^\{/ && start && FNR <= start + 3 { body = start; next }
	/^\}/ && body {
		len = FNR - body + 1
		if (len > 60) { sub(/\(.*/, "", name); n = split(name, w, /[ *]+/); printf "%s:%d %s %d lines\n", FILENAME, body, w[n], len }
		body = 0; start = 0
	}
' plugins/*.c plugins/*.cc lib/*.c)
if [ -n "$out" ]; then
	echo "FAIL: functions over 60 lines (split them into named steps):"
	echo "$out"
	failed=1
fi
[ "$failed" = 0 ] && echo "sizes: every plugin file at most 800 lines, every function at most 60"
exit "$failed"
