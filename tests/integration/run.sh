#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/integration/run.sh - run every tests/integration/check_*.sh.
#
# Each test starts the real services it needs on loopback and stops them.
# It runs inside a private network namespace (unshare -n, loopback up), so
# no packet can leave the machine, when this machine allows that; otherwise
# it runs directly and we say so.  A test exits 0 (passed), 77 (skipped:
# it prints why) or anything else (failed).
#
# Environment passed on: PLUGINDIR, top_srcdir, top_builddir.  The current
# directory is a fresh temporary directory per test (the source tree may be
# read-only, as in make distcheck).
# Exit status: 0 none failed and at least one passed, 1 any failed,
# 77 all skipped or none present.

# shellcheck source=SCRIPTDIR/../helpers/common.sh
. "$(dirname "$0")/../helpers/common.sh"
msp_find_dirs
TEST_TIMEOUT=${TEST_TIMEOUT:-300}

msp_work_dir integration

# The namespace wrapper: loopback up, then the test.  The test runs by its
# shebang when executable, else with bash.
netns=0
if command -v unshare >/dev/null && command -v ip >/dev/null &&
	unshare -n sh -c 'ip link set lo up' 2>/dev/null; then
	netns=1
	echo "integration: each test runs in a private network namespace (unshare -n, lo up)"
else
	echo "integration: unshare -n does not work here (needs root or user namespaces):" \
		"tests run directly, in the host's network namespace"
fi

passed=0
failed=0
skipped=0
shopt -s nullglob
# With FILE arguments (make check passes one: each tests/integration/check_*.sh
# is its own automake test) only those; without, all of them.
if [ $# -eq 0 ]; then set -- "$here"/check_*.sh; fi
for t in "$@"; do
	t=$(cd "$(dirname "$t")" && pwd)/$(basename "$t")
	name=$(basename "$t" .sh)
	dir=$(mktemp -d "$work/$name.XXXXXX") || exit 1
	if [ -x "$t" ]; then runner=("$t"); else runner=(bash "$t"); fi
	start=$SECONDS
	if [ "$netns" = 1 ]; then
		(cd "$dir" && timeout -k 10 "$TEST_TIMEOUT" \
			unshare -n sh -c 'ip link set lo up && exec "$@"' sh "${runner[@]}") >"$dir.log" 2>&1
	else
		(cd "$dir" && timeout -k 10 "$TEST_TIMEOUT" "${runner[@]}") >"$dir.log" 2>&1
	fi
	rc=$?
	secs=$((SECONDS - start))
	case $rc in
	0) verdict="PASS"; passed=$((passed + 1)) ;;
	77) verdict="SKIP"; skipped=$((skipped + 1)) ;;
	124 | 137) verdict="FAIL (did not end within ${TEST_TIMEOUT} s)"; failed=$((failed + 1)) ;;
	*) verdict="FAIL (exit $rc)"; failed=$((failed + 1)) ;;
	esac
	echo "$verdict: $name (${secs}s)"
	# The test's own output (a skip says why, a failure shows what went wrong).
	sed 's/^/    /' "$dir.log"
done

total=$((passed + failed + skipped))
echo "integration: $total tests, $passed passed, $skipped skipped, $failed failed"
msp_exit "$failed" "$passed"
