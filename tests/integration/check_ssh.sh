#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_ssh against a real sshd (Debian openssh-server: its own host key made here, a private
# config, -D -f, tests/helpers/sshd.sh) on 127.0.0.1 inside the private network namespace of
# tests/integration/run.sh, and against scripted peers (tests/helpers/tcp_peer.py): lines before
# the identification, a non-SSH banner, a malformed identification, a close at once, and the
# hostile ones (accepts and never answers, one byte per second, 100 MB of garbage), each of which
# must end within -t plus 0.5 s and never be OK; the timings are printed.  The reference
# /usr/lib/nagios/plugins/check_ssh is run beside ours on the same sshd where it is installed.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
# shellcheck source=../helpers/sshd.sh
. "$top_srcdir/tests/helpers/sshd.sh"
msp_plugin check_ssh
msp_need python3
msp_tmpdir ssh
peer=$top_srcdir/tests/helpers/tcp_peer.py
[ -f "$peer" ] || msp_skip "tests/helpers/tcp_peer.py is missing"
pids=()
stop_all() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	msp_sshd_stop
}
msp_on_exit stop_all

# start_peer MODE PORT [ARG]: a scripted peer on 127.0.0.1:PORT, waited for
start_peer() {
	python3 "$peer" "$@" --log "$work/peer-$2.log" >/dev/null 2>&1 &
	pids+=($!)
	wait_for_port "$2" || fail "peer $1 on $2 did not start"
}

# ---- a real sshd ----------------------------------------------------------------------------
if msp_sshd_usable; then
	p_ssh=$(free_port)
	if msp_sshd_start "$work" "$p_ssh"; then
		ident='OpenSSH_[0-9.]+p[0-9]+[^()]*'
		expect 0 "^SSH OK - $ident \(protocol 2\.0\) \| time=[0-9]\.[0-9]{6}s;;;0\.000000;10\.000000$" \
			-H 127.0.0.1 -p "$p_ssh"
		expect 0 "^SSH OK - $ident \(protocol 2\.0\) \| time=" 127.0.0.1 -p "$p_ssh"
		expect 0 "^SSH OK - .* \| time=[0-9.]+s;;;0\.000000;5\.000000$" -p "$p_ssh" -t 5 127.0.0.1
		expect 0 '^SSH OK - ' -H 127.0.0.1 -p "$p_ssh" -P 2.0 -4
		expect 2 "^SSH CRITICAL - $ident \(protocol 2\.0\) protocol version mismatch, expected '1\.99'$" \
			-H 127.0.0.1 -p "$p_ssh" -P 1.99
		expect 2 "^SSH CRITICAL - $ident \(protocol 2\.0\) version mismatch, expected 'OpenSSH_1\.0'$" \
			-H 127.0.0.1 -p "$p_ssh" -r OpenSSH_1.0
		# -r is the whole version as shown: software version and comments
		msp_run "$plugin" -H 127.0.0.1 -p "$p_ssh"
		version=$(printf '%s\n' "$line" | sed -n 's/^SSH OK - \(.*\) (protocol 2\.0) | time=.*/\1/p')
		expect 0 '^SSH OK - ' -H 127.0.0.1 -p "$p_ssh" -r "$version"
		expect 1 "^SSH WARNING - $ident \(protocol 2\.0\) \| time=[0-9.]+s;0\.000000;5\.000000;0\.000000;10\.000000$" \
			-H 127.0.0.1 -p "$p_ssh" -w 0 -c 5
		expect 2 '^SSH CRITICAL - .* \| time=[0-9.]+s;;0\.000000;' -H 127.0.0.1 -p "$p_ssh" -c 0
		expect 0 '^SSH OK - ' -H localhost -p "$p_ssh" -4
		expect 3 "^SSH UNKNOWN - '127\.0\.0\.1' is no IPv6 address \(-6\)$" -H 127.0.0.1 -p "$p_ssh" -6
		expect 0 '(?s)^\{"version":1,"plugin":"check_ssh".*"state":"OK"' -H 127.0.0.1 -p "$p_ssh" --output-format=json
		if [ -x /usr/lib/nagios/plugins/check_ssh ]; then
			msp_run /usr/lib/nagios/plugins/check_ssh -H 127.0.0.1 -p "$p_ssh"
			ref=$line
			msp_run "$plugin" -H 127.0.0.1 -p "$p_ssh"
			ok "line 1 as the reference's, times masked" [ "${ref%%|*}" = "${line%%|*}" ]
		fi
		sleep 0.2
		ok "sshd saw our identification, not garbage" \
			bash -c "! grep -qi 'invalid format\|bad protocol\|banner line contains' '$work/sshd.log'"
	else
		fail "sshd did not start: $(head -n 3 "$work/sshd.log")"
	fi
