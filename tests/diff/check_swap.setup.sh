#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# An ini file for the --extra-opts rows of tests/diff/check_swap.args (both plugins read it).
set -e
cat >"$TMP/plugins.ini" <<'INI'
[check_swap]
warning=20%
critical=10%
[swap_ok]
warning=20%
critical=10%
no-swap=ok
INI
