#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_apt against real apt: tests/helpers/apt_repo.sh builds a local repository (dpkg-deb,
# apt-ftparchive, a file: source with a Debian-Security suite) and a private apt state in which
# version 1.0 of eight packages is installed, one of them held; apt-get update fetches its lists.
# So upgrades, security origins, holds, kept-back and phased packages are what apt itself decides.
#
# Asserts our states, counts and perfdata, compares exit codes and counts with the reference
# (/usr/lib/nagios/plugins/check_apt) on the same OPTS, and covers what the reference gets wrong:
# stale or wiped package lists, an apt-get that fails, one that never ends.
# Needs dpkg-deb, apt-ftparchive (apt-utils) and apt-get; skips (77) without.
# Environment: PLUGINDIR, top_srcdir.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
# shellcheck source=../helpers/apt_repo.sh
. "$top_srcdir/tests/helpers/apt_repo.sh"
msp_plugin check_apt
ref=${MSP_REFDIR:-/usr/lib/nagios/plugins}/check_apt
apt_repo_setup check-apt
SIM=$(printf '%s ' -s -q "${APTO[@]}")
SIMQQ=$(printf '%s ' -o Debug::NoLocking=true -s -qq "${APTO[@]}")
UPD=$(printf '%s ' -q "${APTO[@]}" -o Debug::NoLocking=1 -o APT::Get::List-Cleanup=0)

# expect_apt RC REGEX ARGS...: expect with --extra-perfdata (the assertions read its perfdata);
# the arguments are kept for expect_long
expect_apt() {
	last=("${@:3}")
	expect "$1" "$2" --extra-perfdata "${@:3}"
}

# expect_long REGEX: a line of the long output matches; the nagios line of a drop-in is the
# reference's alone, so this reads the last expect_apt's multi-line output, its lines as
# "[STATE] text" (or "text" for a note); out, line and rc stay those of that run
expect_long() {
	local long keep_out=$out keep_line=$line keep_rc=$rc
	msp_run "$plugin" "${last[@]}" --output-format=multi-line
	long=$(sed -n -e 's/^\t\\_\(\[[A-Z]*\]\) - /\1 /p' -e 's/^\t\\_ //p' <<<"$out")
	out=$keep_out line=$keep_line rc=$keep_rc
	if grep -Eq -- "$1" <<<"$long"; then
		pass "long output has /$1/"
	else
		fail "long output lacks /$1/: $(tr '\n' '~' <<<"$long" | cut -c1-300)"
	fi
}

counts() { sed -n '1s/.*available_upgrades=\([0-9]*\);;;0 critical_updates=\([0-9]*\);;;0.*/\1 \2/p'; }

# same ARGS...: the reference and ours agree on the exit code and on both counts
same() {
	local rrc rout rcounts
	msp_run "$ref" "$@"
	rrc=$rc rout=$out
	msp_run "$plugin" --extra-perfdata "$@"
	rcounts=$(counts <<<"$rout")
	if [ "$rrc" != "$rc" ] || [ "$rcounts" != "$(counts <<<"$out")" ]; then
		fail "reference and ours differ on $*: ref rc $rrc counts '$rcounts' / ours rc $rc counts '$(counts <<<"$out")'"
		echo "    ref:  ${rout%%$'\n'*}"
		echo "    ours: $line"
	else
		pass "same rc $rc, counts $rcounts: $(printf '%q ' "$@" | cut -c1-100)"
	fi
}

