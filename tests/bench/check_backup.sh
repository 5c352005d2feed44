#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/bench/check_backup.sh - how long check_backup takes to scan 100,000 files.
#
#   tests/bench/check_backup.sh [PLUGINDIR]
#
# Builds a tree of 100,000 empty files (100 directories of 1,000 below a root,
# modification times spread over 10 days with touch -d) in a temporary
# directory, then times `check_backup -r` over it with hyperfine (warm cache:
# the monitoring host reads the same tree every few minutes) and prints the
# median and minimum wall time and the mean CPU time (user + system; on a shared
# machine the wall time includes waiting for a CPU).  The goal (issue 4): well under a second.  Not part of make check.
set -eu
PLUGINDIR=${1:-${PLUGINDIR:-$PWD/plugins}}
N_DIRS=${BENCH_DIRS:-100}
PER_DIR=${BENCH_PER_DIR:-1000}
RUNS=${BENCH_RUNS:-20}

command -v hyperfine >/dev/null || { echo "bench: hyperfine is not installed"; exit 1; }
[ -x "$PLUGINDIR/check_backup" ] || { echo "bench: no check_backup in $PLUGINDIR"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/msp-bench-backup.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "bench: building $((N_DIRS * PER_DIR)) files in $tmp"
for d in $(seq 1 "$N_DIRS"); do
	mkdir "$tmp/host$d"
	(cd "$tmp/host$d" && seq -f "dump-%g.sql.gz" 1 "$PER_DIR" | xargs touch -d "$((d % 10 + 1)) days ago")
done
touch -d '1 hour ago' "$tmp/host1/dump-1.sql.gz"
# The tree must really be what we time: check the count the plugin reports.
out=$("$PLUGINDIR/check_backup" -r -p "$tmp" -w 26h -c 50h)
echo "bench: $out"
case $out in
*" files=$((N_DIRS * PER_DIR));"*) ;;
*) echo "bench: check_backup did not see $((N_DIRS * PER_DIR)) files"; exit 1 ;;
esac

for args in "-r -p $tmp -w 26h -c 50h" "-r -p $tmp --match *.sql.gz --all -w 26h -c 50h" \
	"-r -p $tmp --regex ^dump-1[0-9]*\.sql\.gz$ -w 26h -c 50h"; do
	hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$tmp/h.json" -i \
		"$PLUGINDIR/check_backup $args" >/dev/null
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; \
print("check_backup %-58s median %6.1f ms  min %6.1f ms  cpu %6.1f ms" % (sys.argv[2], r["median"]*1e3, r["min"]*1e3, (r["user"]+r["system"])*1e3))' \
		"$tmp/h.json" "${args//$tmp/TREE}"
done
