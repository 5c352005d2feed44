#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Database directories for the check_clamav CLI cases: copies of the sigtool-built
# databases in tests/fixtures/check_clamav (see its README.md) plus the freshclam logs.
set -e
: "${TMP:?TMP must name a directory}"
: "${top_srcdir:?top_srcdir must be set}"
cp -R "$top_srcdir/tests/fixtures/check_clamav/." "$TMP/"
mkdir "$TMP/empty"
: >"$TMP/empty.log"
