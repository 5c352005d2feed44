#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_tcp and its alias names against real servers on 127.0.0.1 (and ::1) inside the private
# network namespace of tests/integration/run.sh: sshd on a high port with its own host key,
# openssl s_server with certificates made here (valid 10 and 400 days, and one that expired,
# made with faketime), scripted banner, UDP and hostile peers (tests/helpers/tcp_peer.py: a
# listener that accepts and never answers, one byte per second, 100 MB of garbage, a close at
# once), a refusal, an address with no route, and names that resolve through a private
# /etc/hosts (one with two addresses, the first a black hole) or hang in a resolver that never
# answers (a mount namespace with its own /etc/resolv.conf and /etc/hosts).  Every hostile case must end within -t plus 0.5 s and never
# be OK; the timings are printed.  Needs python3 and openssl; sshd, faketime and the mount
# namespace cases are skipped one by one when missing.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
# shellcheck source=../helpers/sshd.sh
. "$top_srcdir/tests/helpers/sshd.sh"
msp_plugin check_tcp
msp_need python3 openssl
msp_tmpdir tcp
peer=$top_srcdir/tests/helpers/tcp_peer.py
pids=()
stop_all() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
}
msp_on_exit stop_all
msp_on_exit msp_sshd_stop

# start_peer MODE PORT [ARG] [--udp|--host ::1]: a scripted peer, waited for (TCP)
start_peer() {
	python3 "$peer" "$@" --log "$work/peer-$2.log" >/dev/null 2>&1 &
	pids+=($!)
	case " $* " in
	*" --udp "*) msp_wait 10 bound -u "$2" || fail "peer $1 on udp $2 did not start" ;;
	*" --host "* | " full "*) msp_wait 10 bound -t "$2" || fail "peer $1 on $2 did not start" ;;
	*) wait_for_port "$2" || fail "peer $1 on $2 did not start" ;;
	esac
}

# bound -u|-t PORT: a UDP socket or TCP listener on PORT (any address)
bound() {
	ss -Hln "$1" "sport = :$2" 2>/dev/null | grep -q .
}

# alias NAME ARGS...: run the alias name (a link to check_tcp in PLUGINDIR)
alias_run() {
	local name=$1 want=$2 re=$3
	shift 3
	expect_cmd "$want" "$re" -- "$PLUGINDIR/$name" "$@"
}

# ---- banners, expect strings, send and quit -------------------------------------------------
p_banner=$(free_port)
start_peer banner "$p_banner" '220 msp.test ESMTP ready\r\n'
expect 0 '^TCP OK - [0-9]\.[0-9]{3} second response time on 127\.0\.0\.1 port [0-9]+\|time=[0-9]+\.[0-9]{6}s;;;0\.000000;10\.000000$' \
	-H 127.0.0.1 -p "$p_banner"
expect 0 '^TCP OK - .* port [0-9]+ \[220 msp\.test ESMTP ready\]\|time=' -H 127.0.0.1 -p "$p_banner" -e ESMTP
expect 0 '^TCP OK - .* port [0-9]+\|time=[0-9.]+s;1\.000000;2\.000000;0\.000000;5\.000000$' \
	-H 127.0.0.1 -p "$p_banner" -e 220 -j -w 1 -c 2 -t 5
expect 1 '^TCP WARNING - Unexpected response from host/socket: 220 msp\.test ESMTP ready\|' 3500 -- \
	-H 127.0.0.1 -p "$p_banner" -e IMAP
expect 2 '^TCP CRITICAL - Unexpected response ' 3500 -- -H 127.0.0.1 -p "$p_banner" -e 220 -e IMAP -A -M crit
expect 1 '^TCP WARNING - [0-9.]+ second response time' -H 127.0.0.1 -p "$p_banner" -e 220 -w 0
: >"$work/peer-$p_banner.log"
expect 0 '^TCP OK - ' -H 127.0.0.1 -p "$p_banner" -s 'EHLO x' -E -q 'QUIT\r\n' -e 220
sleep 0.3
ok "the send and quit strings reach the server" grep -qF "b'EHLO xQUIT\\r\\n'" "$work/peer-$p_banner.log"

# ---- refusal, no route, IPv6 ----------------------------------------------------------------
p_closed=$(free_port)
expect 2 "^TCP CRITICAL - connect to address 127\.0\.0\.1 and port $p_closed: Connection refused$" 1000 -- \
	-H 127.0.0.1 -p "$p_closed"
