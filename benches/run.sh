#!/usr/bin/env bash
# Regenerates docs/BENCHMARKS.md (issues 5 and 11): the criterion benchmarks of
# benches/province.rs, the whole-process CLI timings (hyperfine) and peak RSS, the real TUI in a
# pseudo-terminal (benches/tui_pty.rs), at 1,000, 10,000, 100,000 and 1,000,000 tasks, then the
# tables. Takes about 25 minutes on the 2-core machine; run it when the machine is quiet.
#
#   bash benches/run.sh                    # everything, writes docs/BENCHMARKS.md
#   bash benches/run.sh --sizes 1000,10000 # fewer sizes (the table says which were run)
#   bash benches/run.sh --quick            # smoke test for CI: smallest size, each benchmark
#                                          # once, debug build, no hyperfine, one PTY session,
#                                          # writes nothing under docs/ (about 1 min once
#                                          # `cargo test` has built)
#
# The criterion benchmarks load the whole file per iteration: they run at sizes up to 100,000
# only (CCHC_CRITERION_MAX to change). The PTY driver runs at every size, with 50 sessions at
# once at 100,000 (CCHC_PTY_REPS sessions of each, 5 by default).
#
# The Taskwarrior comparison is separate (benches/compare-taskwarrior.sh); its last results are
# put in the table when present. hyperfine comes from Debian's packages (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

QUICK=0
SIZES=1000,10000,100000,1000000
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --sizes) SIZES=$2; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
RESULTS=$TARGET/bench-results
WORK=$TARGET/bench-work
mkdir -p "$RESULTS" "$WORK"
TODAY=2026-06-30 # the generator's reference day: about 20 % of the tasks are overdue on it
PTY_REPS=${CCHC_PTY_REPS:-5}
CRITERION_MAX=${CCHC_CRITERION_MAX:-100000}
export CCHC_USER=bench NO_COLOR=1

step() { printf '\n== %s\n' "$*"; }

if [ "$QUICK" = 1 ]; then
    started=$(date +%s)
    # Debug build, the profile `cargo test` has already built: each benchmark runs once
    # (criterion's test mode), on a 1,000-task province.
    step "benchmarks, once each, 1,000 tasks"
    CCHC_BENCH_SIZES=1000 cargo test --bench province
    step "generator and whole-process commands, 1,000 tasks"
    cargo build --bin cchc --example gen-province --example tui-rss
    BIN=$TARGET/debug
    rm -rf "$WORK/quick" && mkdir -p "$WORK/quick" && cd "$WORK/quick"
    "$BIN/examples/gen-province" --tasks 1000 --db p.sqlite3 --csv p.csv
    "$BIN/examples/gen-province" --tasks 0 --db base.sqlite3
    "$BIN/cchc" --db p.sqlite3 --today $TODAY tasks --overdue --format csv > /dev/null
    "$BIN/cchc" --db p.sqlite3 --today $TODAY tasks --search "noi vu" --format csv > /dev/null
    "$BIN/cchc" --db p.sqlite3 --today $TODAY report --period 2026-Q3 > /dev/null
    "$BIN/cchc" --db p.sqlite3 --today $TODAY task set 1 --progress 20 > /dev/null
    "$BIN/cchc" --db base.sqlite3 import p.csv
    "$BIN/examples/tui-rss" p.sqlite3
    # Every command once, each one's peak RSS (fails when a command fails).
    python3 "$ROOT/benches/cli_rss.py" --cchc "$BIN/cchc" --db p.sqlite3 --base base.sqlite3 \
        --csv p.csv --work cli-work --out "$RESULTS/commands-quick.json" --today $TODAY
    rm -rf cli-work
    # The real TUI in a pseudo-terminal, one session (the debug build `cargo test` made).
    step "the PTY driver, one session, 1,000 tasks"
    cargo test --bench tui_pty -- --db "$WORK/quick/p.sqlite3" --tasks 1000 --reps 1 --idle-s 1 \
        --out "$RESULTS/pty-quick.json"
    cd "$ROOT"
    step "the report script, on whatever results exist (written to $RESULTS/quick.md)"
    python3 benches/report.py --target "$TARGET" --out "$RESULTS/quick.md" --quick
    echo "benches/run.sh --quick: ok in $(( $(date +%s) - started )) s"
    exit 0
