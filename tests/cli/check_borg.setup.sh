#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Stand-ins for borg in $TMP/bin (what a real borg cannot be made to do on demand: hang, print
# garbage, die by a signal) and a directory that is not a repository.  The stand-in "borg-list"
# answers with the recorded borg 1.2.4 output in tests/fixtures/check_borg.  The real borg is
# used by the cases without --borg-bin and by tests/integration/check_borg.sh.
set -e
: "${TMP:?TMP must name a directory}"
fix="${top_srcdir:?top_srcdir must be set}/tests/fixtures/check_borg"
mkdir -p "$TMP/bin" "$TMP/notrepo"
cd "$TMP/bin"

stub() {
	printf '#!/bin/sh\n%s\n' "$2" >"$1"
	chmod +x "$1"
}
stub borg-sleep 'exec sleep 60'
stub borg-garbage 'echo "not json"; exit 0'
stub borg-empty 'exit 0'
stub borg-killed 'kill -9 $$'
stub borg-fails 'echo "something broke" >&2; exit 2'
stub borg-echo 'echo "cannot open with $BORG_PASSPHRASE" >&2; exit 2'
stub borg-warns "cat '$fix/borg_list_two_series.json'; exit 1"
stub borg-list "for a; do case \$a in
list) cat '$fix/borg_list_two_series.json'; exit 0 ;;
info) cat '$fix/borg_info_archive.json'; exit 0 ;;
esac; done; exit 2"
stub borg-info-fails "for a; do case \$a in
list) cat '$fix/borg_list_two_series.json'; exit 0 ;;
info) cat '$fix/borg_stderr_lock_timeout.jsonl' >&2; exit 2 ;;
esac; done; exit 2"
stub borg-locked "for a; do case \$a in
--bypass-lock) cat '$fix/borg_list_two_series.json'; exit 0 ;;
esac; done; cat '$fix/borg_stderr_lock_timeout.jsonl' >&2; exit 2"
printf 'fixture-passphrase\n' >"$TMP/passphrase"
chmod 600 "$TMP/passphrase"
