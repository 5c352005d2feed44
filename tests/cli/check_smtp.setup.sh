#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Unix-socket SMTP servers for the check_smtp CLI cases (no network; tests/helpers/smtp_peer.py,
# each ending by itself after two minutes): $TMP/ok.sock (banner, EHLO with AUTH, commands;
# user monitor, password s3cret, also in $TMP/pw), $TMP/421.sock (answers 421 and closes).
set -eu
: "${TMP:?TMP must name a directory}"
: "${top_srcdir:?top_srcdir must be set}"
serve() { # SOCKET MODE
	timeout 120 python3 "$top_srcdir/tests/helpers/smtp_peer.py" "$2" "$TMP/$1" </dev/null >/dev/null 2>&1 &
}
serve ok.sock ok
serve 421.sock banner421
printf 's3cret\n' >"$TMP/pw"
for s in ok 421; do
	for _ in $(seq 100); do [ -S "$TMP/$s.sock" ] && break; sleep 0.05; done
	[ -S "$TMP/$s.sock" ] || { echo "check_smtp.setup.sh: $s.sock did not appear" >&2; exit 1; }
done
