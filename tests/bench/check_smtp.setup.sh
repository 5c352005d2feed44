#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The servers of tests/bench/check_smtp.args: those of the differential table (scripted SMTP
# servers on 127.0.0.1, ending by themselves after ten minutes).
exec bash "$(dirname "$0")/../diff/check_smtp.setup.sh"
