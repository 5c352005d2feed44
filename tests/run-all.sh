#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/run-all.sh - install what is missing, build out of tree, run make check.
#
#   tests/run-all.sh [CONFIGURE-OPTION...]
#
# This is the README's test command and the one .ci/run calls.  Default
# configure options: --enable-werror.  The build directory is ./build
# (MSP_BUILDDIR overrides it).  Runs as root, or installs through sudo.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../.ci/deps.sh
. "$top/.ci/deps.sh"

builddir=${MSP_BUILDDIR:-$top/build}
jobs=$(nproc 2>/dev/null || echo 2)
if [ $# -eq 0 ]; then set -- --enable-werror; fi

fail() {
	echo "run-all: $*" >&2
	exit 1
}

msp_deps_install test || fail "installing the dependencies failed"
msp_locale_de || fail "the de_DE.UTF-8 locale is missing"
if [ ! -x "$top/configure" ]; then
	(cd "$top" && autoreconf -fi) || fail "autoreconf -fi failed"
fi
mkdir -p "$builddir"
cd "$builddir"
echo "run-all: configure $* (in $builddir)"
"$top/configure" -q "$@" || fail "configure failed (see $builddir/config.log)"
make -j"$jobs" || fail "the build failed"
echo "run-all: make check"
rc=0
make -j"$jobs" check VERBOSE=1 || rc=$?
# One closing line in the plain form any reader knows, from automake's summary.
count() { sed -n "s/^# $1: *//p" test-suite.log 2>/dev/null | head -n 1; }
if [ -f test-suite.log ]; then
	echo "tests: $(count PASS) passed, $(($(count FAIL) + $(count ERROR) + $(count XPASS))) failed, $(count SKIP) skipped"
fi
[ "$rc" -eq 0 ] || fail "make check failed (see $builddir/test-suite.log)"
echo "run-all: all tests passed"