expect 0 '^TCP OK - connect to address .*: Connection refused$' -H 127.0.0.1 -p "$p_closed" -r ok
expect 1 '^TCP WARNING - ' -H 127.0.0.1 -p "$p_closed" -r warn
if [ -z "$(ip route show default 2>/dev/null)" ] && [ -z "$(ip -6 route show default 2>/dev/null)" ]; then
	# nothing leaves this namespace: 10.255.255.1 has no route here and is unreachable at once
	expect 2 '^TCP CRITICAL - connect to address 10\.255\.255\.1 and port 22: Network is unreachable$' 3500 -- \
		-H 10.255.255.1 -p 22 -t 3
else
	echo "skip: this namespace has a default route (not run by tests/integration/run.sh?): no unreachable case"
fi
if python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
	p6=$(free_port)
	start_peer banner "$p6" 'hello over six\r\n' --host ::1
	expect 0 "^TCP OK - .* on ::1 port $p6 \[hello over six\]" -H ::1 -p "$p6" -6 -e six
	expect 0 "^TCP OK - " -H '[::1]' -p "$p6" -e six
	expect 2 '^TCP CRITICAL - cannot resolve ' -H ::1 -p "$p6" -4
else
	echo "skip: no ::1 in this namespace"
fi

# ---- hostile peers: each ends within -t plus 0.5 s and is never OK ---------------------------
p_silent=$(free_port) p_trickle=$(free_port) p_flood=$(free_port) p_close=$(free_port)
start_peer silent "$p_silent"
start_peer trickle "$p_trickle" 'abcdefghijklmnopqrstuvwxyz'
start_peer flood "$p_flood" 100
start_peer close "$p_close"
p_hole=$(free_port)
start_peer full "$p_hole"
hostile() { # NAME WANT REGEX ARGS... (with -t 3: at most 3500 ms)
	local name=$1
	shift
	expect "$1" "$2" 3500 -- -t 3 "${@:3}"
	timings+=("$name: ${took} ms (exit $rc)")
}
timings=()
hostile "accepts, never answers" 2 "^TCP CRITICAL - timed out waiting for '127\.0\.0\.1:$p_silent' to answer$" \
	-H 127.0.0.1 -p "$p_silent" -e 220
hostile "accepts, never answers, -t 3:warning" 1 '^TCP WARNING - timed out waiting for ' \
	-H 127.0.0.1 -p "$p_silent" -e 220 -t 3:warning
hostile "one byte per second" 2 "^TCP CRITICAL - timed out waiting for '127\.0\.0\.1:$p_trickle' to answer$" \
	-H 127.0.0.1 -p "$p_trickle" -e 'xyz'
hostile "100 MB of garbage" 1 '^TCP WARNING - Unexpected response from host/socket: x{512}\.\.\.\|' \
	-H 127.0.0.1 -p "$p_flood" -e 220
hostile "100 MB of garbage, -m 1000" 1 '^TCP WARNING - Unexpected response ' -H 127.0.0.1 -p "$p_flood" -e 220 -m 1000
hostile "connect to a black hole (SYNs dropped)" 2 "^TCP CRITICAL - timed out connecting to '127\.0\.0\.1:$p_hole'$" \
	-H 127.0.0.1 -p "$p_hole" -e 220
hostile "closes at once" 2 '^TCP CRITICAL - No data received from host$' -H 127.0.0.1 -p "$p_close" -e 220
hostile "refuses" 2 '^TCP CRITICAL - connect to address ' -H 127.0.0.1 -p "$p_closed" -e 220
hostile "TLS handshake that never answers" 2 "^TCP CRITICAL - timed out in the TLS handshake with '127\.0\.0\.1:$p_silent'$" \
	-H 127.0.0.1 -p "$p_silent" -S
hostile "TLS to plain text" 2 "^TCP CRITICAL - TLS handshake with '127\.0\.0\.1:$p_banner' failed: " \
	-H 127.0.0.1 -p "$p_banner" -S

