#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/helpers/sh-test.sh TEST - how make check runs a *.sh test: an
# integration script (tests/integration/check_*.sh) through
# tests/integration/run.sh, which puts it in a private network namespace;
# any other script directly with bash.
case $1 in
*/integration/check_*.sh) exec bash "$(dirname "$0")/../integration/run.sh" "$1" ;;
*) exec bash "$@" ;;
esac
