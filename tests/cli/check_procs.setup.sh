#!/bin/sh
# Give the check_procs CLI cases the /proc tree recorded on the build machine
# (tests/fixtures/msp_proc/README.md: ten processes) as $TMP/proc, and an ini file for --extra-opts.
set -e
cp -R "$top_srcdir/tests/fixtures/msp_proc/machine" "$TMP/proc"
chmod -R u+w "$TMP/proc"
mkdir -p "$TMP/empty"
cat >"$TMP/plugins.ini" <<'INI'
[check_procs]
warning=5
critical=8
[zombies]
state=Z
warning=0
critical=5
INI