# ---- TLS and certificate days (openssl s_server, certificates made here) --------------------
(
	cd "$work" || exit 1
	# made 12 hours ago (when faketime is there): 9.5 days left, far from a day boundary
	ago=()
	! command -v faketime >/dev/null || ago=(faketime -f -12h)
	"${ago[@]}" openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c10.pem -days 10 -subj /CN=tls.msp.test \
		-addext 'subjectAltName=DNS:tls.msp.test,IP:127.0.0.1' >/dev/null 2>&1
	openssl req -x509 -key k.pem -out c400.pem -days 400 -subj /CN=tls.msp.test \
		-addext 'subjectAltName=DNS:tls.msp.test' >/dev/null 2>&1
	if command -v faketime >/dev/null; then
		faketime -f -40d openssl req -x509 -key k.pem -out cold.pem -days 30 -subj /CN=old.msp.test >/dev/null 2>&1
	fi
) || fail "cannot make the test certificates"
s_server() { # PORT CERT: openssl s_server with that certificate
	openssl s_server -quiet -accept "$1" -cert "$work/$2" -key "$work/k.pem" </dev/null >/dev/null 2>&1 &
	pids+=($!)
	wait_for_port "$1" || fail "s_server on $1 did not start"
}
p_t10=$(free_port) p_t400=$(free_port)
s_server "$p_t10" c10.pem
s_server "$p_t400" c400.pem
expect 0 "^TCP OK - [0-9.]+ second response time on 127\.0\.0\.1 port $p_t10\|time=" -H 127.0.0.1 -p "$p_t10" -S
expect 0 "(?s)^TCP OK - [0-9.]+ second response time on 127\.0\.0\.1 port $p_t10\|time=[^\n]*\nOK - Certificate 'tls\.msp\.test' will expire on [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [0-9]{4} [-+][0-9]{4}\.\n$" \
	-H 127.0.0.1 -p "$p_t10" -D 5
expect 1 "^TCP WARNING - Certificate 'tls\.msp\.test' expires in 9 day\(s\) \(.*\)\.$" -H 127.0.0.1 -p "$p_t10" -D 20
expect 2 "^TCP CRITICAL - Certificate 'tls\.msp\.test' expires in 9 day\(s\) " -H 127.0.0.1 -p "$p_t10" -D 20,10
expect 2 "^TCP CRITICAL - Certificate 'tls\.msp\.test' expires in 9 day\(s\) " -H 127.0.0.1 -p "$p_t10" -D 20,9
expect 1 "^TCP WARNING - Certificate 'tls\.msp\.test' expires in 9 day\(s\) " -H 127.0.0.1 -p "$p_t10" -D 20,8
expect 0 '^TCP OK - ' -H 127.0.0.1 -p "$p_t400" -D 30,14
expect 2 "^TCP CRITICAL - certificate of '127\.0\.0\.1:$p_t10' is not trusted: self-signed certificate$" \
	-H 127.0.0.1 -p "$p_t10" -S --verify
expect 0 '^TCP OK - ' -H 127.0.0.1 -p "$p_t10" -S --ca-file "$work/c10.pem"
expect 2 "^TCP CRITICAL - certificate of '127\.0\.0\.1:$p_t400' is not trusted: IP address mismatch$" \
	-H 127.0.0.1 -p "$p_t400" --ca-file "$work/c400.pem"
if [ -f "$work/cold.pem" ]; then
	p_old=$(free_port)
	s_server "$p_old" cold.pem
	expect 2 "^TCP CRITICAL - Certificate 'old\.msp\.test' expired on " -H 127.0.0.1 -p "$p_old" -D 30
else
	echo "skip: faketime is not installed: no expired certificate"
fi

# ---- the alias names ------------------------------------------------------------------------
p_imaps=$(free_port) p_pop=$(free_port) p_nntp=$(free_port) p_clamd=$(free_port) p_udp=$(free_port)
p_jab=$(free_port)
start_peer banner "$p_imaps" '* OK IMAP4rev1 ready\r\n' --tls "$work/c10.pem" "$work/k.pem"
start_peer banner "$p_pop" '+OK POP3 ready\r\n'
start_peer banner "$p_nntp" '201 news ready, no posting\r\n'
start_peer reply "$p_clamd" 'PONG\n'
start_peer reply "$p_jab" "<?xml version='1.0'?><stream:stream>"
start_peer reply "$p_udp" 'PONG\n' --udp
alias_run check_ftp 0 "^FTP OK - .* port $p_banner \[220 msp\.test ESMTP ready\]\|" -H 127.0.0.1 -p "$p_banner"
alias_run check_pop 0 "^POP OK - .* \[\+OK POP3 ready\]\|" -H 127.0.0.1 -p "$p_pop"
alias_run check_ftp 1 '^FTP WARNING - Unexpected response from host/socket: \+OK POP3 ready\|' -H 127.0.0.1 -p "$p_pop"
alias_run check_imap 1 '^IMAP WARNING - Unexpected response ' -H 127.0.0.1 -p "$p_pop"
alias_run check_simap 0 "^SIMAP OK - .* \[\* OK IMAP4rev1 ready\]\|" -H 127.0.0.1 -p "$p_imaps"
alias_run check_spop 1 '^SPOP WARNING - Unexpected response ' -H 127.0.0.1 -p "$p_imaps"
alias_run check_ssmtp 2 '^SSMTP CRITICAL - TLS handshake with ' -H 127.0.0.1 -p "$p_banner"
alias_run check_nntp 0 '^NNTP OK - .* \[201 news ready, no posting\]\|' -H 127.0.0.1 -p "$p_nntp"
alias_run check_nntps 2 '^NNTPS CRITICAL - ' -H 127.0.0.1 -p "$p_nntp"
alias_run check_clamd 0 '^CLAMD OK - .* \[PONG\]\|' -H 127.0.0.1 -p "$p_clamd"
alias_run check_jabber 0 "^JABBER OK - [0-9.]+ second response time on 127\.0\.0\.1 port $p_jab\|" -H 127.0.0.1 -p "$p_jab"
alias_run check_udp 0 '^UDP OK - .* \[PONG\]\|' -H 127.0.0.1 -p "$p_udp" -s PING -e PONG
alias_run check_udp 2 '^UDP CRITICAL - No data received from host$' -H 127.0.0.1 -p "$p_closed" -s PING -e PONG
alias_run check_udp 3 '^UDP UNKNOWN - with UDP checks, give a send ' -H 127.0.0.1 -p "$p_udp"
sleep 0.3
ok "check_clamd sends PING" grep -qF "b'PING'" "$work/peer-$p_clamd.log"
ok "check_jabber opens and closes a stream" grep -qF "</stream:stream>" "$work/peer-$p_jab.log"

