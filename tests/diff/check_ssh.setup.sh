#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The servers tests/diff/check_ssh.args (and tests/bench/check_ssh.args) ask, on 127.0.0.1 only:
# a real sshd with its own host key and private config (tests/helpers/sshd.sh; needs root and
# openssh-server), and scripted peers (tests/helpers/tcp_peer.py): lines before the
# identification, an SMTP banner, a listener that never answers.  Their ports go to
# $TMP/p_ssh, p_pre, p_smtp, p_silent and p_closed (nothing listens there), the server's
# version as it shows it to $TMP/ssh_version, their pids to $TMP/pids.  Each ends by itself
# after ten minutes; check_ssh.teardown.sh stops them.
set -eu
: "${TMP:?TMP must be set}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=../helpers/sshd.sh
. "$top_srcdir/tests/helpers/sshd.sh"

# a TCP port on 127.0.0.1 that nothing listens on (and that no other port file names)
port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		grep -qx "$p" "$TMP"/p_* 2>/dev/null && continue
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || break
	done
	echo "$p"
}

msp_sshd_usable || { echo "check_ssh.setup.sh: needs root, /usr/sbin/sshd and ssh-keygen" >&2; exit 1; }
port >"$TMP/p_ssh"
mkdir -p "$TMP/sshd"
MSP_SSHD_LIFETIME=600 msp_sshd_start "$TMP/sshd" "$(cat "$TMP/p_ssh")" || { cat "$TMP/sshd/sshd.log" >&2; exit 1; }
echo "$msp_sshd_pid" >>"$TMP/pids"
exec 3<>"/dev/tcp/127.0.0.1/$(cat "$TMP/p_ssh")"
IFS= read -r ident <&3
exec 3<&-
ident=${ident%$'\r'}
echo "${ident#SSH-2.0-}" >"$TMP/ssh_version"

peer=$top_srcdir/tests/helpers/tcp_peer.py
start_peer() { # MODE FILE [ARG]
	local p
	p=$(port)
	echo "$p" >"$TMP/$2"
	timeout 600 python3 "$peer" "$1" "$p" ${3:+"$3"} </dev/null >/dev/null 2>&1 &
	echo $! >>"$TMP/pids"
	for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && return 0; sleep 0.1; done
	echo "check_ssh.setup.sh: peer $1 did not start" >&2
	return 1
}
start_peer banner p_pre 'Welcome\r\nSSH-2.0-Foo_1.2 comment\r\n'
start_peer banner p_smtp '220 mail.msp.test ESMTP\r\n'
start_peer silent p_silent
port >"$TMP/p_closed"
