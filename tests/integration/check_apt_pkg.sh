#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_apt's in-process simulation (plugins/check_apt_pkg.cc, run here through
# tests/helpers/apt_sim) against real `apt-get -s` on the same apt state: for each
# situation both must print the same summary line, the same kept-back names, the same
# Inst/Remv/Purg lines (up to the order-dependent "[broken deps ]" notes apt-get's package
# manager appends, which the in-process method leaves out) and the same warnings, and exit
# alike.  Situations: the local repository of tests/helpers/apt_repo.sh (upgrades, security
# updates, a hold, a package kept back for a new dependency, a phased one; -q and -qq;
# upgrade, dist-upgrade, --with-new-pkgs, phased updates included, the cache reused for
# them), a dist-upgrade that removes a package (also with --purge), a pinned downgrade,
# an automatically installed package that becomes garbage, nothing to do, sources listed
# twice (warnings), and this machine's own apt state as root and as nobody.  Options the
# in-process method does not handle must make it decline (check_apt then runs apt-get).
# Needs dpkg-deb, apt-ftparchive, apt-get and the helper (built with libapt-pkg); skips (77)
# without.  Then check_apt itself, in process and through apt-get, on the same arguments.
# Environment: top_srcdir, top_builddir, PLUGINDIR.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
# shellcheck source=../helpers/apt_repo.sh
. "$top_srcdir/tests/helpers/apt_repo.sh"
sim=${top_builddir:?}/tests/helpers/apt_sim
[ -x "$sim" ] || msp_skip "$sim not built (configure found no libapt-pkg: apt-get install libapt-pkg-dev)"
msp_need setpriv
apt_repo_setup check-apt-pkg
export LC_ALL=C

# norm FILE: what check_apt reads of apt-get -s output, in a comparable form: the
# summary, the sorted kept-back names, the sorted Inst/Remv/Purg lines without the
# trailing notes.
norm() {
	awk '
		/^The following packages have been kept back:/ { kept = 1; next }
		kept && /^ / { for (i = 1; i <= NF; i++) print "kept " $i; next }
		{ kept = 0 }
		/ upgraded, .* newly installed, / || / not fully installed or removed\./ { print "summary " $0 }
		/^Reading package lists\.\.\./ { print "progress" }
		/^Inst / { match($0, /^Inst [^(]*\([^)]*\)/); print (RSTART ? substr($0, 1, RLENGTH) : $0) }
		/^(Remv|Purg) / { match($0, /^(Remv|Purg) [^ ]+( \[[^]]*\])?/); print substr($0, 1, RLENGTH) }
	' "$1" | sort
}

# same NAME [--phased] [--as-nobody] VERB WORDS...: apt-get -s and the in-process method agree.
same() {
	local name=$1 phased= who=() extra=()
	shift
	if [ "$1" = --phased ]; then
		phased=--phased
		extra=(-o APT::Get::Always-Include-Phased-Updates=true)
		shift
	fi
	if [ "$1" = --as-nobody ]; then
		who=(setpriv --reuid=65534 --regid=65534 --clear-groups)
		shift
	fi
	local verb=$1
	shift
	"${who[@]}" apt-get "$@" "${extra[@]}" "$verb" >"$work/a.out" 2>"$work/a.err"
	local arc=$?
	"${who[@]}" "$sim" $phased "$verb" "$@" >"$work/b.out" 2>"$work/b.err"
	local brc=$?
	grep -v '^method: ' "$work/b.err" >"$work/b.err2"
	if [ "$brc" = 100 ]; then
		fail "$name: the in-process method declined: $(cat "$work/b.err")"
		return
	fi
	if [ "$arc" != "$brc" ]; then
		fail "$name: apt-get exit $arc, in process $brc ($(head -c 300 "$work/b.err"))"
		return
	fi
	if ! diff <(norm "$work/a.out") <(norm "$work/b.out") >"$work/diff"; then
		fail "$name: outputs differ (< apt-get, > in process):"
		cat "$work/diff"
		return
	fi
	if ! diff <(sort "$work/a.err") <(sort "$work/b.err2") >"$work/diff"; then
		fail "$name: warnings differ (< apt-get, > in process):"
		cat "$work/diff"
		return
	fi
	if ! grep -q '^summary ' <(norm "$work/a.out") && ! grep -q '^Inst ' "$work/a.out" &&
		! [[ " $* " == *" -qq "* ]]; then
		fail "$name: apt-get printed neither a summary nor an Inst line: nothing was compared"
		return
	fi
	pass "$name: $(grep -E ' upgraded, ' "$work/b.out" || echo "$(grep -c '^Inst ' "$work/b.out") Inst lines")"
}

