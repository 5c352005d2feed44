#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# scripts/gen-contrib.sh OUTDIR PLUGIN... - write the generated contrib
# definitions and the README plugin table from each built plugin's own
# option table (--help-contrib=KIND):
#   OUTDIR/contrib/icinga2/NAME.conf   Icinga 2 CheckCommand msp_<name>
#   OUTDIR/contrib/nagios/NAME.cfg     Nagios/Naemon command check_msp_<name>
#   OUTDIR/README.md                   the rows between <!-- plugins:begin -->
#                                      and <!-- plugins:end --> (README.md must
#                                      exist in OUTDIR; the rest is kept)
# `make contrib` runs it on the source tree; tests/cli/contrib.sh runs it on
# a copy and fails when the committed files differ.
set -euo pipefail
out=$1
shift
mkdir -p "$out/contrib/icinga2" "$out/contrib/nagios"
rows=$(mktemp)
trap 'rm -f "$rows" "$rows.readme"' EXIT
for p in "$@"; do
	name=$(basename "$p")
	# --help-contrib exits 3 (UNKNOWN), as every informational option does
	"$p" --help-contrib=icinga2 >"$out/contrib/icinga2/$name.conf" || [ $? = 3 ]
	"$p" --help-contrib=nagios >"$out/contrib/nagios/$name.cfg" || [ $? = 3 ]
	"$p" --help-contrib=readme >>"$rows" || [ $? = 3 ]
done
readme=$out/README.md
if ! grep -q '^<!-- plugins:begin -->$' "$readme" || ! grep -q '^<!-- plugins:end -->$' "$readme"; then
	echo "gen-contrib: $readme has no <!-- plugins:begin --> / <!-- plugins:end --> markers" >&2
	exit 1
fi
awk -v rows="$rows" '
	/^<!-- plugins:begin -->$/ { print; print "| plugin | concern | drop-in for |"; print "|---|---|---|";
		while ((getline l < rows) > 0) print l; skip = 1; next }
	/^<!-- plugins:end -->$/ { skip = 0 }
	!skip { print }
' "$readme" >"$rows.readme"
cat "$rows.readme" >"$readme"
