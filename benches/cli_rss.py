#!/usr/bin/env python3
"""Peak memory and time of every `cchc` command on one benchmark file (issue 27).

Each command runs alone, started by GNU time (/usr/bin/time); its peak resident set is the
kernel's high-water mark, VmHWM, as `wait4` reports it (`ru_maxrss`, GNU time's %M), and its
time is the wall time and the command's CPU time (user + system). Commands that write work on copies (deleted after), so
the file measured stays as the generator made it. Standard library and GNU time only.

    python3 benches/cli_rss.py --cchc target/release/cchc --db p.sqlite3 --base base.sqlite3 \
        --csv p.csv --work DIR --out rss.json [--today 2026-06-30] [--only NAME,NAME] \
        [--skip NAME,NAME]

One other command measured the same way, its figures added to OUT under NAME (the generator):

    python3 benches/cli_rss.py measure OUT NAME LABEL -- COMMAND ARGS...

Exits 1 when a command failed (the figures of the others are still written).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

# A word in about one task in a thousand: "Vướng mắc do thiếu nhân lực", the note of one task in
# 1,400 (benches/province.rs's generator). Quoted, it is one term long enough for the trigram
# index to narrow.
SELECTIVE = '"thieu nhan luc"'


# GNU time starts each command: a child's ru_maxrss keeps the high-water mark of the image it
# was forked with (the kernel records it at exec), so a command forked straight from this
# Python would count the interpreter's ~15 MB as its own; forked from GNU time, about 1 MB.
GNU_TIME = "/usr/bin/time"


def run(args, stdin=None, env=None):
    """Runs `args`; returns (exit code, wall s, cpu s, peak RSS in MB)."""
    if not os.access(GNU_TIME, os.X_OK):
        sys.exit(f"cli_rss.py: {GNU_TIME} is needed (Debian's package `time`)")
    fd, stats = tempfile.mkstemp(prefix="cli_rss.")
    os.close(fd)
    started = time.monotonic()
    with open(os.devnull, "wb") as null:
        p = subprocess.run([GNU_TIME, "-q", "-o", stats, "-f", "%x %U %S %M", *args],
                           stdout=null, stderr=subprocess.PIPE, stdin=stdin, env=env)
    wall = time.monotonic() - started
    try:
        code, user, system, kib = open(stats).read().split()[-4:]
        code, cpu, mb = int(code), float(user) + float(system), int(kib) / 1024
    except ValueError:
        # Killed by a signal: GNU time says so in words.
        code, cpu, mb = p.returncode or 1, float("nan"), float("nan")
    finally:
        os.remove(stats)
    if code != 0:
        err = p.stderr.decode("utf-8", "replace").strip()
        print(f"cli_rss.py: {' '.join(args)} exited {code}: {err[:500]}", file=sys.stderr)
    return code, wall, cpu, mb


def copy(src, dst):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.remove(dst + suffix)
    shutil.copyfile(src, dst)
    return dst


def remove(*paths):
    for p in paths:
        for suffix in ("", "-wal", "-shm"):
            if os.path.isdir(p + suffix):
                shutil.rmtree(p + suffix)
            elif os.path.exists(p + suffix):
                os.remove(p + suffix)


def load(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return {}


def measure_one(argv):
    """`measure OUT NAME LABEL -- COMMAND...`: one command's figures added to OUT."""
    out, name, label, sep, *command = argv
    if sep != "--" or not command:
        sys.exit("usage: cli_rss.py measure OUT NAME LABEL -- COMMAND ARGS...")
    code, wall, cpu, mb = run(command)
    results = load(out)
    results[name] = {"label": label, "exit": code, "wall_s": wall, "cpu_s": cpu, "rss_mb": mb}
    json.dump(results, open(out, "w"), indent=1)
    print(f"{name:18} {mb:7.1f} MB {wall:8.2f} s wall {cpu:8.2f} s cpu{'' if code == 0 else f'  exit {code}'}")
    return code == 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "measure":
        sys.exit(0 if measure_one(sys.argv[2:]) else 1)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cchc", required=True)
    ap.add_argument("--db", required=True, help="the benchmark file (only read)")
    ap.add_argument("--base", required=True, help="a file with the plan and agencies only")
    ap.add_argument("--csv", required=True, help="the generator's tasks CSV")
    ap.add_argument("--work", required=True, help="a directory for copies and outputs")
    ap.add_argument("--out", required=True)
    ap.add_argument("--today", default="2026-06-30")
    ap.add_argument("--only", default="", help="comma-separated command names")
    ap.add_argument("--skip", default="", help="comma-separated command names not to run "
                    "(recorded as skipped: at a million tasks, the commands known to hold "
                    "the whole change log would take gigabytes of a shared machine)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    w = lambda name: os.path.join(a.work, name)
    env = dict(os.environ, CCHC_USER="bench", NO_COLOR="1")
    c = lambda db, *args: [a.cchc, "--db", db, "--today", a.today, *args]

    # (name, what it does, setup, command, cleanup). Setup and cleanup are not timed.
    writable = lambda: copy(a.db, w("copy.sqlite3"))
    commands = [
        ("areas", "cchc areas", None, lambda _: c(a.db, "areas"), None),
        ("agencies", "cchc agencies", None, lambda _: c(a.db, "agencies"), None),
        ("indicators", "cchc indicators", None, lambda _: c(a.db, "indicators"), None),
        ("tasks", "cchc tasks (every task, a table)", None, lambda _: c(a.db, "tasks"), None),
        ("tasks-csv", "cchc tasks --format csv (every task)", None,
         lambda _: c(a.db, "tasks", "--format", "csv"), None),
        ("tasks-json", "cchc tasks --format json (every task)", None,
         lambda _: c(a.db, "tasks", "--format", "json"), None),
        ("overdue-csv", "cchc tasks --overdue --format csv", None,
         lambda _: c(a.db, "tasks", "--overdue", "--format", "csv"), None),
        ("area", "cchc tasks --area tthc --format csv", None,
         lambda _: c(a.db, "tasks", "--area", "tthc", "--format", "csv"), None),
        ("agency", "cchc tasks --agency SNV --format csv", None,
         lambda _: c(a.db, "tasks", "--agency", "SNV", "--format", "csv"), None),
        ("search", "cchc tasks --search 'noi vu' --format csv", None,
         lambda _: c(a.db, "tasks", "--search", "noi vu", "--format", "csv"), None),
        ("search-selective", f"cchc tasks --search '{SELECTIVE}' --format csv", None,
         lambda _: c(a.db, "tasks", "--search", SELECTIVE, "--format", "csv"), None),
        ("task-show", "cchc task show 1", None, lambda _: c(a.db, "task", "show", "1"), None),
        ("task-set", "cchc task set 1 --progress 20 (a copy)", writable,
         lambda db: c(db, "task", "set", "1", "--progress", "20"), None),
        ("task-add", "cchc task add (a copy)", writable,
         lambda db: c(db, "task", "add", "--area", "tthc", "--agency", "SNV", "--title",
                      "Việc thêm", "--due", "2027-06-30"), None),
        ("indicator-record", "cchc indicator record (a copy)", writable,
         lambda db: c(db, "indicator", "record", "tthc-dvctt-toan-trinh", "72"), None),
        ("member-list", "cchc member list", None, lambda _: c(a.db, "member", "list"), None),
        ("log", "cchc log (the newest 50)", None, lambda _: c(a.db, "log"), None),
        ("log-task", "cchc log --task 1", None, lambda _: c(a.db, "log", "--task", "1"), None),
        ("log-verify", "cchc log --verify", None, lambda _: c(a.db, "log", "--verify"), None),
        ("doctor", "cchc doctor", None, lambda _: c(a.db, "doctor"), None),
        ("export-json", "cchc export (JSON, to a file)", None,
         lambda _: c(a.db, "export", "--output", w("export.json")), lambda: remove(w("export.json"))),
        ("export-csv", "cchc export --format csv", None,
         lambda _: c(a.db, "export", "--format", "csv", "--output", w("export.csv")),
         lambda: remove(w("export.csv"))),
        ("export-excel", "cchc export --format csv --excel", None,
         lambda _: c(a.db, "export", "--format", "csv", "--excel", "--output", w("excel.csv")),
         lambda: remove(w("excel.csv"))),
        ("export-xlsx", "cchc export --format xlsx", None,
         lambda _: c(a.db, "export", "--format", "xlsx", "--output", w("export.xlsx")),
         lambda: remove(w("export.xlsx"))),
        ("report", "cchc report --quarter 2026Q3", None,
         lambda _: c(a.db, "report", "--quarter", "2026Q3", "--output", w("report.md")),
         lambda: remove(w("report.md"))),
        ("sheet", "cchc sheet --agency SNV", None,
         lambda _: c(a.db, "sheet", "--agency", "SNV", "--output", w("SNV.xlsx")),
         lambda: remove(w("SNV.xlsx"))),
        ("sheet-all", "cchc sheet --all", None,
         lambda _: c(a.db, "sheet", "--all", "--output-dir", w("sheets")),
         lambda: remove(w("sheets"))),
        ("import", "cchc import of the tasks CSV (into a copy of the plan)",
         lambda: copy(a.base, w("import.sqlite3")),
         lambda db: c(db, "import", a.csv), None),
        ("backup", "cchc backup", None, lambda _: c(a.db, "backup", w("backup.sqlite3")),
         lambda: remove(w("backup.sqlite3"))),
        ("migrate", "cchc migrate (into a new file)", lambda: remove(w("migrated.sqlite3")),
         lambda _: [a.cchc, "--today", a.today, "migrate", a.db, w("migrated.sqlite3")],
         lambda: remove(w("migrated.sqlite3"))),
    ]
    only = set(filter(None, a.only.split(",")))
    skip = set(filter(None, a.skip.split(",")))
    results = load(a.out)
    failed = []
    for name, label, setup, command, cleanup in commands:
        if only and name not in only:
            continue
        if name in skip:
            results[name] = {"label": label, "skipped": True}
            print(f"{name:18} skipped", flush=True)
            continue
        db = setup() if setup else None
        code, wall, cpu, mb = run(command(db), env=env)
        results[name] = {"label": label, "exit": code, "wall_s": wall, "cpu_s": cpu, "rss_mb": mb}
        print(f"{name:18} {mb:7.1f} MB {wall:8.2f} s wall {cpu:8.2f} s cpu{'' if code == 0 else f'  exit {code}'}",
              flush=True)
        if code != 0:
            failed.append(name)
        if cleanup:
            cleanup()
        if setup:
            remove(w("copy.sqlite3"), w("import.sqlite3"))
        json.dump(results, open(a.out, "w"), indent=1)
    if failed:
        sys.exit(f"cli_rss.py: failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
