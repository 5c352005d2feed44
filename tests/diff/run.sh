#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/diff/run.sh - differential test: run each argument set of
# tests/diff/<plugin>.args through the reference plugin
# (/usr/lib/nagios/plugins/<plugin>, Debian's monitoring-plugins) and ours,
# and compare the exit codes (the state).
#
# Line format ('#' starts a comment line), shell quoting, $TMP available:
#     ARGS                       both must exit with the same code, and print
#                                the same first line once numbers are masked
#     text: ARGS                 the same exit code; the first lines differ
#                                deliberately (documented in the plugin's
#                                notes); they must really differ
#     ours=N ref=M: ARGS         a documented deliberate difference: ours must
#                                exit N and the reference M, exactly
#
# The textual comparison (DESIGN.md item 8: scripts and event handlers read
# the text) masks every number, so a load of 0.45 and 0.47 or a process
# count that moved between the two runs compare equal; wording, punctuation,
# separators, perfdata labels, units and the count of decimals must agree,
# and so must the number of lines.  It applies to check results (the
# reference exits 0, 1 or 2): usage and argument errors, --help and
# --version are our own one-line messages (README, "Differences").
# tests/diff/<plugin>.setup.sh runs first and <plugin>.teardown.sh last
# (when present), with TMP (a fresh directory per plugin) exported.
#
# Environment: PLUGINDIR (ours), top_srcdir; MSP_REFDIR overrides the
# reference directory.  Exit status: 0 all agree, 1 any disagreement,
# 77 the reference plugins are not installed or nothing could be compared.

# shellcheck source=SCRIPTDIR/../helpers/common.sh
. "$(dirname "$0")/../helpers/common.sh"
msp_find_dirs
REFDIR=${MSP_REFDIR:-/usr/lib/nagios/plugins}
RUN_TIMEOUT=${RUN_TIMEOUT:-30}

if [ ! -d "$REFDIR" ]; then
	echo "diff: reference plugins not installed ($REFDIR missing; apt-get install monitoring-plugins-basic" \
		"monitoring-plugins-standard): skipped"
	exit 77
fi

msp_work_dir diff

total=0
bad=0
compared=0

# rc_of PROGRAM ARGS...: exit code of one run, its stdout kept in $work/last (what a monitoring
# server reads; -v explains on stderr, which is not compared).
rc_of() {
	timeout -k 5 "$RUN_TIMEOUT" "$@" >"$work/last" 2>/dev/null </dev/null
}

# mask FILE: line 1 of FILE with every number written as N, with a d for each
# decimal it had (1.234 -> N.ddd), so that the count of decimals still counts.
mask() {
	head -n 1 "$1" | perl -pe 's/\d+(?:\.(\d+))?/"N" . (defined $1 ? "." . ("d" x length $1) : "")/ge'
}

row() {
	printf '%-60s %-4s %-4s %s\n' "$1" "$2" "$3" "$4"
}

