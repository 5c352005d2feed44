#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The differential table uses the same files as the CLI cases.
exec sh "$top_srcdir/tests/cli/check_file_age.setup.sh"
