#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/helpers/apt_repo.sh - a local apt repository and a private apt state for
# the check_apt tests.  No network: the repository is a file: source, and every
# apt path points below one directory.  Two ways to use it:
#
#   tests/helpers/apt_repo.sh DIR       build it below DIR (the CLI and diff setups)
#
#   . "$top_srcdir/tests/helpers/apt_repo.sh"   (an integration script, after
#   apt_repo_setup TAG                         tests/helpers/integration.sh)
#       skips (77) without dpkg-deb, apt-ftparchive or apt-get; makes $work
#       (msp_tmpdir TAG, removed on exit), builds the repository in R=$work/r
#       and reads the apt-get options that select it into the array APTO
#       (-o Dir::Etc=... -o Dir::State=..., one word each); a failed build
#       fails the script.
#
# What it makes (Architecture: all packages built with dpkg-deb, indexes and
# Release files written by apt-ftparchive, lists fetched by apt-get update):
#   DIR/repo/dists/bookworm            Origin Debian, Label Debian, suite bookworm
#   DIR/repo/dists/bookworm-security   Origin Debian, Label Debian-Security, suite
#                                      bookworm-security (the reference's security
#                                      regex matches its Inst lines)
#   DIR/status   a dpkg status file: version 1.0 of every package below installed,
#                msp-held on hold
#   DIR/etc      sources.list ([trusted=yes] file: lines), empty sources.list.d
#                and preferences.d
#   DIR/state    Dir::State (lists in DIR/state/lists), DIR/cache Dir::Cache
#   DIR/opts     the apt-get options that select all this, one line (for OPTS)
#   DIR/apt.conf the same settings as a config file (for apt-get -c DIR/apt.conf)
#   DIR/dup.conf the same, but with every source listed twice: apt-get warns on stderr
#
# Packages (installed 1.0 -> candidate):
#   msp-sec, msp-libsec   1.1 in bookworm-security      security updates
#   msp-plain 1.1, msp-other 2.0 in bookworm            normal updates
#   msp-held  1.1 in bookworm, held                     not upgraded (hold)
#   msp-keep  1.1 in bookworm, depends on msp-newdep    kept back by upgrade,
#                                                       upgraded by dist-upgrade
#   msp-phased 1.1 in bookworm, Phased-Update-Percentage 0   deferred (phasing)
#   msp-current 1.0 only                                no update
# With the options in DIR/opts: `upgrade` installs 4 (2 security),
# `dist-upgrade` 6 (msp-keep and the new msp-newdep as well).
#
# APT::Sandbox::User=root: the _apt user may not reach DIR (mktemp -d makes it 0700), and apt
# would warn on stderr about downloading unsandboxed.
# Environment: APT_REPO_MACHINE_ID (default a fixed id) makes phasing
# deterministic.  Exit status 0, or 1 with a message when a tool failed.

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
	# sourced: only the function; the build runs as its own process (its set -e holds there)
	apt_repo_sh=${BASH_SOURCE[0]}
	apt_repo_setup() {
		msp_need dpkg-deb apt-ftparchive apt-get
		msp_tmpdir "$1"
		R=$work/r
		if ! "$apt_repo_sh" "$R" >"$work/apt_repo.log" 2>&1; then
			fail "tests/helpers/apt_repo.sh: $(cat "$work/apt_repo.log")"
			msp_done
		fi
		read -r -a APTO <"$R/opts"
	}
	return 0
fi

set -eu