fi

if ! command -v hyperfine > /dev/null; then
    step "installing hyperfine (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine
fi

step "building (release)"
cargo build --release --bin cchc --example gen-province --example tui-rss
cargo bench --bench province --no-run
cargo bench --bench tui_pty --no-run
BIN=$TARGET/release
CCHC=$BIN/cchc

# Machine and run facts for the table.
{
    echo "{"
    echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\","
    echo "  \"commit\": \"$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src benches examples Cargo.toml || echo '+changes')\","
    echo "  \"nproc\": $(nproc),"
    echo "  \"cpu\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')\","
    echo "  \"ram_gib\": $(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo),"
    echo "  \"sizes\": \"$SIZES\","
    echo "  \"load_before\": \"$(cut -d' ' -f1-3 /proc/loadavg)\","
    echo "  \"rustc\": \"$(rustc --version)\","
    echo "  \"sqlite\": \"$("$BIN/examples/gen-province" --sqlite-version)\""
    echo "}"
} > "$RESULTS/meta.json"

CRITERION_SIZES=$(tr ',' '\n' <<< "$SIZES" | awk -v max="$CRITERION_MAX" '$1 <= max' | paste -sd, -)
rm -rf "$TARGET/criterion"
if [ -n "$CRITERION_SIZES" ]; then
    step "in-process benchmarks (criterion), sizes $CRITERION_SIZES"
    CCHC_BENCH_SIZES=$CRITERION_SIZES cargo bench --bench province
fi

step "whole-process timings (hyperfine), peak RSS, the TUI in a pseudo-terminal"
rm -f "$RESULTS"/cli-*.json "$RESULTS"/rss-*.json "$RESULTS"/pty-*.json "$RESULTS"/commands-*.json
rm -f "$WORK"/base.sqlite3*
"$BIN/examples/gen-province" --tasks 0 --db "$WORK/base.sqlite3"
q() { printf '%q ' "$@"; }
# `cchc tasks --overdue --format csv`'s rows and columns, asked of the sqlite3 shell.
# (One line: hyperfine -N splits the command itself.)
OVERDUE_SQL="SELECT id, plan_ref, area, lead_agency, title, due, status, progress, replace(coordinating, ',', ';') AS coordinating, output, CASE WHEN due_assumed THEN 'true' ELSE 'false' END AS due_assumed, recurrence, coalesce(completed_on, '') AS completed_on FROM tasks WHERE status <> 'done' AND due < '$TODAY' AND withdrawn_on IS NULL ORDER BY due, id"
for n in ${SIZES//,/ }; do
    db=$WORK/p-$n.sqlite3 csv=$WORK/p-$n.csv
    rm -f "$db" "$db-wal" "$db-shm"
    # The generator is measured too (issue 27: the million within a minute).
    python3 benches/cli_rss.py measure "$RESULTS/commands-$n.json" generator \
        "gen-province --tasks $n (the file and its CSV)" -- \
        "$BIN/examples/gen-province" --tasks "$n" --db "$db" --csv "$csv"
    # -N: no shell in between (hyperfine discards the output itself).
    runs=(-N --warmup 2 --min-runs 10)
    hyperfine "${runs[@]}" --export-json "$RESULTS/cli-overdue-$n.json" -n "tasks --overdue --format csv" \
        "$(q "$CCHC" --db "$db" --today $TODAY tasks --overdue --format csv)"
    # The same rows from the sqlite3 shell (the goal of issue 11: cchc no slower than it).
    hyperfine "${runs[@]}" --export-json "$RESULTS/cli-sqlite3-overdue-$n.json" -n "sqlite3 shell, the overdue rows as CSV" \
        "$(q sqlite3 -csv -header "$db" "$OVERDUE_SQL")"
    hyperfine "${runs[@]}" --export-json "$RESULTS/cli-search-$n.json" -n "tasks --search 'noi vu' --format csv" \
        "$(q "$CCHC" --db "$db" --today $TODAY tasks --search "noi vu" --format csv)"
    hyperfine "${runs[@]}" --export-json "$RESULTS/cli-report-$n.json" -n "report --period 2026-Q3" \
        "$(q "$CCHC" --db "$db" --today $TODAY report --period 2026-Q3)"
    # Each timed run changes the percent (the prepare step sets it back), so every run writes.
    hyperfine "${runs[@]}" --export-json "$RESULTS/cli-set-$n.json" -n "task set 1 --progress" \
        --prepare "$(q "$CCHC" --db "$db" task set 1 --progress 10)" \
        "$(q "$CCHC" --db "$db" task set 1 --progress 20)"
    # Into a fresh copy of the plan + agencies each run.
    imp=$WORK/import.sqlite3
    hyperfine --warmup 1 --runs "$([ "$n" -ge 100000 ] && echo 5 || echo 10)" \
        --export-json "$RESULTS/cli-import-$n.json" -n "import $n-row CSV" \
        --prepare "rm -f $(q "$imp" "$imp-wal" "$imp-shm") && cp $(q "$WORK/base.sqlite3" "$imp")" \
        "$(q "$CCHC" --db "$imp" import "$csv") > /dev/null"
    # Peak RSS of whole processes: the kernel's high-water mark. The TUI's is that of
    # examples/tui-rss (the real App on a TestBackend: first frame, a search, the overdue filter).
    python3 - "$RESULTS/rss-$n.json" "$CCHC" "$db" "$TODAY" "$BIN/examples/tui-rss" <<'EOF'
import json, subprocess, sys
out, cchc, db, today, tui = sys.argv[1:]
def peak(args):
    # The command's own ru_maxrss, through GNU time: forked straight from Python it would
    # count the interpreter's image as its own (benches/cli_rss.py).
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *args], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, check=True).stderr
    return int(out.split()[-1]) / 1024