# declines NAME VERB WORDS...: the in-process method hands the run to apt-get.
declines() {
	local name=$1 verb=$2
	shift 2
	"$sim" "$verb" "$@" >"$work/b.out" 2>"$work/b.err"
	if [ $? != 100 ]; then
		fail "$name: want the in-process method to decline, it ran: $(head -c 200 "$work/b.err")"
	else
		pass "$name: $(cat "$work/b.err")"
	fi
}

Q=(-o Debug::NoLocking=true -s -q "${APTO[@]}")
QQ=(-o Debug::NoLocking=true -s -qq "${APTO[@]}")
same "repo upgrade -q" upgrade "${Q[@]}"
same "repo upgrade -qq" upgrade "${QQ[@]}"
same "repo dist-upgrade -q" dist-upgrade "${Q[@]}"
same "repo dist-upgrade -qq" dist-upgrade "${QQ[@]}"
same "repo upgrade, phased included (cache reused)" --phased upgrade "${Q[@]}"
same "repo dist-upgrade, phased included" --phased dist-upgrade "${Q[@]}"
same "repo upgrade --with-new-pkgs" upgrade "${Q[@]}" --with-new-pkgs
same "repo upgrade -c apt.conf" upgrade -s -q -c "$R/apt.conf"
same "repo upgrade -o APT::Ignore-Hold=true" upgrade "${Q[@]}" -o APT::Ignore-Hold=true
same "repo upgrade, another machine id (phasing)" upgrade "${Q[@]}" -o APT::Machine-ID=fedcba9876543210fedcba9876543210
# apt's own package cache is off (Debian's images set Dir::Cache::pkgcache ""): the in-process
# method keeps one (in Dir::Cache when only we can write there) that libapt-pkg checks before use.
# Built, then valid (the warnings a build reports must come all the same), then stale.
kept=$R/cache/msp-check_apt-pkgcache.bin
rm -f "$kept"
same "repo upgrade, sources twice (warnings on stderr), cache built" upgrade -s -q -c "$R/dup.conf"
ok "a package cache is kept in $kept" test -s "$kept"
same "repo upgrade, sources twice, cache valid" upgrade -s -q -c "$R/dup.conf"
same "repo upgrade -qq, sources twice, cache valid" upgrade -s -qq -c "$R/dup.conf"
before=$(stat -c %i.%.9Y "$kept")
touch -d '1 hour ago' "$R/state/lists/"*Packages*
same "repo upgrade, lists changed since the cache was kept" upgrade "${Q[@]}"
[ "$(stat -c %i.%.9Y "$kept")" != "$before" ] || fail "the kept package cache was not rebuilt after the lists changed"

# Nothing to do: only the package without a newer version is installed.
awk -v RS= -v ORS='\n\n' '/^Package: msp-current\n/' "$R/status" >"$work/status.current"
same "nothing to upgrade" upgrade "${Q[@]}" -o "Dir::State::status=$work/status.current"

# A removal: an installed package no archive has that needs the old msp-plain.
{
	cat "$R/status"
	printf 'Package: msp-gone\nStatus: install ok installed\nVersion: 1.0\nArchitecture: all\n'
	printf 'Maintainer: msp-plugins tests <tests@localhost>\nDepends: msp-plain (<< 1.1)\nDescription: obsolete local package\n\n'
} >"$work/status.gone"
same "dist-upgrade removes a package" dist-upgrade "${Q[@]}" -o "Dir::State::status=$work/status.gone"
same "dist-upgrade --purge" dist-upgrade "${Q[@]}" -o "Dir::State::status=$work/status.gone" --purge
same "upgrade keeps the package that would need a removal" upgrade "${Q[@]}" -o "Dir::State::status=$work/status.gone"

# A downgrade: msp-current 1.5 installed, the archive's 1.0 pinned to 1001 (-q; with -qq apt-get refuses: declined).
awk -v RS= -v ORS='\n\n' '{ if ($0 ~ /^Package: msp-current\n/) sub(/Version: 1.0/, "Version: 1.5"); print }' \
	"$R/status" >"$work/status.down"
mkdir -p "$work/pin"
printf 'Package: msp-current\nPin: version 1.0\nPin-Priority: 1001\n' >"$work/pin/msp-current"
same "pinned downgrade" upgrade "${Q[@]}" -o "Dir::State::status=$work/status.down" -o "Dir::Etc::PreferencesParts=$work/pin"
declines "pinned downgrade with -qq (apt-get stops: -y without --allow-downgrades)" upgrade "${QQ[@]}" \
	-o "Dir::State::status=$work/status.down" -o "Dir::Etc::PreferencesParts=$work/pin"