else
	echo "skip: sshd (openssh-server) or ssh-keygen is not installed, or not root: no real server"
fi

# ---- scripted peers -------------------------------------------------------------------------
p_pre=$(free_port) p_smtp=$(free_port) p_bad=$(free_port) p_close=$(free_port) p_closed=$(free_port)
start_peer banner "$p_pre" 'Welcome to host\r\nauthorised use only\r\nSSH-2.0-Foo_1.2 comment here\r\n'
start_peer banner "$p_smtp" '220 mail.msp.test ESMTP\r\n'
start_peer banner "$p_bad" 'SSH-2.0\r\n'
start_peer close "$p_close"
expect 0 '^SSH OK - Foo_1\.2 comment here \(protocol 2\.0\) \| time=' -H 127.0.0.1 -p "$p_pre"
expect 0 '^SSH OK - ' -H 127.0.0.1 -p "$p_pre" -r 'Foo_1.2 comment here'
expect 2 '^SSH CRITICAL - Server answer: 220 mail\.msp\.test ESMTP$' 2000 -- -H 127.0.0.1 -p "$p_smtp"
expect 2 '^SSH CRITICAL - Server answer: SSH-2\.0$' 1000 -- -H 127.0.0.1 -p "$p_bad"
expect 2 '^SSH CRITICAL - No data received from host$' 1000 -- -H 127.0.0.1 -p "$p_close"
expect 2 "^SSH CRITICAL - connect to address 127\.0\.0\.1 and port $p_closed: Connection refused$" 1000 -- \
	-H 127.0.0.1 -p "$p_closed"
sleep 0.2
ok "the peer got our identification line" grep -q "SSH-2\.0-check_ssh_msp_" "$work/peer-$p_pre.log"

# ---- IPv6 (::1) ------------------------------------------------------------------------------
if python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
	p6=$(free_port)
	python3 "$peer" banner "$p6" 'SSH-2.0-Six_1.0\r\n' --host ::1 >/dev/null 2>&1 &
	pids+=($!)
	msp_wait 10 bash -c "exec 3<>/dev/tcp/::1/$p6" 2>/dev/null || fail "peer on [::1]:$p6 did not start"
	expect 0 '^SSH OK - Six_1\.0 \(protocol 2\.0\) \| time=' -H ::1 -p "$p6" -6
	expect 0 '^SSH OK - Six_1\.0 ' -H '[::1]' -p "$p6"
	expect 3 "^SSH UNKNOWN - '::1' is no IPv4 address \(-4\)$" -H ::1 -p "$p6" -4
else
	echo "skip: no ::1 in this namespace"
fi

# ---- hostile peers: each ends within -t plus 0.5 s and is never OK ---------------------------
p_silent=$(free_port) p_trickle=$(free_port) p_flood=$(free_port)
start_peer silent "$p_silent"
start_peer trickle "$p_trickle" 'SSH-2.0-OpenSSH_9.2\r\n'
start_peer flood "$p_flood" 100
timings=()
hostile() { # NAME WANT REGEX ARGS... (with -t 3: at most 3500 ms)
	local name=$1
	shift
	expect "$1" "$2" 3500 -- -t 3 "${@:3}"
	timings+=("$name: ${took} ms (exit $rc)")
}
hostile "accepts, never answers" 2 \
	"^SSH CRITICAL - timed out waiting for '127\.0\.0\.1:$p_silent' to send its identification$" \
	-H 127.0.0.1 -p "$p_silent"
hostile "accepts, never answers, -t 3:warning" 1 '^SSH WARNING - timed out waiting for ' \
	-H 127.0.0.1 -p "$p_silent" -t 3:warning
hostile "one byte per second" 2 "^SSH CRITICAL - timed out waiting for '127\.0\.0\.1:$p_trickle' " \
	-H 127.0.0.1 -p "$p_trickle"
hostile "100 MB of garbage" 2 '^SSH CRITICAL - Server answer: x{63}$' -H 127.0.0.1 -p "$p_flood"
hostile "refuses" 2 '^SSH CRITICAL - connect to address ' -H 127.0.0.1 -p "$p_closed"
if [ -z "$(ip route show default 2>/dev/null)" ]; then
	hostile "no route" 2 '^SSH CRITICAL - connect to address 10\.255\.255\.1 and port 22: Network is unreachable$' \
		-H 10.255.255.1
fi

echo "hostile cases (-t 3, limit 3500 ms):"
printf '  %s\n' "${timings[@]}"
msp_done
