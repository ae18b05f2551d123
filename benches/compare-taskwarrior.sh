#!/usr/bin/env bash
# cchc side by side with Taskwarrior on the same generated province (issue 5).
#
#   bash benches/compare-taskwarrior.sh            # 100,000 generated tasks (+ the plan's 340)
#   bash benches/compare-taskwarrior.sh --tasks 10000 --runs 3
#
# Installs taskwarrior and hyperfine from Debian's packages if missing, loads the same tasks into
# both (Taskwarrior through `task import` of the generator's JSON: description, project = area,
# tags, due, status, end, and the lead agency as a UDA), then times the equivalent commands with
# hyperfine and prints the ratios. Results go to <target>/bench-results/taskwarrior/, where
# benches/run.sh picks them up for docs/BENCHMARKS.md.
#
# Taskwarrior reads the real clock, so its copy of the dates is shifted to put the generator's
# reference day (2026-06-30, when about 20 % of the tasks are overdue) on today; cchc is given
# --today 2026-06-30. Both then count the same overdue tasks (due dates are the day's last second,
# so a task due today is not yet overdue in either). Taskwarrior runs in a temporary TASKDATA with
# its own rc (confirmation, gc, hooks and recurrence off): nothing of the user's is read or changed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

TASKS=100000
RUNS=5
while [ $# -gt 0 ]; do
    case "$1" in
        --tasks) TASKS=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "compare-taskwarrior.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

missing=()
command -v task > /dev/null || missing+=(taskwarrior)
command -v hyperfine > /dev/null || missing+=(hyperfine)
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing ${missing[*]} (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET/bench-results/taskwarrior
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cchc-vs-task.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
rm -rf "$OUT" && mkdir -p "$OUT"

echo "== building cchc and the generator (release)"
cargo build --release --bin cchc --example gen-province
BIN=$TARGET/release
TODAY=2026-06-30
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== generating $TASKS tasks for both"
"$BIN/examples/gen-province" --tasks "$TASKS" --db "$WORK/cchc.sqlite3" --csv "$WORK/tasks.csv" \
    --taskwarrior "$WORK/tasks.json" --tw-today "$(date -u +%F)"
"$BIN/examples/gen-province" --tasks 0 --db "$WORK/base.sqlite3"

# Taskwarrior, isolated and non-interactive.
export TASKDATA=$WORK/taskdata TASKRC=$WORK/taskrc
mkdir -p "$TASKDATA"
cat > "$TASKRC" <<EOF
data.location=$TASKDATA
confirmation=off
gc=off
hooks=off
recurrence=off
verbose=nothing
color=off
nag=
uda.agency.type=string
uda.agency.label=Agency
EOF
echo "== task import (once, to load the data)"
task import "$WORK/tasks.json" > /dev/null
echo "Taskwarrior holds $(task count) tasks, $(task +OVERDUE count) overdue"
export CCHC_USER=bench NO_COLOR=1
C="$BIN/cchc --db $WORK/cchc.sqlite3 --today $TODAY"
echo "cchc holds $($C tasks --format csv | tail -n +2 | wc -l) tasks, $($C tasks --overdue --format csv | tail -n +2 | wc -l) overdue"

compare() { # name, taskwarrior command, cchc command, extra hyperfine options...
    local name=$1 tw=$2 cc=$3
    shift 3
    echo
    echo "== $name"
    hyperfine --warmup 1 --runs "$RUNS" "$@" --export-json "$OUT/$name.json" \
        -n "$tw" "$tw > /dev/null" -n "${cc//$C/cchc}" "$cc > /dev/null"
}

compare 1-overdue-list "task +OVERDUE list" "$C tasks --overdue"
compare 2-overdue-count "task +OVERDUE count" "$C tasks --overdue --format csv"
compare 3-area-filter "task project:tthc list" "$C tasks --area tthc"
compare 4-text-search "task '/Nội vụ/' count" "$C tasks --search 'noi vu' --format csv"
# One modify: every timed run changes the value (the prepare step sets it back). Taskwarrior's
# task 1 and cchc's task 1 are the plan's first task in both.
compare 5-one-modify "task 1 modify agency:SNV" "$C task set 1 --progress 20" \
    --prepare "task 1 modify agency:VPUB > /dev/null; $C task set 1 --progress 10 > /dev/null"
# Import: Taskwarrior into an empty data directory, cchc into a file holding only the plan and
# the agencies, both fresh for every run.
echo
echo "== 6-import"
hyperfine --warmup 0 --runs 3 --export-json "$OUT/6-import.json" \
    --prepare "rm -rf $WORK/imp && mkdir -p $WORK/imp/taskdata && cp $WORK/base.sqlite3 $WORK/imp/c.sqlite3" \
    -n "task import ($TASKS + 340)" "TASKDATA=$WORK/imp/taskdata task import $WORK/tasks.json > /dev/null" \
    -n "cchc import ($TASKS-row CSV)" "$BIN/cchc --db $WORK/imp/c.sqlite3 import $WORK/tasks.csv > /dev/null"

python3 - "$OUT" "$TASKS" "$LOAD_BEFORE" "$(task --version)" <<'EOF'
import glob, json, os, sys, datetime
out, tasks, load_before, version = sys.argv[1:]
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ"),
    "tasks": f"{int(tasks):,} + 340",
    "taskwarrior": f"Taskwarrior {version}",
    "load_before": load_before,
    "load_after": " ".join(open("/proc/loadavg").read().split()[:3]),
}, open(os.path.join(out, "meta.json"), "w"), indent=1)
print(f"\n{'what':<18} {'Taskwarrior':>12} {'cchc':>12} {'ratio':>8}")
for f in sorted(glob.glob(os.path.join(out, "*.json"))):
    if f.endswith("meta.json"):
        continue
    r = json.load(open(f))["results"]
    if len(r) != 2:
        continue
    t, c = r[0]["median"], r[1]["median"]
    print(f"{os.path.basename(f)[2:-5]:<18} {t*1e3:>10.0f}ms {c*1e3:>10.1f}ms {t/c:>7.0f}×")
EOF
echo
echo "results in $OUT; run benches/run.sh to put them in docs/BENCHMARKS.md"