# Garbage: msp-orphan (no archive has it) was installed automatically and nothing needs it.
{
	cat "$R/status"
	printf 'Package: msp-orphan\nStatus: install ok installed\nVersion: 1.0\nArchitecture: all\n'
	printf 'Maintainer: msp-plugins tests <tests@localhost>\nDescription: check_apt test package\n\n'
} >"$work/status.auto"
printf 'Package: msp-orphan\nArchitecture: all\nAuto-Installed: 1\n\n' >"$R/state/extended_states"
same "an automatically installed package is garbage" dist-upgrade "${Q[@]}" -o "Dir::State::status=$work/status.auto"
same "... --auto-remove removes it" dist-upgrade "${Q[@]}" -o "Dir::State::status=$work/status.auto" --auto-remove
same "... also in an upgrade" upgrade "${Q[@]}" -o "Dir::State::status=$work/status.auto" --auto-remove --purge
: >"$R/state/extended_states"

# The kept cache follows a dpkg status file that changes under the same name (dpkg replaces it).
cp "$R/status" "$work/status.var"
same "status file, first version" dist-upgrade "${Q[@]}" -o "Dir::State::status=$work/status.var"
cp "$work/status.gone" "$work/status.var.new" && mv "$work/status.var.new" "$work/status.var"
same "status file replaced: the removal shows" dist-upgrade "${Q[@]}" -o "Dir::State::status=$work/status.var"
grep -q '^Remv msp-gone' "$work/b.out" || fail "the in-process method used a stale package cache: no Remv msp-gone"

# Options and settings the in-process method leaves to apt-get.
declines "no -s: a real upgrade" upgrade -q "${APTO[@]}"
declines "an unknown option" upgrade "${Q[@]}" --fancy-option
declines "-o without =" upgrade "${Q[@]}" -o Bad
declines "a missing config file" upgrade "${Q[@]}" -c "$work/missing.conf"
declines "an external solver" upgrade "${Q[@]}" -o APT::Solver=dump
declines "debug output (libapt-pkg would write it to the plugin's stdout)" upgrade "${Q[@]}" \
	-o Debug::pkgProblemResolver=true
declines "another verb" install "${Q[@]}"

# This machine's own apt state (whatever it is), as root and as nobody.
same "this machine: upgrade" upgrade -o Debug::NoLocking=true -s -q
same "this machine: dist-upgrade" dist-upgrade -o Debug::NoLocking=true -s -q
same "this machine: upgrade as nobody" --as-nobody upgrade -o Debug::NoLocking=true -s -q

# The plugin itself: -v names the method; with apt-get reached by another path (--apt-get runs
# that program, the in-process method is only for /usr/bin/apt-get) the whole output is the same.
msp_plugin check_apt
ln -s /usr/bin/apt-get "$work/apt-get"
# plugin_same NAME ARGS...: check_apt ARGS in process and through apt-get print the same.
plugin_same() {
	local name=$1
	shift
	"$plugin" -v "$@" >"$work/p.out" 2>"$work/p.err"
	local prc=$?
	"$plugin" --apt-get "$work/apt-get" "$@" >"$work/q.out" 2>/dev/null
	local qrc=$?
	sed -i -E 's/lists_age=[0-9]+s/lists_age=Ns/' "$work/p.out" "$work/q.out"
	if ! grep -q 'libapt-pkg .*simulation (apt ' "$work/p.err"; then
		fail "check_apt $name: -v does not name the in-process method: $(head -c 300 "$work/p.err")"
	elif [ "$prc" != "$qrc" ] || ! cmp -s "$work/p.out" "$work/q.out"; then
		fail "check_apt $name: in process rc $prc, through apt-get rc $qrc:"
		diff "$work/q.out" "$work/p.out"
	else
		pass "check_apt $name: rc $prc: $(head -n 1 "$work/p.out" | cut -c1-100)"
	fi
}
plugin_same "-U repo" -U"-s -q -c $R/apt.conf" --lists-dir "$R/state/lists" --dpkg-status "$R/status" -l
plugin_same "-d repo" -d"-s -q -c $R/apt.conf" --lists-dir "$R/state/lists" --dpkg-status "$R/status" -l
plugin_same "-U repo -qq" -U"-s -qq -c $R/apt.conf" -c nomatch
plugin_same "-U repo, sources twice" -U"-s -q -c $R/dup.conf" -o
plugin_same "this machine" -t 60
plugin_same "this machine -d" -d -t 60
# OPTS it does not handle: -v prints the apt-get command it runs instead.
"$plugin" -v -U"-s -q -c $R/apt.conf --fancy" >/dev/null 2>"$work/p.err"
if grep -q "not simulating in process (option '--fancy'" "$work/p.err" &&
	grep -q "^running: /usr/bin/apt-get -s -q -c $R/apt.conf --fancy upgrade" "$work/p.err"; then
	pass "check_apt -v names the apt-get command when it cannot simulate in process"
else
	fail "check_apt -v with an unknown option: $(head -c 400 "$work/p.err")"
fi

msp_done