# compare_plugin ARGSFILE
compare_plugin() {
	local file=$1 plugin line t argtext want_ours want_ref ref ours verdict lineno=0
	plugin=$(basename "$file" .args)
	msp_built "$plugin" || return
	msp_have_reference "$plugin" || return
	compared=$((compared + 1))
	msp_plugin_tmp "$plugin" || return
	echo
	echo "# $plugin: reference $REFDIR/$plugin"
	if ! msp_hook "$plugin" setup; then
		echo "FAIL $plugin: $plugin.setup.sh failed"
		total=$((total + 1)); bad=$((bad + 1))
		return
	fi
	row "ARGS" "REF" "OURS" "VERDICT"
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		t=$(trim "$line")
		case $t in '' | '#'*) continue ;; esac
		want_ours='' want_ref='' text_differs=0
		if [[ $t =~ ^text:(.*)$ ]]; then
			text_differs=1
			t=$(trim "${BASH_REMATCH[1]}")
		elif [[ $t =~ ^ours=([0-3])[[:space:]]+ref=([0-3]):(.*)$ ]]; then
			want_ours=${BASH_REMATCH[1]} want_ref=${BASH_REMATCH[2]}
			t=$(trim "${BASH_REMATCH[3]}")
		elif [[ $t =~ ^(ours|ref)= ]]; then
			echo "FAIL $plugin.args:$lineno: malformed difference (want 'ours=N ref=M: ARGS'): $t"
			total=$((total + 1)); bad=$((bad + 1))
			continue
		fi
		argtext=$t
		total=$((total + 1))
		if ! eval "set -- $argtext" 2>/dev/null; then
			echo "FAIL $plugin.args:$lineno: cannot split ARGS: $argtext"
			bad=$((bad + 1))
			continue
		fi
		rc_of "$REFDIR/$plugin" "$@"; ref=$?
		cp "$work/last" "$work/ref.out"
		rc_of "$PLUGINDIR/$plugin" "$@"; ours=$?
		if [ -n "$want_ours" ]; then
			if [ "$ours" = "$want_ours" ] && [ "$ref" = "$want_ref" ]; then
				verdict="documented difference"
			else
				verdict="FAIL: want ours=$want_ours ref=$want_ref"
			fi
		elif [ "$ours" != "$ref" ]; then
			verdict="FAIL: states differ"
		elif [ "$ref" = 3 ] && [ "$text_differs" = 0 ]; then
			verdict="same"
		elif [ "$(mask "$work/ref.out")" = "$(mask "$work/last")" ] &&
			[ "$(wc -l <"$work/ref.out")" = "$(wc -l <"$work/last")" ]; then
			if [ "$text_differs" = 1 ]; then
				verdict="FAIL: marked text: but the first lines agree"
			else
				verdict="same"
			fi
		elif [ "$text_differs" = 1 ]; then
			verdict="documented text difference"
		else
			verdict="FAIL: the text differs (line 1 or the line count)"
		fi
		row "$argtext" "$ref" "$ours" "$verdict"
		if [[ $verdict == FAIL* ]]; then
			bad=$((bad + 1))
			echo "    ref:  $(head -n 1 "$work/ref.out" | cut -c1-300)"
			echo "    ours: $(head -n 1 "$work/last" | cut -c1-300)"
		fi
	done <"$file"
	if ! msp_hook "$plugin" teardown; then
		echo "FAIL $plugin: $plugin.teardown.sh failed"
		total=$((total + 1)); bad=$((bad + 1))
	fi
}

shopt -s nullglob
# With FILE arguments (make check passes one: each tests/diff/*.args file is
# its own automake test) only those; without, every plugin's.
if [ $# -eq 0 ]; then set -- "$here"/check_*.args; fi
# A table whose first line is "# diff: private network namespace" talks to servers its setup
# script starts on 127.0.0.1: it runs in a private network namespace (unshare -n, loopback up),
# as tests/integration/run.sh runs its tests, when this machine allows that.
netns_table() {
	local rc t=0 b=0 c=0
	: >"$work/netns-counts"
	unshare -n sh -c 'ip link set lo up && exec "$@"' sh \
		env MSP_DIFF_NETNS=1 MSP_DIFF_COUNTS="$work/netns-counts" bash "$0" "$1"
	rc=$?
	read -r t b c <"$work/netns-counts" || true
	total=$((total + ${t:-0})) bad=$((bad + ${b:-0})) compared=$((compared + ${c:-0}))
	# a table that failed without counting a disagreement (its setup) still fails
	if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ "${b:-0}" = 0 ]; then
		total=$((total + 1)) bad=$((bad + 1))
	fi
}
for f in "$@"; do
	if [ -z "${MSP_DIFF_NETNS:-}" ] && [ "$(head -n 1 "$f")" = "# diff: private network namespace" ] &&
		command -v unshare >/dev/null && unshare -n sh -c 'ip link set lo up' 2>/dev/null; then
		netns_table "$f"
		continue
	fi
	compare_plugin "$f"
done

echo
# a table run in its own namespace hands its counts to the runner that started it
[ -z "${MSP_DIFF_COUNTS:-}" ] || echo "$total $bad $compared" >"$MSP_DIFF_COUNTS"
echo "diff: $total argument sets over $compared plugins, $bad disagreements"
msp_exit "$bad" "$compared" "diff: nothing compared"
