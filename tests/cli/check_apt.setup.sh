#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The local apt repository and apt state for the check_apt CLI cases, in $TMP/r
# (tests/helpers/apt_repo.sh: 4 upgrades, 2 of them security; msp-held held, msp-phased
# phased, msp-keep kept back), plus:
#   $TMP/stale    a copy of its lists, last modified 10 days ago
#   $TMP/nolists  an empty lists directory (apt-get update never ran)
#   $TMP/hang     an apt-get stand-in that never ends (for -t)
#   $TMP/apt-tb   an apt-get stand-in that fails with a Python traceback on stderr
set -e
: "${TMP:?TMP must name a directory}"
: "${top_srcdir:?top_srcdir must be set}"
"$top_srcdir/tests/helpers/apt_repo.sh" "$TMP/r"
mkdir -p "$TMP/stale" "$TMP/nolists/partial"
cp -p "$TMP/r/state/lists/"*_Release "$TMP/r/state/lists/"*_Packages* "$TMP/stale/"
touch -d '10 days ago' "$TMP/stale/"*
printf '#!/bin/sh\nexec sleep 600\n' >"$TMP/hang"
# an apt-get whose update hook dies with a Python traceback (as a broken cnf-update-db does)
printf '#!/bin/sh\nprintf "Traceback (most recent call last):\\n  File \\"/usr/lib/cnf-update-db\\", line 3, in <module>\\n    import apt_pkg\\nModuleNotFoundError: No module named apt_pkg\\n" >&2\nexit 100\n' >"$TMP/apt-tb"
chmod +x "$TMP/apt-tb"
# Files that are not regular: --input-file and --dpkg-status refuse them at once (a FIFO never hangs).
: >"$TMP/empty"
mkfifo "$TMP/fifo"
chmod +x "$TMP/hang"
# Recorded output that lost lines (what a broken pipe or a wrapper could hand over), and stand-ins printing it:
#   $TMP/no_inst.txt     repo_upgrade_q.txt without its Inst lines ("4 upgraded", no package)
#   $TMP/no_summary.txt  repo_upgrade_q.txt without its summary line
#   $TMP/apt-no-inst     an apt-get stand-in that prints no_inst.txt and exits 0
fx=$top_srcdir/tests/fixtures/check_apt
grep -v '^Inst ' "$fx/repo_upgrade_q.txt" >"$TMP/no_inst.txt"
grep -v ' upgraded, ' "$fx/repo_upgrade_q.txt" >"$TMP/no_summary.txt"
printf '#!/bin/sh\nexec cat "%s"\n' "$TMP/no_inst.txt" >"$TMP/apt-no-inst"
chmod +x "$TMP/apt-no-inst"
