#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The servers of check_tcp.setup.sh (check_clamd is an alias name of check_tcp).
exec bash "$(dirname "$0")/check_tcp.setup.sh"