dir=${1:?usage: apt_repo.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
arch=$(dpkg --print-architecture)
machine_id=${APT_REPO_MACHINE_ID:-0123456789abcdef0123456789abcdef}

die() { echo "apt_repo.sh: $*" >&2; exit 1; }
for tool in dpkg-deb apt-ftparchive apt-get; do
	command -v "$tool" >/dev/null || die "$tool not found"
done

# deb POOL NAME VERSION [EXTRA CONTROL LINES]
deb() {
	local pool=$1 name=$2 version=$3 extra=${4:-} root
	root=$dir/build/$name-$version
	mkdir -p "$root/DEBIAN" "$root/usr/share/doc/$name" "$dir/repo/pool/$pool"
	printf 'msp-plugins check_apt test package %s %s\n' "$name" "$version" >"$root/usr/share/doc/$name/README"
	{
		printf 'Package: %s\nVersion: %s\nArchitecture: all\n' "$name" "$version"
		printf 'Maintainer: msp-plugins tests <tests@localhost>\nPriority: optional\nSection: misc\n'
		[ -n "$extra" ] && printf '%s\n' "$extra"
		printf 'Description: check_apt test package\n'
	} >"$root/DEBIAN/control"
	dpkg-deb --root-owner-group -Zgzip --build "$root" "$dir/repo/pool/$pool/${name}_${version}_all.deb" \
		>/dev/null 2>"$dir/build/dpkg-deb.err" || die "dpkg-deb failed: $(cat "$dir/build/dpkg-deb.err")"
}

# suite NAME POOL LABEL VERSION
suite() {
	local name=$1 pool=$2 label=$3 version=$4 d
	d=$dir/repo/dists/$name
	mkdir -p "$d/main/binary-$arch"
	(cd "$dir/repo" && apt-ftparchive packages "pool/$pool") >"$d/main/binary-$arch/Packages"
	gzip -9nc "$d/main/binary-$arch/Packages" >"$d/main/binary-$arch/Packages.gz"
	(cd "$d" && apt-ftparchive \
		-o APT::FTPArchive::Release::Origin=Debian \
		-o "APT::FTPArchive::Release::Label=$label" \
		-o "APT::FTPArchive::Release::Suite=$name" \
		-o "APT::FTPArchive::Release::Codename=$name" \
		-o "APT::FTPArchive::Release::Version=$version" \
		-o "APT::FTPArchive::Release::Architectures=$arch" \
		-o APT::FTPArchive::Release::Components=main \
		release .) >"$dir/build/Release.$name"
	mv "$dir/build/Release.$name" "$d/Release"
}

# status_entry NAME [STATUS]: the control fields of NAME 1.0 as dpkg records an installed package
# (the same fields as in the repository, so apt sees the installed 1.0 as the archive's 1.0).
status_entry() {
	dpkg-deb -f "$dir/repo/pool/main/${1}_1.0_all.deb" | sed "1a Status: ${2:-install ok installed}"
	echo
}

rm -rf "$dir/build" "$dir/repo"
mkdir -p "$dir/build"

for p in msp-sec msp-libsec msp-plain msp-other msp-held msp-keep msp-phased msp-current; do
	deb main "$p" 1.0
done
deb security msp-sec 1.1
deb security msp-libsec 1.1
deb main msp-plain 1.1
deb main msp-other 2.0
deb main msp-held 1.1
deb main msp-newdep 1.0
deb main msp-keep 1.1 'Depends: msp-newdep'
deb main msp-phased 1.1 'Phased-Update-Percentage: 0'
suite bookworm main Debian 12.1
suite bookworm-security security Debian-Security 12

mkdir -p "$dir/etc/sources.list.d" "$dir/etc/preferences.d" "$dir/state/lists/partial" \
	"$dir/cache/archives/partial"
printf 'deb [trusted=yes] file:%s bookworm main\ndeb [trusted=yes] file:%s bookworm-security main\n' \
	"$dir/repo" "$dir/repo" >"$dir/etc/sources.list"
: >"$dir/state/extended_states"
{
	for p in msp-sec msp-libsec msp-plain msp-other msp-keep msp-phased msp-current; do
		status_entry "$p"
	done
	status_entry msp-held 'hold ok installed'
} >"$dir/status"

# The same as an apt.conf, for apt-get -c (shorter OPTS; check_apt then needs --lists-dir/--dpkg-status).
cat >"$dir/apt.conf" <<CONF
Dir::Etc "$dir/etc";
Dir::State "$dir/state";
Dir::State::status "$dir/status";
Dir::Cache "$dir/cache";
APT::Machine-ID "$machine_id";
APT::Sandbox::User "root";
CONF
# dup.conf: every source listed twice, so apt-get succeeds but warns on stderr ("configured multiple times").
mkdir -p "$dir/etc-dup/sources.list.d" "$dir/etc-dup/preferences.d"
cat "$dir/etc/sources.list" "$dir/etc/sources.list" >"$dir/etc-dup/sources.list"
sed "s|^Dir::Etc .*|Dir::Etc \"$dir/etc-dup\";|" "$dir/apt.conf" >"$dir/dup.conf"
printf '%s\n' "-o Dir::Etc=$dir/etc -o Dir::State=$dir/state -o Dir::State::status=$dir/status -o Dir::Cache=$dir/cache -o APT::Machine-ID=$machine_id -o APT::Sandbox::User=root" >"$dir/opts"

# shellcheck disable=SC2046
apt-get -q $(cat "$dir/opts") -o Debug::NoLocking=1 -o APT::Get::List-Cleanup=0 update \
	>"$dir/build/update.log" 2>&1 || die "apt-get update failed: $(cat "$dir/build/update.log")"
