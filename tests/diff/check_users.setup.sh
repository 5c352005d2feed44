#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# An ini file for the --extra-opts rows of tests/diff/check_users.args (both plugins read it).
set -e
cat >"$TMP/plugins.ini" <<'INI'
[check_users]
warning=5
critical=10
INI