echo "# our states, counts and perfdata"
expect_apt 2 "^APT CRITICAL: 4 packages available for upgrade \(2 critical updates\)\. \|available_upgrades=4;;;0 critical_updates=2;;;0 held=1;;;0 phased=1;;;0 kept_back=1;;;0 lists_age=[0-9]+s;;;0$" -U"$SIM"
expect_long '^msp-libsec \(security\)$'
expect_long '^\[OK\] msp-phased \(phased\)$'
expect_long '^\[OK\] msp-keep \(kept back\)$'
expect_long '^\[OK\] msp-held \(held\)$'
expect_apt 2 "^APT CRITICAL: 6 packages available for dist-upgrade \(2 critical updates\)\. \|available_upgrades=6;;;0 critical_updates=2;;;0 held=1;;;0 phased=1;;;0 kept_back=0;;;0 " -d"$SIM"
expect_long '^msp-newdep$'
expect_apt 1 "^APT WARNING: 4 packages available for upgrade \(0 critical updates\)" -U"$SIM" -c nomatch
expect_apt 0 "^APT OK: 4 packages" -U"$SIM" -c nomatch -w 5
expect_apt 0 "^APT OK: 4 packages available for upgrade \(0 critical updates\)" -U"$SIM" -c nomatch -o
expect_apt 2 "^APT CRITICAL: 1 packages available for upgrade \(1 critical updates\)" -U"$SIM" -i '^Inst msp-sec '
expect_apt 1 "^APT WARNING: 2 packages available for upgrade \(0 critical updates\)" -U"$SIM" -e sec
expect_apt 2 "\|available_upgrades=4;;;0 critical_updates=2;;;0 held=1;;;0 lists_age=" -U"$SIMQQ"
expect_apt 2 "^APT CRITICAL: 4 packages " -l -U"$SIM"
# -l names the available packages after line 1, as the reference does
[ "$(tail -n +2 <<<"$out" | grep -c '^msp-')" = 4 ] || fail "-l: want 4 package lines: $out"
# a second hold in a copy of the status file: apt keeps msp-plain back too
sed '/^Package: msp-plain$/,/^$/s/^Status: install ok installed$/Status: hold ok installed/' "$R/status" >"$R/status2"
expect_apt 2 "^APT CRITICAL: 3 packages available for upgrade \(2 critical updates\)\. \|.* held=2;;;0" \
	-U"$SIM -o Dir::State::status=$R/status2"
# -u updates first; the lists stay fresh
expect_apt 0 "^APT OK: 4 packages .* lists_age=[0-9]+s;86400;;0$" -u"$UPD" -U"$SIM" -c nomatch -w 10 --lists-max-age 1d

echo "# stale lists (touch -d), found through -o Dir::State= in OPTS"
cp -a "$R/state" "$R/state-stale"
find "$R/state-stale/lists" -maxdepth 1 -type f -exec touch -d '10 days ago' {} +
expect_apt 2 "^APT CRITICAL: package lists 10d( [0-9]+h)? old \(limit 2d\); 4 packages .* lists_age=8[0-9]{5}s;172800;;0$" \
	-U"$SIM -o Dir::State=$R/state-stale" --lists-max-age 2d
expect_long "^\[WARNING\] newest package list in $R/state-stale/lists/ is 10d"
expect_apt 1 "^APT WARNING: package lists 10d" -U"$SIM -o Dir::State=$R/state-stale" --lists-max-age 2d -c nomatch -w 10
expect_apt 0 "^APT OK: 4 packages" -U"$SIM -o Dir::State=$R/state-stale" --lists-max-age 11d -c nomatch -w 10
expect_apt 1 "^APT WARNING: package lists 10d.*; upgrade not simulated \(-n\)" -n --lists-dir "$R/state-stale/lists" --lists-max-age 2d

