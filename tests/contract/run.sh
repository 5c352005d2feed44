#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/contract/run.sh FILE.contract - how make check runs one plugin's contract test
# (tests/contract/contract.py); skipped (77) with the reason when python3 is missing.
if ! command -v python3 >/dev/null 2>&1; then
	echo "skip $1: python3 is not installed (tests/contract/contract.py needs it)"
	exit 77
fi
exec python3 -B "$(dirname "$0")/contract.py" -q "$1"
