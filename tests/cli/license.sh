#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/cli/license.sh - the licence is stated: LICENSE holds the GPL version 3, and every
# source file (C, headers, scripts, build files; not recorded fixtures) names it in an SPDX line.
# Exit status: 0 when all do, 1 otherwise.

# shellcheck source=SCRIPTDIR/../helpers/common.sh
. "$(dirname "$0")/../helpers/common.sh"
msp_find_dirs
tag='SPDX-License-Identifier: GPL-3.0-or-later'
bad=0

if ! grep -q 'GNU GENERAL PUBLIC LICENSE' "$top_srcdir/LICENSE" 2>/dev/null ||
	! grep -q 'Version 3, 29 June 2007' "$top_srcdir/LICENSE"; then
	echo "FAIL LICENSE is missing or not the GPL version 3"
	bad=1
fi
# a build directory inside the source tree (distcheck's _build/sub) holds generated files
builddir_prune=$top_builddir
[ "$(cd "$top_builddir" && pwd)" = "$(cd "$top_srcdir" && pwd)" ] && builddir_prune=/nonexistent
n=0
while IFS= read -r -d '' f; do
	n=$((n + 1))
	# the tag in the first lines, where readers and tools look for it
	if ! head -n 3 "$f" | grep -qF "$tag"; then
		echo "FAIL ${f#"$top_srcdir"/}: no '$tag' line at the top"
		bad=1
	fi
done < <(find "$top_srcdir" \( -path "$top_srcdir/tests/fixtures" -o -path "$top_srcdir/build*" -o \
	-path "$builddir_prune" -o -path "$top_srcdir/_build" -o -path "$top_srcdir/_inst" -o \
	-path "$top_srcdir/.git" -o -path "$top_srcdir/msp-plugins-*" -o -name autom4te.cache \) -prune -o \
	-type f \( -name '*.c' -o -name '*.h' -o -name '*.cc' -o -name '*.sh' -o -name '*.py' -o -name '*.am' \
	-o -name configure.ac -o -name quickstart -o -path "$top_srcdir/.ci/run" \) -print0)
echo "license: $n source files, $bad failures"
[ "$n" -gt 0 ] || { echo "FAIL no source files found under $top_srcdir"; exit 1; }
exit "$bad"
