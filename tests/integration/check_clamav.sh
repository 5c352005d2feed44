#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_clamav against real ClamAV databases built here with sigtool (build times chosen
# with faketime), a real clamd on a unix socket in a temporary directory, and misbehaving
# peers (tests/helpers/check_clamav_peer.py): fresh, stale, missing, truncated and garbage
# databases, clamd up, down and refusing, clamd still running an older daily than the one on
# disk, EICAR detected and not detected, peers that never answer, answer garbage or a huge
# line - each must end within -t and never say OK.
#
# clamd is started twice (once with a database that detects EICAR, once with one that does
# not) and always stopped (on exit).  The EICAR string is assembled here at run time, never
# stored in the repository.  Needs sigtool, clamd, faketime and python3 (Debian: clamav,
# clamav-daemon, faketime, python3); skips (77) without.  Checks run through
# tests/helpers/integration.sh (expect RC REGEX MAXMS -- ARGS).
set -u
# shellcheck source=../helpers/integration.sh
. "${top_srcdir:?}/tests/helpers/integration.sh"
msp_plugin check_clamav
msp_need sigtool clamd faketime python3
msp_tmpdir clamav
peer_py=$top_srcdir/tests/helpers/check_clamav_peer.py
clamd_pid=
peer_pid=

stop_clamd() {
	if [ -n "$clamd_pid" ]; then
		kill "$clamd_pid" 2>/dev/null
		wait "$clamd_pid" 2>/dev/null
		clamd_pid=
	fi
}
stop_peer() {
	if [ -n "$peer_pid" ]; then
		kill "$peer_pid" 2>/dev/null
		wait "$peer_pid" 2>/dev/null
		peer_pid=
	fi
}
msp_on_exit stop_clamd
msp_on_exit stop_peer

# The EICAR test string, turned around at run time (see the top of this file).
eicar() {
	python3 -c 'import sys; sys.stdout.write("*H+H$!ELIF-TSET-SURIVITNA-DRADNATS-RACIE$}7)CC7)^P(45XZP\\4[PA@%P!O5X"[::-1])'
}

# build NAME VERSION AGE OUT SIGFILE...: a sigtool container NAME.cud with that version, built
# AGE ago (a date -d phrase), copied to OUT.
# Each AGE keeps minutes of margin from a unit boundary (65 minutes, not 1 hour), so the
# summary's leading unit cannot depend on the second in which sigtool and the plugin ran.
build() {
	local name=$1 version=$2 age=$3 out=$4 dir when
	shift 4
	dir=$(mktemp -d "$work/build.XXXXXX")
	echo "msp-plugins test database" >"$dir/COPYING"
	cat "$@" >"$dir/$name.hdb"
	when=$(TZ=UTC date -d "$age" '+%Y-%m-%d %H:%M:%S')
	if ! (cd "$dir" && echo msp-test | TZ=UTC faketime "$when" sigtool --build="$name.cud" --unsigned \
		--cvd-version="$version" --no-cdiff --datadir="$dir" >"$dir/sigtool.out" 2>&1); then
		echo "FAIL: sigtool could not build $name $version:"
		cat "$dir/sigtool.out"
		exit 1
	fi
	cp "$dir/$name.cud" "$out"
}

# ------------------------------------------------------------ databases
printf 'msp-plugins check_clamav sample\n' >"$work/sample.txt"
sigtool --md5 "$work/sample.txt" | sed 's/:[^:]*$/:Msp.Test.Sample/' >"$work/sample.hdb"
eicar >"$work/eicar.bin"
sigtool --md5 "$work/eicar.bin" | sed 's/:[^:]*$/:Msp.Test.Eicar/' >"$work/eicar.hdb"
rm -f "$work/eicar.bin"

