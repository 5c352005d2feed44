# SPDX-License-Identifier: GPL-3.0-or-later
# .ci/deps.sh - install what msp-plugins needs on Debian 12.  Sourced (bash) by
# quickstart, tests/run-all.sh and .ci/run, so all three install the same way.
#
#   msp_deps_install build|test   install the missing packages of .ci/packages.build
#                                 (and .ci/packages.test for "test"); idempotent:
#                                 apt-get runs only when something is missing
#   msp_locale_de                 make sure the de_DE.UTF-8 locale exists
#
# As root the commands run directly, otherwise through sudo.  Both return
# non-zero with a message on failure.

msp_deps_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Seconds to wait for another apt or dpkg run (unattended-upgrades, a person)
# to release its lock, instead of failing at once.
msp_apt_lock_wait=${MSP_APT_LOCK_WAIT:-600}

# msp_as_root CMD...: run CMD as root (directly or with sudo).
msp_as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		echo "deps: need root to run '$*' (run as root, or install sudo)" >&2
		return 1
	fi
}

# msp_apt_get ARGS...: apt-get as root, without questions, waiting for another apt or dpkg run
# (unattended-upgrades, a person) to release its lock instead of failing at once.
msp_apt_get() {
	msp_as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$msp_apt_lock_wait" "$@"
}

# msp_deps_list build|test: the package names, one per line.
msp_deps_list() {
	local files=("$msp_deps_dir/packages.build")
	[ "$1" = test ] && files+=("$msp_deps_dir/packages.test")
	sed -e 's/#.*//' -e 's/[[:space:]]//g' "${files[@]}" | grep -v '^$'
}

# msp_deps_missing PKG...: print the packages that are not installed.
msp_deps_missing() {
	local p status
	# No pipes into grep -q here: callers run with pipefail, and an early exit of grep would
	# fail the pipeline.
	for p in "$@"; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		[ "$status" = "install ok installed" ] || echo "$p"
	done
}

msp_deps_install() {
	local profile=${1:-build} missing
	if ! command -v dpkg-query >/dev/null 2>&1; then
		echo "deps: not a Debian system (no dpkg-query): install the packages in .ci/packages.$profile by hand"
		return 0
	fi
	# shellcheck disable=SC2046
	missing=$(msp_deps_missing $(msp_deps_list "$profile") | tr '\n' ' ')
	if [ -z "$missing" ]; then
		echo "deps: all $profile packages are installed"
		return 0
	fi
	echo "deps: installing $missing"
	msp_apt_get update -q || {
		echo "deps: apt-get update failed" >&2
		return 1
	}
	# shellcheck disable=SC2086
	msp_apt_get install -q -y --no-install-recommends $missing || {
		echo "deps: apt-get install $missing failed" >&2
		return 1
	}
}

msp_locale_de() {
	local have
	have=$(locale -a 2>/dev/null || true)
	case $'\n'"$have"$'\n' in
	*$'\n'de_DE.utf8$'\n'* | *$'\n'de_DE.UTF-8$'\n'*) return 0 ;;
	esac
	echo "deps: generating the de_DE.UTF-8 locale"
	msp_as_root localedef -i de_DE -f UTF-8 de_DE.UTF-8 || {
		echo "deps: localedef -i de_DE -f UTF-8 de_DE.UTF-8 failed (package locales installed?)" >&2
		return 1
	}
}
