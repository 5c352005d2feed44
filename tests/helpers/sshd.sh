# SPDX-License-Identifier: GPL-3.0-or-later
# tests/helpers/sshd.sh - a real OpenSSH server (Debian openssh-server) for the network tests,
# on 127.0.0.1 inside the private network namespace of tests/integration/run.sh (or for
# tests/diff setups, on 127.0.0.1 only).  Source it, then
#
#     msp_sshd_start DIR PORT     generates a host key in DIR, writes DIR/sshd_config (the port,
#                                 ListenAddress 127.0.0.1, that key, no PAM, no pid file, no
#                                 logins), starts "sshd -D -f DIR/sshd_config -e" in the
#                                 background with its log in DIR/sshd.log, sets msp_sshd_pid and
#                                 waits until it accepts (10 s); false when it did not start
#                                 (with MSP_SSHD_LIFETIME=SECONDS set, under timeout(1): a server
#                                 a setup script leaves behind ends by itself)
#     msp_sshd_stop               stops it (safe when it never started)
#     msp_sshd_usable             true when /usr/sbin/sshd and ssh-keygen are there and we are
#                                 root (sshd needs root for its privilege separation directory)
# shellcheck shell=bash

msp_sshd_pid=

msp_sshd_usable() {
	[ -x /usr/sbin/sshd ] && command -v ssh-keygen >/dev/null && [ "$(id -u)" -eq 0 ]
}

# msp_sshd_wait PORT: true once something accepts on 127.0.0.1:PORT (10 s)
msp_sshd_wait() {
	local i
	for ((i = 0; i < 100; i++)); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
		sleep 0.1
	done
	return 1
}

msp_sshd_start() {
	local dir=$1 port=$2
	rm -f "$dir/ssh_host_ed25519_key" "$dir/ssh_host_ed25519_key.pub"
	ssh-keygen -q -t ed25519 -N '' -C msp-test -f "$dir/ssh_host_ed25519_key" >/dev/null || return 1
	cat >"$dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/ssh_host_ed25519_key
PidFile none
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication no
AllowUsers nobody-msp-test
LogLevel ERROR
CONF
	mkdir -p /run/sshd
	${MSP_SSHD_LIFETIME:+timeout "$MSP_SSHD_LIFETIME"} /usr/sbin/sshd -D -e -f "$dir/sshd_config" >"$dir/sshd.log" 2>&1 &
	msp_sshd_pid=$!
	msp_sshd_wait "$port"
}

msp_sshd_stop() {
	[ -n "$msp_sshd_pid" ] || return 0
	kill "$msp_sshd_pid" 2>/dev/null
	wait "$msp_sshd_pid" 2>/dev/null
	msp_sshd_pid=
}
