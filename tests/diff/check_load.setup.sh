#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# An ini file for the --extra-opts rows of tests/diff/check_load.args (both plugins read it).
set -e
cat >"$TMP/plugins.ini" <<'INI'
[check_load]
warning=1000,1000,1000
critical=2000
[load_warn_at_zero]
warning=0
critical=2000
INI
