#!/bin/sh
# The local apt repository and apt state for the check_apt CLI cases, in $TMP/r
# (tests/helpers/apt_repo.sh: 4 upgrades, 2 of them security; msp-held held, msp-phased
# phased, msp-keep kept back), plus:
#   $TMP/stale    a copy of its lists, last modified 10 days ago
#   $TMP/nolists  an empty lists directory (apt-get update never ran)
#   $TMP/hang     an apt-get stand-in that never ends (for -t)
set -e
: "${TMP:?TMP must name a directory}"
: "${top_srcdir:?top_srcdir must be set}"
"$top_srcdir/tests/helpers/apt_repo.sh" "$TMP/r"
mkdir -p "$TMP/stale" "$TMP/nolists/partial"
cp -p "$TMP/r/state/lists/"*_Release "$TMP/r/state/lists/"*_Packages* "$TMP/stale/"
touch -d '10 days ago' "$TMP/stale/"*
printf '#!/bin/sh\nexec sleep 600\n' >"$TMP/hang"
chmod +x "$TMP/hang"