mkdir -p "$work/fresh" "$work/stale3d" "$work/stale5d" "$work/empty" "$work/noeicar" "$work/next"
build main 62 '200 days ago' "$work/fresh/main.cud" "$work/sample.hdb"
build daily 27490 '65 minutes ago' "$work/fresh/daily.cud" "$work/sample.hdb" "$work/eicar.hdb"
build daily 27500 '12 minutes ago' "$work/next/daily.cud" "$work/sample.hdb" "$work/eicar.hdb"
build daily 27400 '3 days ago 20 minutes ago' "$work/stale3d/daily.cvd" "$work/sample.hdb"
build daily 27300 '5 days ago 20 minutes ago' "$work/stale5d/daily.cld" "$work/sample.hdb"
cp "$work/fresh/main.cud" "$work/noeicar/main.cud"
build daily 27490 '65 minutes ago' "$work/noeicar/daily.cud" "$work/sample.hdb"
for d in truncated zeros random header_only body_cut garbage_body; do
	mkdir -p "$work/$d"
	cp "$work/fresh/main.cud" "$work/$d/main.cvd"
done
head -c 300 "$work/fresh/daily.cud" >"$work/truncated/daily.cvd"
head -c 4096 /dev/zero >"$work/zeros/daily.cvd"
head -c 4096 /dev/urandom >"$work/random/daily.cld"
# A good header is not a database: header only, cut short, or followed by garbage.
head -c 512 "$work/fresh/daily.cud" >"$work/header_only/daily.cvd"
head -c -40 "$work/fresh/daily.cud" >"$work/body_cut/daily.cud"
{ head -c 512 "$work/fresh/daily.cud"; head -c 4096 /dev/urandom; } >"$work/garbage_body/daily.cld"

db="--databases daily,main"
expect 0 '^CLAMAV OK - daily 27490 built 1h( [0-9]+m)? ago \| daily_age=3[6-9][0-9][0-9]s;172800;345600;0 daily_version=27490;;;0 signatures=3;;;0$' 5000 -- --db-dir "$work/fresh" $db
expect 1 '^CLAMAV WARNING - daily 27400 built (3d( [0-9]+h)?|2d 23h) ago \| daily_age=' 5000 -- --db-dir "$work/stale3d" --databases daily
expect 2 '^CLAMAV CRITICAL - daily 27300 built 5d( [0-9]+h)? ago \| daily_age=' 5000 -- --db-dir "$work/stale5d" --databases daily
expect 0 '^CLAMAV OK - daily 27300 built 5d( [0-9]+h)? ago' 5000 -- --db-dir "$work/stale5d" --databases daily -w 6d -c 7d
expect 2 '^CLAMAV CRITICAL - no daily, main, bytecode database in ' 5000 -- --db-dir "$work/empty"
expect 2 '^CLAMAV CRITICAL - no bytecode database in .*; daily 27490 built 1h( [0-9]+m)? ago' 5000 -- --db-dir "$work/fresh"
expect 2 '^CLAMAV CRITICAL - daily\.cvd: truncated header \(300 of 512 bytes\)' 5000 -- --db-dir "$work/truncated" $db
expect 2 "^CLAMAV CRITICAL - daily\\.cvd: not a ClamAV database \\(no 'ClamAV-VDB' header\\)" 5000 -- --db-dir "$work/zeros" $db
expect 2 "^CLAMAV CRITICAL - daily\\.cld: not a ClamAV database" 5000 -- --db-dir "$work/random" $db
expect 2 '^CLAMAV CRITICAL - daily\.cvd: no data after the header \(header only\) \| signatures=1;;;0$' 5000 -- --db-dir "$work/header_only" $db
expect 2 '^CLAMAV CRITICAL - daily\.cud: body does not match the MD5 in the header \(damaged or incomplete\)' 5000 -- --db-dir "$work/body_cut" $db
expect 2 '^CLAMAV CRITICAL - daily\.cld: neither a tar archive nor a gzip stream after the header' 5000 -- --db-dir "$work/garbage_body" $db

