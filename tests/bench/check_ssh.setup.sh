#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The servers of tests/bench/check_ssh.args: those of the differential table (a real sshd and
# scripted peers on 127.0.0.1, ending by themselves after ten minutes).
exec bash "$(dirname "$0")/../diff/check_ssh.setup.sh"