base = [cchc, "--db", db, "--today", today]
json.dump({
    "tui": peak([tui, db]),
    "tasks --overdue --format csv": peak(base + ["tasks", "--overdue", "--format", "csv"]),
    "tasks --search 'noi vu' --format csv": peak(base + ["tasks", "--search", "noi vu", "--format", "csv"]),
    "report --period 2026-Q3": peak(base + ["report", "--period", "2026-Q3"]),
}, open(out, "w"), indent=1)
EOF
    # Every CLI command alone on this file: peak RSS (VmHWM), wall and CPU time (issue 27).
    # At a million, the commands that still hold the whole change log are left out (log
    # --verify, doctor and migrate's verification replay it; the xlsx export writes it):
    # gigabytes each on a shared machine (about 800 MB each at 100,000).
    skip=
    [ "$n" -ge 1000000 ] && skip=log-verify,doctor,export-xlsx,migrate
    python3 benches/cli_rss.py --cchc "$CCHC" --db "$db" --base "$WORK/base.sqlite3" --csv "$csv" \
        --work "$WORK/cli-$n" --out "$RESULTS/commands-$n.json" --today $TODAY --skip "$skip"
    rm -rf "$WORK/cli-$n"
    # The real TUI in a 120x36 pseudo-terminal: keystroke -> output quiet, change -> visible,
    # CPU time and peak RSS; 50 sessions at once at 100,000 tasks.
    multi=0
    [ "$n" = 100000 ] && multi=50
    cargo bench --bench tui_pty -- --db "$db" --tasks "$n" --bin "$CCHC" --reps "$PTY_REPS" \
        --multi "$multi" --out "$RESULTS/pty-$n.json"
done

python3 - "$RESULTS/meta.json" <<'EOF'
import json, sys
meta = json.load(open(sys.argv[1]))
meta["load_after"] = " ".join(open("/proc/loadavg").read().split()[:3])
json.dump(meta, open(sys.argv[1], "w"), indent=1)
EOF

step "writing docs/BENCHMARKS.md"
python3 benches/report.py --target "$TARGET" --out docs/BENCHMARKS.md
echo "done: docs/BENCHMARKS.md"
