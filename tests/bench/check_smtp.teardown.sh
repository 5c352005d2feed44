#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Stop the servers tests/bench/check_smtp.setup.sh started (the diff table's teardown).
exec bash "$(dirname "$0")/../diff/check_smtp.teardown.sh"