echo "# an update that wipes the lists (no sources): the reference says OK with 0 updates, we do not"
cp -a "$R/state" "$R/state-wiped"
WIPE=$(printf '%s ' -q "${APTO[@]}" -o Dir::State=$R/state-wiped -o Debug::NoLocking=1 -o Dir::Etc::SourceList=/nonexistent/sources.list)
SIMW="$SIM -o Dir::State=$R/state-wiped"
if [ -x "$ref" ]; then
	msp_run "$ref" -u"$WIPE" -U"$SIMW"
	if [ "$rc" = 0 ]; then pass "the reference fails open here: rc $rc: $line"; else
		fail "the reference was expected to fail open here (rc 0), got $rc: $line"
	fi
	cp -a "$R/state" "$R/state-wiped2"
	WIPE=${WIPE//state-wiped/state-wiped2}
	SIMW=${SIMW//state-wiped/state-wiped2}
fi
expect_apt 1 "^APT WARNING: no package lists: apt-get update never ran; 0 packages available for upgrade" \
	-u"$WIPE" -U"$SIMW" --lists-max-age 2d

echo "# a lists directory whose entries cannot be examined (r without x, as nobody): not 'no lists'"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	mkdir "$work/nox"
	cp -p "$R/state/lists/"*_Release "$work/nox/"
	chmod 0711 "$work"
	chmod 0444 "$work/nox"
	msp_wrap=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	expect 3 '^APT UNKNOWN: cannot read the package lists; upgrade not simulated' \
		-n --lists-dir "$work/nox" --lists-max-age 2d
	expect 3 '^\[UNKNOWN\] - ' -n --lists-dir "$work/nox" --lists-max-age 2d --output-format=multi-line
	expect_output "(?m)^\t\\\\_\\[UNKNOWN\\] - cannot read the lists directory '$work/nox': [^\n]*_Release: Permission denied$"
	msp_wrap=()
	chmod 0755 "$work/nox"
	chmod 0755 "$work"
else
	echo "skip: needs root and setpriv to run as nobody"
fi

echo "# apt-get fails, warns, hangs"
expect_apt 3 "^APT UNKNOWN: apt-get -s upgrade failed \(exit status 100\)" -U"$SIM -o Bad"
expect_long "^\[UNKNOWN\] apt-get -s upgrade failed: exit status 100: E: "
[[ $line != *available_upgrades* ]] || fail "a failed simulation must not report counts: $line"
expect_apt 2 "^APT CRITICAL: apt-get update failed \(exit status 100\); 4 packages" -u"$UPD -o Bad" -U"$SIM"
expect_apt 1 "^APT WARNING: apt-get -s upgrade warnings; 4 packages" -U"-s -q -c $R/dup.conf" -c nomatch -w 10
printf '#!/bin/sh\nexec sleep 600\n' >"$work/hang"
chmod +x "$work/hang"
start=$SECONDS
expect_apt 3 "^APT UNKNOWN: timed out after 3 s while running $work/hang upgrade" -t 3 --apt-get "$work/hang"
[ $((SECONDS - start)) -le 8 ] || fail "a hanging apt-get must end within -t 3 (took $((SECONDS - start)) s)"
start=$SECONDS
expect_apt 2 "^APT CRITICAL: timed out after 3 s while running $work/hang update" -t 3:CRITICAL -u --apt-get "$work/hang"
[ $((SECONDS - start)) -le 8 ] || fail "a hanging apt-get update must end within -t 3 (took $((SECONDS - start)) s)"
pgrep -f "$work/hang" >/dev/null && fail "the hanging apt-get stand-in outlived check_apt"

if [ -x "$ref" ]; then
	echo "# reference and ours: the same exit codes and counts on the same OPTS"
	same -U"$SIMQQ"
	same -U"$SIM"
	same -d"$SIMQQ"
	same -U"$SIMQQ" -e msp-sec
	same -U"$SIMQQ" -i '(msp-sec' -i 'msp-other)' -c nomatch
	same -U"$SIMQQ -o Dir::State::status=$R/status2"
	same -u"$UPD -o Bad" -U"$SIMQQ"
	same -U"-s -qq -c $R/dup.conf" -c nomatch -w 10
else
	echo "skip the comparison: $ref is not installed"
fi

# valgrind cannot run a sanitizer build (ASan must come first); CI runs this one under ASan instead.
if ldd "$plugin" 2>/dev/null | grep -q libasan; then
	echo "# valgrind: skipped, $plugin is built with AddressSanitizer"
elif command -v valgrind >/dev/null; then
	echo "# valgrind: the full path (simulation, phased simulation, status, lists)"
	if ! valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		"$plugin" -U"$SIM" -l --lists-max-age 1d >/dev/null 2>"$work/vg"; then
		grep -q . "$work/vg" && fail "valgrind: $(head -c 400 "$work/vg")"
	fi
fi

msp_done
