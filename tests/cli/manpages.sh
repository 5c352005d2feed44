#!/bin/bash
# tests/cli/manpages.sh - every built plugin's manual page (--help-man) is
# made from the same option table as --help: it exits 3 like --help, is a
# man(7) page with NAME, SYNOPSIS and OPTIONS, names every option --help
# names, and (when man is installed) renders without roff warnings.
# shellcheck source=SCRIPTDIR/../helpers/common.sh
. "$(dirname "$0")/../helpers/common.sh"
msp_find_dirs
msp_work_dir man

failed=0
done_=0
fail() {
	echo "FAIL $1: $2"
	failed=$((failed + 1))
}

for bin in "$PLUGINDIR"/check_*; do
	[ -x "$bin" ] && [ -f "$bin" ] || continue
	case $bin in *.o | *.1) continue ;; esac
	name=${bin##*/}
	page=$work/$name.1
	"$bin" --help-man >"$page" 2>"$work/stderr"
	rc=$?
	done_=$((done_ + 1))
	[ "$rc" = 3 ] || fail "$name" "--help-man exited $rc, not 3"
	[ -s "$work/stderr" ] && fail "$name" "--help-man wrote to stderr"
	head -n 1 "$page" | grep -q "^\.TH $name 1 " || fail "$name" "no .TH line"
	for sect in NAME SYNOPSIS OPTIONS "EXIT STATUS"; do
		grep -q "^\.SH $sect\$" "$page" || fail "$name" "no $sect section"
	done
	# Every long option --help shows appears in the page (roff writes - as \-).
	"$bin" --help 2>/dev/null | grep -oE '^ +(-[A-Za-z0-9], )?--[a-z0-9_-]+' | sed 's/.*--//' | sort -u >"$work/opts"
	[ -s "$work/opts" ] || fail "$name" "--help shows no long options"
	while read -r opt; do
		grep -qF "\\fB\\-\\-${opt//-/\\-}\\fR" "$page" || fail "$name" "option --$opt is missing from the page"
	done <"$work/opts"
	if command -v man >/dev/null; then
		warn=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		[ -z "$warn" ] || fail "$name" "man warns: $warn"
	fi
	echo "ok $name"
done
msp_exit "$failed" "$done_" "skip: no plugins built in $PLUGINDIR"
