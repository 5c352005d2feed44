#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The local apt repository of tests/helpers/apt_repo.sh in $TMP/r for tests/diff/check_apt.args.
set -e
: "${TMP:?TMP must name a directory}"
: "${top_srcdir:?top_srcdir must be set}"
"$top_srcdir/tests/helpers/apt_repo.sh" "$TMP/r"
