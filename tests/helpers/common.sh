# SPDX-License-Identifier: GPL-3.0-or-later
# tests/helpers/common.sh - the start the test runner scripts share
# (tests/cli/run.sh, tests/diff/run.sh, tests/integration/run.sh,
# tests/bench/run.sh).  A runner begins with
#
#     . "$(dirname "$0")/../helpers/common.sh"
#
# which runs the runner under bash, turns on set -u and sets $here to the
# runner's directory; the functions below do the rest.  Nothing here writes
# below the source tree: make distcheck makes it read-only.
# shellcheck shell=bash

# make check runs test scripts with $(SHELL); the runners need bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u

here=$(cd "$(dirname "$0")" && pwd)

# msp_find_dirs: top_srcdir, top_builddir and PLUGINDIR as make check sets
# them, else from where the runner is and the current directory (a build
# directory); exported for the scripts the runner starts.
msp_find_dirs() {
	: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
	: "${top_builddir:=$PWD}"
	: "${PLUGINDIR:=$top_builddir/plugins}"
	export top_srcdir top_builddir PLUGINDIR
}

# msp_work_dir NAME: a fresh temporary directory in $work, removed when the
# runner exits.  Exits the runner when none can be made.
msp_work_dir() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/msp-$1.XXXXXX") || exit 1
	trap 'rm -rf "$work"' EXIT
}

# msp_plugin_tmp PLUGIN: a fresh directory below $work in TMP (exported) for
# one plugin's cases and its setup/teardown scripts.
msp_plugin_tmp() {
	TMP=$(mktemp -d "$work/$1.XXXXXX") || return
	export TMP
}

# msp_hook PLUGIN KIND: run $here/PLUGIN.KIND.sh (KIND setup or teardown)
# when there is one, directly when executable, else with bash.  False when
# the script failed.
msp_hook() {
	local script="$here/$1.$2.sh"

	[ -f "$script" ] || return 0
	if [ -x "$script" ]; then "$script"; else bash "$script"; fi
}

# msp_built PLUGIN: true when our PLUGIN is built in PLUGINDIR, else says so.
msp_built() {
	if [ ! -x "$PLUGINDIR/$1" ]; then
		echo "skip $1: not built in $PLUGINDIR"
		return 1
	fi
}

# msp_have_reference PLUGIN: true when the reference PLUGIN is in REFDIR
# (which the runner sets), else says so.
msp_have_reference() {
	if [ ! -x "$REFDIR/$1" ]; then
		echo "skip $1: no reference $REFDIR/$1"
		return 1
	fi
}

# msp_exit FAILED DONE [MESSAGE]: end the runner the way make check reads
# it: 1 when FAILED is above 0, else 77 (skipped, after MESSAGE when given)
# when DONE is 0, else 0.
msp_exit() {
	if [ "$1" -gt 0 ]; then exit 1; fi
	if [ "$2" -eq 0 ]; then
		[ -z "${3:-}" ] || echo "$3"
		exit 77
	fi
	exit 0
}

# trim TEXT: TEXT without leading and trailing blanks.
trim() {
	local s=$1
	s=${s#"${s%%[![:space:]]*}"}
	s=${s%"${s##*[![:space:]]}"}
	printf '%s' "$s"
}
