#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_smtp against scripted SMTP servers (tests/helpers/smtp_peer.py) on 127.0.0.1 inside the
# private network namespace of tests/integration/run.sh: banner, EHLO advertising STARTTLS and
# AUTH, STARTTLS with test certificates made here (one expiring in 10 days, one in 400, one that
# expired, made with faketime when installed), implicit TLS, AUTH LOGIN/PLAIN checking a password
# (also from a file), -C/-R, servers that answer 421 or 554, send garbage or mishandle QUIT, and
# the hostile ones (tests/helpers/tcp_peer.py: accepts and never answers, one byte per second,
# 100 MB of garbage, closes at once, a refusal): each of those must end within -t plus 0.5 s and
# never be OK; the timings are printed.  Needs python3 and openssl.
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
msp_plugin check_smtp
msp_need python3 openssl
msp_tmpdir smtp
smtp=$top_srcdir/tests/helpers/smtp_peer.py
tcp=$top_srcdir/tests/helpers/tcp_peer.py
pids=()
stop_all() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
}
msp_on_exit stop_all

# serve SCRIPT MODE PORT [ARGS...]: a scripted server on 127.0.0.1:PORT, waited for
serve() {
	local script=$1
	shift
	python3 "$script" "$@" >/dev/null 2>&1 &
	pids+=($!)
	wait_for_port "$2" || fail "server $1 on $2 did not start"
}

(
	cd "$work" || exit 1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c10.pem -days 10 -subj /CN=mail.msp.test \
		-addext 'subjectAltName=DNS:mail.msp.test,IP:127.0.0.1' >/dev/null 2>&1 &&
		openssl req -x509 -key k.pem -out c400.pem -days 400 -subj /CN=mail.msp.test >/dev/null 2>&1 || exit 1
	if command -v faketime >/dev/null; then
		faketime -f -40d openssl req -x509 -key k.pem -out cold.pem -days 30 -subj /CN=old.msp.test >/dev/null 2>&1
	fi
	printf 's3cret\n' >pw
	printf 'wrong\n' >badpw
) || fail "cannot make the test certificates"

p_ok=$(free_port) p_400=$(free_port) p_tls=$(free_port) p_421=$(free_port) p_554=$(free_port)
p_qfail=$(free_port) p_qclose=$(free_port) p_multi=$(free_port) p_garb=$(free_port) p_noehlo=$(free_port)
serve "$smtp" ok "$p_ok" --tls "$work/c10.pem" "$work/k.pem" --log "$work/ok.log"
serve "$smtp" ok "$p_400" --tls "$work/c400.pem" "$work/k.pem"
serve "$smtp" ok "$p_tls" --tls "$work/c10.pem" "$work/k.pem" --implicit
serve "$smtp" banner421 "$p_421"
serve "$smtp" banner554 "$p_554"
serve "$smtp" quitfail "$p_qfail"
serve "$smtp" quitclose "$p_qclose"
serve "$smtp" multiline "$p_multi"
serve "$smtp" garbage "$p_garb"
serve "$smtp" noehlo "$p_noehlo" --tls "$work/c10.pem" "$work/k.pem"
time_re='[0-9]\.[0-9]{3} sec\. response time\|time=[0-9]+\.[0-9]{6}s'

# ---- banner, greeting, expect, commands -----------------------------------------------------
expect 0 "^SMTP OK - $time_re;;;0\.000000$" -H 127.0.0.1 -p "$p_ok"
expect 0 "^SMTP OK - $time_re;;;0\.000000$" 127.0.0.1 -p "$p_ok"
expect 0 '^SMTP OK - ' -H 127.0.0.1 -p "$p_ok" -e ESMTP -F me.msp.test -f monitor@msp.test
expect 1 "^SMTP WARNING - Invalid SMTP response received from host on port $p_ok: 220 mail\.msp\.test ESMTP ready$" \
	-H 127.0.0.1 -p "$p_ok" -e IMAP
expect 0 '^SMTP OK - ' -H 127.0.0.1 -p "$p_multi" -e 'second line'
expect 0 '^SMTP OK - ' -H 127.0.0.1 -p "$p_ok" -C 'MAIL FROM:<a@msp.test>' -R '^250' -C 'RCPT TO:<b@msp.test>' -R '^250'
expect 1 "^SMTP WARNING - Invalid response '252 2\.0\.0 cannot verify, will accept' to command 'VRFY x', $time_re" \
	-H 127.0.0.1 -p "$p_ok" -C NOOP -R 250 -C 'VRFY x' -R '^250'
