#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/bench/run.sh - time our plugins against the reference plugins.
#
#   tests/bench/run.sh [PLUGINDIR]          (make bench)
#
# For every tests/bench/<plugin>.args whose plugin is built here and exists
# in /usr/lib/nagios/plugins (MSP_REFDIR), each argument line (plain words,
# no quoting; $TMP available) is run through hyperfine for ours and the
# reference side by side (no shell, warm-up first, BENCH_RUNS runs split into
# BENCH_ROUNDS rounds of alternating order so that a change in machine load
# favours neither), and through /usr/bin/time -f %M for peak RSS.
# tests/bench/<plugin>.setup.sh runs before its argument sets and
# <plugin>.teardown.sh after them (servers), when present.  Printed:
# per argument set the median wall times and peak RSS, and per plugin the
# ratio ours/reference of both (geometric mean over its argument sets) next
# to the goal from the file's "# goal: R" line.  hyperfine's JSON goes to
# $BENCH_OUT (default ./bench-results).  Not part of make check: the numbers
# depend on the machine and on what else runs on it.
# shellcheck source=SCRIPTDIR/../helpers/common.sh
. "$(dirname "$0")/../helpers/common.sh"
PLUGINDIR=${1:-${PLUGINDIR:-$PWD/plugins}}
REFDIR=${MSP_REFDIR:-/usr/lib/nagios/plugins}
out=${BENCH_OUT:-$PWD/bench-results}
RUNS=${BENCH_RUNS:-100}
RSS_RUNS=${BENCH_RSS_RUNS:-11}
ROUNDS=${BENCH_ROUNDS:-4}

for tool in hyperfine python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "bench: $tool is not installed (apt-get install $tool)"
		exit 1
	fi
done
if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time is not installed (apt-get install time)"
	exit 1
fi
if [ ! -d "$REFDIR" ]; then
	echo "bench: no reference plugins in $REFDIR (apt-get install monitoring-plugins-basic monitoring-plugins-standard)"
	exit 1
fi
mkdir -p "$out" || exit 1
msp_work_dir bench
: >"$work/rows"

# peak_rss PROGRAM ARGS...: median of RSS_RUNS peak-RSS readings in KiB.
peak_rss() {
	local i
	for ((i = 0; i < RSS_RUNS; i++)); do
		/usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 </dev/null
		tail -n 1 "$work/rss"
	done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "bench: $(date -u '+%Y-%m-%d %H:%M UTC') on $(uname -n), $(nproc) CPUs," \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "bench: ours $PLUGINDIR, reference $REFDIR, $RUNS timed runs per command"
shopt -s nullglob
n=0
for f in "$here"/check_*.args; do
	plugin=$(basename "$f" .args)
	msp_built "$plugin" || continue
	msp_have_reference "$plugin" || continue
	goal=$(sed -n 's/^#[[:space:]]*goal:[[:space:]]*\([0-9.]*\).*/\1/p' "$f" | head -n 1)
	msp_plugin_tmp "$plugin"
	# a setup that cannot make its servers (check_dns: only in a private network namespace) skips the plugin
	if ! msp_hook "$plugin" setup; then
		echo "skip $plugin: its setup script failed"
		continue
	fi
	while IFS= read -r line || [ -n "$line" ]; do
		args=$(trim "$line")
		case $args in '' | '#'*) continue ;; esac
		eval "set -- $args"
		n=$((n + 1))
		echo "--- $plugin $args"
		# Several rounds in alternating order, so a change in machine load
		# while we measure does not favour one side.
		jsons=""
		for ((round = 1; round <= ROUNDS; round++)); do
			json="$out/$plugin-$n-round$round.json"
			jsons="$jsons $json"
			cmds=(-n ours "$PLUGINDIR/$plugin $*" -n reference "$REFDIR/$plugin $*")
			if ((round % 2 == 0)); then
				cmds=(-n reference "$REFDIR/$plugin $*" -n ours "$PLUGINDIR/$plugin $*")
			fi
			if ! hyperfine -N -i --style basic --warmup 10 --runs $((RUNS / ROUNDS)) --export-json "$json" \
				"${cmds[@]}" >"$work/hf.log" 2>&1; then
				echo "bench: hyperfine failed:"
				cat "$work/hf.log"
				exit 1
			fi
		done
		json=${jsons# }
		rss_ours=$(peak_rss "$PLUGINDIR/$plugin" "$@")
		rss_ref=$(peak_rss "$REFDIR/$plugin" "$@")
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$plugin" "${goal:--}" "$args" "$json" "$rss_ours" "$rss_ref" \
			>>"$work/rows"
	done <"$f"
	msp_hook "$plugin" teardown # stop what the setup started (servers)
done
if [ "$n" -eq 0 ]; then
	echo "bench: nothing to compare"
	exit 1
fi

python3 - "$work/rows" <<'EOF'
import json, math, statistics, sys

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
print()
print("%-14s %-44s %9s %9s %6s %9s %9s %6s" % ("plugin", "args", "ours ms", "ref ms", "time", "ours KiB",
                                              "ref KiB", "rss"))
per = {}
for plugin, goal, args, path, rss_o, rss_r in rows:
    times = {"ours": [], "reference": []}
    for one in path.split():
        for r in json.load(open(one))["results"]:
            times[r["command"]] += r["times"]
    mo, mr = statistics.median(times["ours"]), statistics.median(times["reference"])
    t, m = mo / mr, int(rss_o) / int(rss_r)
    per.setdefault(plugin, [goal, [], []])
    per[plugin][1].append(t)
    per[plugin][2].append(m)
    shown = args if len(args) <= 44 else args[:41] + "..."
    print("%-14s %-44s %9.2f %9.2f %6.2f %9s %9s %6.2f" % (plugin, shown, mo * 1e3, mr * 1e3, t, rss_o, rss_r, m))

def gmean(v):
    return math.exp(sum(math.log(x) for x in v) / len(v))

print()
print("ratio ours/reference (geometric mean over the argument sets; below 1 = ours is cheaper)")
print("%-14s %12s %8s %8s %14s" % ("plugin", "median time", "goal", "", "peak RSS"))
for plugin, (goal, t, m) in per.items():
    gt = gmean(t)
    verdict = "-" if goal == "-" else ("met" if gt <= float(goal) else "MISSED")
    print("%-14s %12.2f %8s %8s %14.2f" % (plugin, gt, "<= " + goal if goal != "-" else "-", verdict, gmean(m)))
EOF
echo
echo "bench: hyperfine JSON in $out"
