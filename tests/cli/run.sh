#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/cli/run.sh - run the built plugins against tests/cli/<plugin>.cases,
# then the conformance tool over all built plugins.
#
# Case format, one per line ('#' starts a comment line):
#     EXPECTED_RC | ARGS | EXTENDED REGEX
# ARGS use shell quoting; $TMP is a fresh temporary directory (one per cases
# file) that tests/cli/<plugin>.setup.sh, when present, fills first.  The
# regex is matched with grep -E against line 1 of stdout; a regex containing
# (?s) is matched with grep -P against the whole stdout.  ARGS cannot contain
# a '|'; the regex may.  Without -v in ARGS the plugin must not write to
# stderr (DESIGN.md 1.3).
#
# With FILE arguments (make check passes one: each tests/cli/*.cases file is
# its own automake test, so `make check TESTS=tests/cli/check_load.cases`
# runs one plugin and -j2 spreads them) only those files run;
# conformance.cases runs the conformance tool.  Without arguments, all.
#
# Environment (set by make check): PLUGINDIR, top_srcdir, top_builddir.
# MSP_CONFORMANCE names the conformance tool (default:
# $top_srcdir/../shared/tools/plugin-conformance).
# Exit status: 0 all passed, 1 a case or the conformance tool failed,
# 77 nothing could be run.

# shellcheck source=SCRIPTDIR/../helpers/common.sh
. "$(dirname "$0")/../helpers/common.sh"
msp_find_dirs
CASE_TIMEOUT=${CASE_TIMEOUT:-30}

msp_work_dir cli

total=0
failed=0
ran=0

# verbose_args ARG...: true when -v/--verbose is among the arguments.
verbose_args() {
	local a
	for a in "$@"; do
		case $a in
		--verbose) return 0 ;;
		-v | -vv | -vvv | -vvvv) return 0 ;;
		esac
	done
	return 1
}

# run_case PLUGIN FILE LINENO LINE
run_case() {
	local plugin=$1 file=$2 lineno=$3 line=$4
	local want rest argtext regex rc out err first shown why=""

	want=$(trim "${line%%|*}")
	rest=${line#*|}
	if [[ $rest != *"|"* ]] || ! [[ $want =~ ^[0-3]$ ]]; then
		total=$((total + 1)); failed=$((failed + 1))
		echo "FAIL $file:$lineno: malformed case (want 'RC | ARGS | REGEX'): $line"
		return
	fi
	argtext=$(trim "${rest%%|*}")
	regex=$(trim "${rest#*|}")
	total=$((total + 1))
	if ! eval "set -- $argtext" 2>"$work/eval.err"; then
		failed=$((failed + 1))
		echo "FAIL $file:$lineno: cannot split ARGS: $argtext"
		return
	fi
	shown="$plugin $argtext"
	timeout -k 5 "$CASE_TIMEOUT" "$PLUGINDIR/$plugin" "$@" >"$work/out" 2>"$work/err" </dev/null
	rc=$?
	first=$(head -n 1 "$work/out")
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		why="did not end within ${CASE_TIMEOUT} s"
	elif [ "$rc" -ne "$want" ]; then
		why="exit $rc, want $want; line 1: $first"
	elif [ -n "$regex" ]; then
		if [[ $regex == *"(?s)"* ]]; then
			grep -Pzq -- "$regex" "$work/out" || why="output does not match /$regex/: $(head -c 300 "$work/out" | tr '\n' '~')"
		else
			printf '%s\n' "$first" | grep -Eq -- "$regex" || why="line 1 does not match /$regex/: $first"
		fi
	fi
	if [ -z "$why" ] && [ -s "$work/err" ] && ! verbose_args "$@"; then
		why="wrote to stderr without -v: $(head -c 200 "$work/err" | tr '\n' '~')"
	fi
	if [ -n "$why" ]; then
		failed=$((failed + 1))
		echo "FAIL $shown  ($file:$lineno): $why"
	else
		echo "ok   $shown"
	fi
}

# run_cases FILE
run_cases() {
	local file=$1 plugin lineno=0 line
	plugin=$(basename "$file" .cases)
	msp_built "$plugin" || return
	ran=$((ran + 1))
	msp_plugin_tmp "$plugin" || return
	if ! msp_hook "$plugin" setup; then
		total=$((total + 1)); failed=$((failed + 1))
		echo "FAIL $plugin: $here/$plugin.setup.sh failed"
		return
	fi
	echo "# $plugin ($file)"
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		case $(trim "$line") in '' | '#'*) continue ;; esac
		run_case "$plugin" "tests/cli/$(basename "$file")" "$lineno" "$line"
	done <"$file"
}

# run_conformance: the conformance tool, over the plugins that are built and
# the cases of tests/cli/conformance.cases that name them.
run_conformance() {
	local tool t p line
	tool=${MSP_CONFORMANCE:-$top_srcdir/../shared/tools/plugin-conformance}
	if [ ! -f "$tool" ]; then
		echo "skip conformance: tool not found at $tool (set MSP_CONFORMANCE)"
		return
	elif ! command -v python3 >/dev/null; then
		echo "skip conformance: python3 is not installed"
		return
	elif ! compgen -G "$PLUGINDIR/check_*" >/dev/null; then
		echo "skip conformance: no plugins built in $PLUGINDIR"
		return
	fi
	: >"$work/conformance.cases"
	if [ -f "$here/conformance.cases" ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			t=$(trim "$line")
			case $t in '' | '#'*) continue ;; esac
			p=${t#rc=[0-3] }
			p=$(trim "$p")
			p=${p%%[[:space:]]*}
			if [ -x "$PLUGINDIR/$p" ]; then
				printf '%s\n' "$t" >>"$work/conformance.cases"
			else
				echo "skip conformance case (not built): $t"
			fi
		done <"$here/conformance.cases"
	fi
	echo "# conformance ($tool)"
	ran=$((ran + 1))
	total=$((total + 1))
	if (cd "$work" && python3 "$tool" -q --plugins "$PLUGINDIR" --cases "$work/conformance.cases"); then
		conf_status=passed
	else
		conf_status=FAILED
		failed=$((failed + 1))
	fi
}

conf_status="not run"
shopt -s nullglob
if [ $# -eq 0 ]; then
	set -- "$here"/check_*.cases "$here/conformance.cases"
fi
for f in "$@"; do
	case $(basename "$f") in
	conformance.cases) run_conformance ;;
	check_*.cases) run_cases "$f" ;;
	*) echo "FAIL $f: not a tests/cli cases file"; failed=$((failed + 1)) ;;
	esac
done

echo "cli: $total checks, $failed failed (conformance: $conf_status)"
msp_exit "$failed" "$ran" "cli: nothing to run"
