#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/cli/manpages.sh - every built plugin's manual page (--help-man) is
# made from the same option table as --help: it exits 3 like --help, is a
# man(7) page with NAME, SYNOPSIS, OPTIONS, EXIT STATUS (0..3 and the exit
# 3 of --help and usage errors), ENVIRONMENT, FILES (the --extra-opts ini
# files), EXAMPLES (the "Examples:" block of --help, taken out of NOTES)
# and SEE ALSO (the installed documents under $(docdir)), names every option
# --help names, and renders without warnings (groff -man -ww, and man -l
# when man is installed).
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
	for sect in NAME SYNOPSIS OPTIONS "EXIT STATUS" ENVIRONMENT FILES "SEE ALSO"; do
		grep -q "^\.SH $sect\$" "$page" || fail "$name" "no $sect section"
	done
	section() { sed -n "/^\.SH $1\$/,/^\.SH /p" "$page"; }
	for code in 0 1 2 3; do
		section "EXIT STATUS" | grep -qx "\.B $code" || fail "$name" "EXIT STATUS does not explain $code"
	done
	section "EXIT STATUS" | grep -q 'usage error' || fail "$name" "EXIT STATUS does not say usage errors exit 3"
	for var in MP_CONFIG_FILE NAGIOS_CONFIG_PATH NO_COLOR TZ LC_ALL; do
		section ENVIRONMENT | grep -qx "\.B $var" || fail "$name" "ENVIRONMENT does not name $var"
	done
	section FILES | grep -qx '\.I /etc/nagios/plugins\.ini' || fail "$name" "FILES does not name the ini files"
	# SEE ALSO names the installed documents under the configured docdir (roff writes - as \-)
	docdir=$(sed -n 's/^docdir = //p' "$top_builddir/Makefile")
	prefix=$(sed -n 's/^prefix = //p' "$top_builddir/Makefile")
	datarootdir=$(sed -n 's/^datarootdir = //p' "$top_builddir/Makefile")
	package=$(sed -n 's/^PACKAGE_TARNAME = //p' "$top_builddir/Makefile")
	docdir=${docdir//'${datarootdir}'/$datarootdir}
	docdir=${docdir//'${prefix}'/$prefix}
	docdir=${docdir//'${PACKAGE_TARNAME}'/$package}
	for doc in README.md output-formats.md contrib/; do
		want=".I ${docdir//-/\\-}/${doc//-/\\-}"
		# (the page puts a break point \: after each '/', so a long docdir fits a line)
		section "SEE ALSO" | sed 's/\\://g' | grep -qxF "$want" || fail "$name" "SEE ALSO does not name $want"
	done
	# The examples of --help are the EXAMPLES section, and only there.
	"$bin" --help 2>/dev/null | sed -n '/^Examples:$/,$p' | sed 1d >"$work/examples"
	if [ -s "$work/examples" ]; then
		section EXAMPLES | sed -e '1,2d' -e '/^\.fi$/,$d' -e 's/\\-/-/g' -e 's/\\e/\\/g' >"$work/man_examples"
		cmp -s "$work/examples" "$work/man_examples" || fail "$name" "EXAMPLES differs from --help: $(diff "$work/examples" "$work/man_examples" | head -5)"
		section NOTES | grep -q '^Examples:' && fail "$name" "the examples are still in NOTES"
	else
		fail "$name" "--help shows no examples"
	fi
	# Every long option --help shows appears in the page (roff writes - as \-).
	"$bin" --help 2>/dev/null | grep -oE '^ +(-[A-Za-z0-9], )?--[a-z0-9_-]+' | sed 's/.*--//' | sort -u >"$work/opts"
	[ -s "$work/opts" ] || fail "$name" "--help shows no long options"
	while read -r opt; do
		grep -qF "\\fB\\-\\-${opt//-/\\-}\\fR" "$page" || fail "$name" "option --$opt is missing from the page"
	done <"$work/opts"
	warn=$(groff -man -ww -z "$page" 2>&1)
	[ -z "$warn" ] || fail "$name" "groff warns: $warn"
	if command -v man >/dev/null; then
		warn=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		[ -z "$warn" ] || fail "$name" "man warns: $warn"
	fi
	echo "ok $name"
done
msp_exit "$failed" "$done_" "skip: no plugins built in $PLUGINDIR"