expect 1 "^SMTP WARNING - $time_re;0\.000000;5\.000000;0\.000000$" -H 127.0.0.1 -p "$p_ok" -w 0 -c 5
expect 2 "^SMTP CRITICAL - $time_re;;0\.000000;0\.000000$" -H 127.0.0.1 -p "$p_ok" -c 0
expect 0 '^SMTP OK - ' -H 127.0.0.1 -p "$p_ok" -L
expect 0 '^SMTP OK - ' -H localhost -p "$p_ok" -4
: >"$work/ok.log"
expect 0 '^SMTP OK - ' -H 127.0.0.1 -p "$p_ok" -F me.msp.test -f a@msp.test -C NOOP -C RSET
sleep 0.2
ok "HELO, MAIL FROM, the commands in order, QUIT" \
	[ "$(tr -d "'" <"$work/ok.log" | tr '\n' ' ')" = "HELO me.msp.test MAIL FROM:<a@msp.test> NOOP RSET QUIT " ]

# ---- STARTTLS, certificate days, implicit TLS -----------------------------------------------
expect 0 '^SMTP OK - ' -H 127.0.0.1 -p "$p_ok" -S
expect 0 "^SMTP OK - Certificate 'mail\.msp\.test' will expire on [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [0-9]{4} [-+][0-9]{4}\.$" \
	-H 127.0.0.1 -p "$p_ok" -D 5
expect 1 "^SMTP WARNING - Certificate 'mail\.msp\.test' expires in 9 day\(s\) \(.*\)\.$" -H 127.0.0.1 -p "$p_ok" -D 20
expect 2 "^SMTP CRITICAL - Certificate 'mail\.msp\.test' expires in 9 day\(s\) " -H 127.0.0.1 -p "$p_ok" -D 20,10
expect 0 "^SMTP OK - Certificate 'mail\.msp\.test' will expire on " -H 127.0.0.1 -p "$p_400" -D 30,14
expect 1 '^SMTP WARNING - TLS not supported by server$' -H 127.0.0.1 -p "$p_noehlo" -S
expect 0 '^SMTP OK - ' -H 127.0.0.1 -p "$p_tls" --ssl
expect 1 "^SMTP WARNING - Certificate 'mail\.msp\.test' expires in 9 day\(s\) " -H 127.0.0.1 -p "$p_tls" --tls -D 20
if [ -f "$work/cold.pem" ]; then
	p_old=$(free_port)
	serve "$smtp" ok "$p_old" --tls "$work/cold.pem" "$work/k.pem"
	expect 2 "^SMTP CRITICAL - Certificate 'old\.msp\.test' expired on " -H 127.0.0.1 -p "$p_old" -D 30
else
	echo "skip: faketime is not installed: no expired certificate"
fi

# ---- AUTH -----------------------------------------------------------------------------------
: >"$work/ok.log"
expect 0 '^SMTP OK - ' -H 127.0.0.1 -p "$p_ok" -S -A LOGIN -U monitor -P s3cret
expect 2 "^SMTP CRITICAL - invalid response received after authpass, $time_re" -H 127.0.0.1 -p "$p_ok" -A LOGIN -U monitor -P wrong
expect 0 '^SMTP OK - ' -H 127.0.0.1 -p "$p_ok" -A PLAIN -U monitor --password-file "$work/pw"
expect 2 '^SMTP CRITICAL - invalid response received after AUTH PLAIN, ' -H 127.0.0.1 -p "$p_ok" -A PLAIN -U monitor \
	--password-file "$work/badpw"
MSP_STDERR_OK=1 expect 0 '^SMTP OK - ' -H 127.0.0.1 -p "$p_ok" -A LOGIN -U monitor --password-file "$work/pw" -v
refute_output 's3cret|czNjcmV0'
ok "-v writes no secret to stderr" bash -c "! printf '%s' \"\$1\" | grep -q 's3cret\|czNjcmV0'" sh "$err"
ok "-v shows the dialogue on stderr, the password as ***" bash -c "printf '%s' \"\$1\" | grep -q '^> \*\*\*\$'" sh "$err"

# ---- servers that refuse, mishandle QUIT or send garbage -------------------------------------
expect 2 '^SMTP CRITICAL - 421 4\.3\.2 mail\.msp\.test service not available$' 1000 -- -H 127.0.0.1 -p "$p_421"
expect 2 '^SMTP CRITICAL - 554 5\.3\.2 mail\.msp\.test no SMTP service here$' 2000 -- -H 127.0.0.1 -p "$p_554"
expect 1 "^SMTP WARNING - Invalid SMTP response received from host on port $p_garb: \?\?\? garbage \?\[2J \?\?\? more$" \
	1000 -- -H 127.0.0.1 -p "$p_garb"
expect 0 '^SMTP OK - ' 2000 -- -H 127.0.0.1 -p "$p_qfail"
expect 0 '^SMTP OK - ' -H 127.0.0.1 -p "$p_qclose"
expect 0 '^SMTP OK - ' -H 127.0.0.1 -p "$p_qclose" -q true

# ---- IPv6 (::1) ------------------------------------------------------------------------------
if python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
	p6=$(free_port)
	python3 "$smtp" ok "$p6" --host ::1 >/dev/null 2>&1 &
	pids+=($!)
	msp_wait 10 bash -c "exec 3<>/dev/tcp/::1/$p6" 2>/dev/null || fail "server on [::1]:$p6 did not start"
	expect 0 "^SMTP OK - $time_re;;;0\.000000$" -H ::1 -p "$p6" -6
	expect 0 '^SMTP OK - ' -H '[::1]' -p "$p6" -A PLAIN -U monitor -P s3cret
	expect 3 "^SMTP UNKNOWN - '::1' is no IPv4 address \(-4\)$" -H ::1 -p "$p6" -4
else
	echo "skip: no ::1 in this namespace"
fi

# ---- the reference beside ours, line 1 with the numbers masked ------------------------------
ref=/usr/lib/nagios/plugins/check_smtp
mask() { printf '%s\n' "$1" | sed -E 's/[0-9]+/N/g'; }
if [ -x "$ref" ]; then
	for args in "-H 127.0.0.1 -p $p_ok" "-H 127.0.0.1 -p $p_ok -w 0 -c 5" "-H 127.0.0.1 -p $p_ok -S -A LOGIN -U monitor -P s3cret" \
		"-H 127.0.0.1 -p $p_ok -D 20" "-H 127.0.0.1 -p $p_400 -D 30,14" "-H 127.0.0.1 -p $p_ok -A LOGIN -U monitor -P wrong"; do
		# shellcheck disable=SC2086 # the words of $args
		msp_run "$ref" $args
		r_rc=$rc r_line=$line
		# shellcheck disable=SC2086
		msp_run "$plugin" $args
		r_line=${r_line#OK - } r_line=${r_line#WARNING - } r_line=${r_line#CRITICAL - }
		o_line=${line#SMTP OK - } o_line=${o_line#SMTP WARNING - } o_line=${o_line#SMTP CRITICAL - }
		r_line=${r_line#SMTP OK - } r_line=${r_line#SMTP WARNING - } r_line=${r_line#SMTP CRITICAL - }
		ok "as the reference (rc $r_rc): $args" [ "$rc" = "$r_rc" ] && [ "$(mask "$o_line")" = "$(mask "$r_line")" ]
	done
fi

# ---- hostile peers: each ends within -t plus 0.5 s and is never OK ---------------------------
p_silent=$(free_port) p_trickle=$(free_port) p_flood=$(free_port) p_close=$(free_port) p_closed=$(free_port)
serve "$tcp" silent "$p_silent"
serve "$tcp" trickle "$p_trickle" '220 mail.msp.test ESMTP ready\r\n'
serve "$tcp" flood "$p_flood" 100
serve "$tcp" close "$p_close"
timings=()
hostile() { # NAME WANT REGEX ARGS... (with -t 3: at most 3500 ms)
	local name=$1
	shift
	expect "$1" "$2" 3500 -- -t 3 "${@:3}"
	timings+=("$name: ${took} ms (exit $rc)")
}
hostile "accepts, never answers" 2 "^SMTP CRITICAL - timed out waiting for '127\.0\.0\.1:$p_silent' to send its banner$" \
	-H 127.0.0.1 -p "$p_silent"
hostile "accepts, never answers, -t 3:warning" 1 '^SMTP WARNING - timed out waiting for ' \
	-H 127.0.0.1 -p "$p_silent" -t 3:warning
hostile "one byte per second" 2 "^SMTP CRITICAL - timed out waiting for '127\.0\.0\.1:$p_trickle' to send its banner$" \
	-H 127.0.0.1 -p "$p_trickle"
hostile "100 MB of garbage" 1 '^SMTP WARNING - Invalid SMTP response received from host on port [0-9]+: x{100}' \
	-H 127.0.0.1 -p "$p_flood"
hostile "closes at once" 2 '^SMTP CRITICAL - No data received from host$' -H 127.0.0.1 -p "$p_close"
hostile "refuses" 2 "^SMTP CRITICAL - connect to address 127\.0\.0\.1 and port $p_closed: Connection refused$" \
	-H 127.0.0.1 -p "$p_closed"
hostile "answers 421" 2 '^SMTP CRITICAL - 421 ' -H 127.0.0.1 -p "$p_421"
hostile "answers 554" 2 '^SMTP CRITICAL - 554 ' -H 127.0.0.1 -p "$p_554"
hostile "sends garbage" 1 '^SMTP WARNING - Invalid SMTP response ' -H 127.0.0.1 -p "$p_garb"
hostile "STARTTLS to a server that never answers" 2 "^SMTP CRITICAL - timed out waiting for '127\.0\.0\.1:$p_silent' " \
	-H 127.0.0.1 -p "$p_silent" -S
hostile "TLS handshake that never answers (--ssl)" 2 "^SMTP CRITICAL - timed out in the TLS handshake with '127\.0\.0\.1:$p_silent'$" \
	-H 127.0.0.1 -p "$p_silent" --ssl
hostile "TLS to plain text (--ssl)" 2 "^SMTP CRITICAL - TLS handshake with '127\.0\.0\.1:$p_ok' failed: " \
	-H 127.0.0.1 -p "$p_ok" --ssl
if [ -z "$(ip route show default 2>/dev/null)" ]; then
	hostile "no route" 2 '^SMTP CRITICAL - connect to address 10\.255\.255\.1 and port 25: Network is unreachable$' -H 10.255.255.1
fi

echo "hostile cases (-t 3, limit 3500 ms):"
printf '  %s\n' "${timings[@]}"
msp_done
