#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/cli/contrib.sh - the committed contrib/icinga2, contrib/nagios
# definitions and the README plugin table are what the plugins' option
# tables generate (scripts/gen-contrib.sh, `make contrib`): a table
# changed without `make contrib` fails here, with the difference shown.
# Environment: top_srcdir, PLUGINDIR (make check sets them).
set -u
: "${top_srcdir:?}" "${PLUGINDIR:?}"
work=$(mktemp -d "${TMPDIR:-/tmp}/msp-contrib.XXXXXX")
trap 'rm -rf "$work"' EXIT
mapfile -t plugins < <(sed -n 's|^include \$(srcdir)/plugins/\(check_[a-z0-9_]*\)\.am$|\1|p' "$top_srcdir/Makefile.am")
if [ "${#plugins[@]}" -eq 0 ]; then
	echo "FAIL: no plugin fragments found in $top_srcdir/Makefile.am"
	exit 1
fi
cp "$top_srcdir/README.md" "$work/README.md"
bash "$top_srcdir/scripts/gen-contrib.sh" "$work" "${plugins[@]/#/$PLUGINDIR/}" || exit 1
failed=0
for p in "${plugins[@]}"; do
	for f in "contrib/icinga2/$p.conf" "contrib/nagios/$p.cfg"; do
		if ! diff -u "$top_srcdir/$f" "$work/$f" >"$work/diff"; then
			echo "FAIL: $f is not what $p's option table generates (run make contrib):"
			head -n 40 "$work/diff"
			failed=1
		fi
	done
done
if ! diff -u "$top_srcdir/README.md" "$work/README.md" >"$work/diff"; then
	echo "FAIL: README.md's plugin table is not what the plugins generate (run make contrib):"
	head -n 40 "$work/diff"
	failed=1
fi
# The generated definitions are valid Icinga 2 configuration together with the ITL they
# import from (icinga2 daemon -C; CI installs icinga2-bin).
if command -v icinga2 >/dev/null; then
	mkdir -p "$work/i2"
	# icinga2 reads the configuration as its own user (nagios), not as root
	chmod 0755 "$work" "$work/i2"
	printf '%s\n' 'include <itl>' 'include <plugins>' 'const PluginDir = "/usr/lib/nagios/plugins"' \
		'const MspPluginDir = "/usr/local/libexec/msp-plugins"' \
		"include \"$top_srcdir/contrib/icinga2/*.conf\"" >"$work/i2/icinga2.conf"
	chmod 0644 "$work/i2/icinga2.conf"
	if ! icinga2 daemon -C -c "$work/i2/icinga2.conf" >"$work/i2/out" 2>&1; then
		echo "FAIL: icinga2 daemon -C rejects contrib/icinga2/*.conf:"
		grep -E 'critical|rror' "$work/i2/out" | head -n 20
		failed=1
	fi
else
	echo "note: icinga2 is not installed (Debian icinga2-bin): the definitions were not validated"
fi
[ "$failed" = 0 ] && echo "contrib: ${#plugins[@]} plugins, definitions and README table as generated"
exit "$failed"