# ---- sshd on a high port with its own host key ----------------------------------------------
if msp_sshd_usable; then
	p_ssh=$(free_port)
	if msp_sshd_start "$work" "$p_ssh"; then
		expect 0 "^TCP OK - [0-9.]+ second response time on 127\.0\.0\.1 port $p_ssh \[SSH-2\.0-OpenSSH_[^]]+\]\|time=" \
			-H 127.0.0.1 -p "$p_ssh" -e SSH
		expect 1 '^TCP WARNING - Unexpected response from host/socket: SSH-2\.0-OpenSSH' 3500 -- \
			-H 127.0.0.1 -p "$p_ssh" -e 220
	else
		fail "sshd did not start: $(head -n 3 "$work/sshd.log")"
	fi
else
	echo "skip: sshd (openssh-server) or ssh-keygen is not installed or not root"
fi

# ---- names: a private /etc/hosts, a resolver that never answers, one that refuses ----------
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	# two.msp.test: 127.0.0.1 first (a black hole: SYNs dropped), then 127.0.0.2 (a banner)
	printf '127.0.0.1 svc.msp.test\n127.0.0.2 two.msp.test\n127.0.0.1 two.msp.test\n' >"$work/hosts"
	printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:1\n' >"$work/resolv.conf"
	# $in_ns ARGS...: the plugin in a mount namespace with the private hosts and resolv.conf
	in_ns=$work/in_ns
	printf '#!/bin/sh\nexec unshare -m sh -c %s sh "$@"\n' \
		"'mount --bind $work/hosts /etc/hosts && mount --bind $work/resolv.conf /etc/resolv.conf && exec $plugin \"\$@\"'" \
		>"$in_ns"
	chmod +x "$in_ns"
	expect_cmd 0 "^TCP OK - .* on svc\.msp\.test port $p_banner \[220 " -- "$in_ns" -H svc.msp.test -p "$p_banner" -e 220
	# every address gets its share of the time: the black hole half of 3.5 s, then the banner
	p_two=$p_hole
	start_peer banner "$p_two" '220 second address\r\n' --host 127.0.0.2
	expect_cmd 0 "^TCP OK - 1\.[6-9][0-9]{2} second response time on two\.msp\.test port $p_two \[220 second address\]" \
		3000 -- "$in_ns" -H two.msp.test -p "$p_two" -e 220 -t 4
	timings+=("first address a black hole, the second answers (-t 4): ${took} ms (exit $rc)")
	# nothing on 127.0.0.1:53 yet: the resolver is refused at once
	expect_cmd 2 "^TCP CRITICAL - cannot resolve 'nosuch\.msp\.test': " 3500 -- "$in_ns" -H nosuch.msp.test -p 22 -t 3
	start_peer silent 53 --udp
	expect_cmd 2 "^TCP CRITICAL - name lookup of 'hang\.msp\.test' timed out$" 3500 -- "$in_ns" -H hang.msp.test -p 22 -t 3
	timings+=("name lookup that never answers: ${took} ms (exit $rc)")
	expect_cmd 1 "^TCP WARNING - name lookup of 'hang\.msp\.test' timed out$" 3500 -- \
		"$in_ns" -H hang.msp.test -p 22 -t 3:warning
else
	echo "skip: no mount namespace (needs root): no private /etc/hosts or resolver cases"
fi

echo "hostile cases (-t 3, limit 3500 ms):"
printf '  %s\n' "${timings[@]}"
msp_done
