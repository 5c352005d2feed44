# SPDX-License-Identifier: GPL-3.0-or-later
# tests/helpers/unprivileged.sh - sourced by the integration scripts that run a plugin as the
# unprivileged monitoring user (tests/integration/check_backup.sh, check_file_age.sh):
# permissions do not bite root, so as root the plugin runs as 'nobody' (setpriv).
#
#     msp_unprivileged PLUGIN TAG
#
# sets P (the built plugin; exit 77 when it is not built), T (a fresh directory, mode 0755,
# reachable by that user, removed on exit), as_user (the command prefix, empty when not root)
# and fails=0; it exits 77 with the reason when setpriv is missing or the user cannot reach T.
# expect RC REGEX ARGS... then runs the plugin as that user and checks its exit code and line 1
# (the whole output when REGEX contains (?s)), counting failures in fails.
# shellcheck shell=bash

msp_unprivileged() {
	: "${PLUGINDIR:?}"
	P=$PLUGINDIR/$1
	[ -x "$P" ] || { echo "$1 is not built"; exit 77; }
	T=$(mktemp -d "${TMPDIR:-/tmp}/msp-$2-it.XXXXXX") || exit 1
	trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
	chmod 755 "$T"
	as_user=()
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv >/dev/null || { echo "setpriv (util-linux) is missing"; exit 77; }
		as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
	fi
	# The temporary directory must be reachable for the unprivileged user.
	if ! "${as_user[@]}" test -x "$T"; then
		echo "nobody cannot reach $T (a 0700 parent directory?)"
		exit 77
	fi
	fails=0
}

expect() {
	local want=$1 re=$2 out rc name=${P##*/}
	shift 2
	out=$("${as_user[@]}" "$P" "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL (exit $rc, want $want): $name $*"; echo "$out" | head -5; fails=$((fails + 1)); return
	fi
	if [[ $re == *"(?s)"* ]]; then
		printf '%s\n' "$out" | grep -Pzq -- "$re" || { echo "FAIL (output): $name $*"; echo "$out" | head -8; fails=$((fails + 1)); return; }
	else
		printf '%s\n' "$out" | head -n 1 | grep -Eq -- "$re" || { echo "FAIL (line 1): $name $*"; echo "$out" | head -3; fails=$((fails + 1)); return; }
	fi
	echo "ok   $want $name $*"
}
