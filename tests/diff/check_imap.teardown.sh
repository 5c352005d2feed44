#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Stop the servers of check_tcp.setup.sh.
exec sh "$(dirname "$0")/check_tcp.teardown.sh"