# ------------------------------------------------------------ clamd
# start_clamd DBDIR: clamd in the foreground on $work/clamd.sock; waits until it answers PING.
start_clamd() {
	cat >"$work/clamd.conf" <<EOF
LocalSocket $work/clamd.sock
DatabaseDirectory $1
Foreground yes
LogFile $work/clamd.log
PidFile $work/clamd.pid
SelfCheck 3600
StreamMaxLength 1M
EOF
	rm -f "$work/clamd.sock"
	clamd -c "$work/clamd.conf" >"$work/clamd.out" 2>&1 &
	clamd_pid=$!
	for _ in $(seq 1 150); do
		if [ -S "$work/clamd.sock" ] &&
			python3 -c 'import socket,sys
s=socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(sys.argv[1]); s.sendall(b"zPING\0")
sys.exit(0 if s.recv(16)==b"PONG\0" else 1)' "$work/clamd.sock" 2>/dev/null; then
			return 0
		fi
		kill -0 "$clamd_pid" 2>/dev/null || break
		sleep 0.2
	done
	echo "FAIL: clamd did not start on $1:"
	tail -n 20 "$work/clamd.out" "$work/clamd.log" 2>/dev/null
	exit 1
}

sock=$work/clamd.sock
echo "# databases checked after ${SECONDS} s; starting clamd"
start_clamd "$work/fresh"
echo "# clamd answered after ${SECONDS} s"
expect 0 '^CLAMAV OK - daily 27490 built 1h( [0-9]+m)? ago, clamd 1\.4\.[0-9]+ answered in [0-9.]+ s \| daily_age=[0-9]+s;172800;345600;0 daily_version=27490;;;0 signatures=3;;;0 time=[0-9.]+s;;;0$' 5000 -- --db-dir "$work/fresh" $db --socket "$sock"
expect 0 '^CLAMAV OK - daily 27490 built 1h( [0-9]+m)? ago, clamd .* answered in .*, EICAR detected \|' 5000 -- --db-dir "$work/fresh" $db --socket "$sock" --eicar --loaded-vs-disk
expect 0 '^CLAMAV OK - clamd .* answered in .*, EICAR detected \| time=' 5000 -- --databases none --socket "$sock" --eicar
expect 0 '^CLAMAV OK - ' 5000 -- --db-dir "$work/fresh" $db --socket "$sock" --eicar
expect_output '(?m)^\[OK\] EICAR test string detected as Msp\.Test\.Eicar\.UNOFFICIAL$'
# A newer daily arrives on disk; clamd does not reload (SelfCheck 3600).
cp "$work/next/daily.cud" "$work/fresh/daily.cud"
expect 1 '^CLAMAV WARNING - clamd runs daily 27490, daily\.cud has 27500 \(not reloaded\); daily 27500 built 1[0-9]m( [0-9]+s)? ago' 5000 -- --db-dir "$work/fresh" $db --socket "$sock" --loaded-vs-disk
expect 0 '^CLAMAV OK - daily 27500 built 1[0-9]m( [0-9]+s)? ago, clamd ' 5000 -- --db-dir "$work/fresh" $db --socket "$sock"
stop_clamd
expect 2 "^CLAMAV CRITICAL - clamd: cannot connect to 'unix:$sock': No such file or directory; daily 27500" 5000 -- --db-dir "$work/fresh" $db --socket "$sock" --eicar

start_clamd "$work/noeicar"
echo "# second clamd answered after ${SECONDS} s"
expect 2 '^CLAMAV CRITICAL - clamd did not detect the EICAR test string; daily 27490 built 1h( [0-9]+m)? ago, clamd ' 5000 -- --db-dir "$work/noeicar" $db --socket "$sock" --eicar
stop_clamd

# ------------------------------------------------------------ misbehaving peers
# All misbehaving peers from one helper process: unix sockets and TCP listeners, one per mode.
rm -f "$work/peer.ready"
python3 "$peer_py" "$work/peer.ready" silent "$work/silent.sock" garbage "$work/garbage.sock" \
	huge "$work/huge.sock" trickle "$work/trickle.sock" pong "$work/pong.sock" refuse "$work/refuse.sock" \
	trailing "$work/trailing.sock" pongjunk "$work/pongjunk.sock" noscan "$work/noscan.sock" \
	unterminated "$work/unterminated.sock" silent tcp:0 huge tcp:0 >"$work/peer.out" 2>&1 &
