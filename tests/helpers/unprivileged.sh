# SPDX-License-Identifier: GPL-3.0-or-later
# tests/helpers/unprivileged.sh - kept for scripts that still source it: msp_unprivileged,
# expect and the rest now live in tests/helpers/integration.sh (read its header); this
# file loads it and keeps the old counter: fails (failed checks), set to 0 here and kept
# equal to msp_fails.  New scripts source integration.sh and end with msp_done.
# shellcheck shell=bash disable=SC2034

# shellcheck source=./integration.sh
. "$(dirname "${BASH_SOURCE[0]}")/integration.sh"
msp_legacy_fails=1
fails=0
