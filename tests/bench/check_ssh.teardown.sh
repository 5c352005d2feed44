#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Stop the servers tests/bench/check_ssh.setup.sh started (the diff table's teardown).
exec bash "$(dirname "$0")/../diff/check_ssh.teardown.sh"