peer_pid=$!
for _ in $(seq 1 200); do
	[ -f "$work/peer.ready" ] && break
	sleep 0.05
done
if [ ! -f "$work/peer.ready" ]; then
	echo "FAIL: $peer_py did not start:"
	cat "$work/peer.out"
	exit 1
fi
echo "# peers ready after ${SECONDS} s"
tcp_port() { awk -v m="$1" '$1 == m && $2 == "tcp:0" {print $3}' "$work/peer.ready"; }
silent_port=$(tcp_port silent)
huge_port=$(tcp_port huge)

expect 2 "^CLAMAV CRITICAL - clamd: no answer to PING within the timeout\$" 3500 -- --databases none --socket "$work/silent.sock" -t 2
expect 2 '^CLAMAV CRITICAL - clamd: no answer to PING within the timeout; daily 27500' 3500 -- --db-dir "$work/fresh" $db --socket "$work/silent.sock" -t 2
expect 2 "^CLAMAV CRITICAL - clamd: socket '.*' answered PING with '220 smtp\\.example\\.net ESMTP ready\\?\\?\\?\\[31m.*', not PONG\$" 3500 -- --databases none --socket "$work/garbage.sock" -t 2
expect 2 '^CLAMAV CRITICAL - clamd: PING answer longer than 1024 bytes$' 3500 -- --databases none --socket "$work/huge.sock" -t 2
expect 2 '^CLAMAV CRITICAL - clamd: PING answer not finished within the timeout$' 3500 -- --databases none --socket "$work/trickle.sock" -t 2
expect 2 '^CLAMAV CRITICAL - clamd 1\.4\.6 has no signature database loaded, clamd did not detect the EICAR test string \| time=' 5000 -- --databases none --socket "$work/pong.sock" --eicar
expect 2 "^CLAMAV CRITICAL - clamd: cannot connect to 'unix:.*/refuse\\.sock': Connection refused\$" 5000 -- --databases none --socket "$work/refuse.sock"
expect 2 "^CLAMAV CRITICAL - clamd: no answer to PING within the timeout\$" 3500 -- --databases none -H 127.0.0.1 -p "$silent_port" -t 2
expect 2 "^CLAMAV CRITICAL - clamd: no answer to PING within the timeout\$" 3500 -- --databases none -H 127.0.0.1 -p "$silent_port" -4 -t 2 --eicar
expect 2 '^CLAMAV CRITICAL - clamd: PING answer longer than 1024 bytes$' 3500 -- --databases none -H 127.0.0.1 -p "$huge_port" -t 2
# A reply is clamd's only when it ends at its NUL: more bytes after it, or no NUL, is not OK.
expect 2 '^CLAMAV CRITICAL - clamd: PING answer followed by 7 more bytes \(not clamd\)$' 3500 -- --databases none --socket "$work/pongjunk.sock" -t 2
expect 2 '^CLAMAV CRITICAL - clamd: PING answer not terminated \(connection closed after 4 bytes\)$' 3500 -- --databases none --socket "$work/unterminated.sock" -t 2
expect 2 '^CLAMAV CRITICAL - clamd answered PONG, but VERSION: VERSION answer followed by 1 more byte \(not clamd\), EICAR scan failed: INSTREAM answer followed by 11 more bytes \(not clamd\) \| time=' 3500 -- --databases none --socket "$work/trailing.sock" -t 2 --eicar
# The step that timed out is named once: "no answer to INSTREAM", not "to to scan".
expect 2 '^CLAMAV CRITICAL - EICAR scan failed: no answer to INSTREAM within the timeout; clamd 1\.4\.6 answered in [0-9.]+ s \| time=' 3500 -- --databases none --socket "$work/noscan.sock" -t 2 --eicar
stop_peer
expect 2 "^CLAMAV CRITICAL - clamd: cannot connect to '127\\.0\\.0\\.1:$huge_port': Connection refused\$" 5000 -- --databases none -H 127.0.0.1 -p "$huge_port"

echo "# ${SECONDS} s"
msp_done
