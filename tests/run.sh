#!/usr/bin/env bash
# The whole test suite, on both engines (README's test command; .ci/run calls it last):
#   1. the machine's PostgreSQL 15 running, with a superuser role for this login (tests/pg_*.rs
#      and the second pass connect as it over the Unix socket); installed first when missing
#      and this is root;
#   2. `cargo test`: every test, databases as SQLite files;
#   3. the shared suites again with CCHC_TEST_ENGINE=postgres: every database they make is a
#      new database on the server (tests/common/engine.rs).
# Extra arguments go to both cargo test runs (e.g. `-- --ignored` for the long variants).
set -euo pipefail
cd "$(dirname "$0")/.."

source tests/pg-up.sh

# The databases earlier runs left behind (a test that failed keeps its database to look at).
drop_test_databases() {
  psql -d postgres -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'cchc\_t%'" \
    | while read -r db; do psql -d postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"; done
}
drop_test_databases

echo "== cargo test (SQLite files)"
cargo test "$@"

echo "== the shared suites on PostgreSQL (CCHC_TEST_ENGINE=postgres)"
# The suites whose databases come from common::new_db / Sandbox::init_db. The others test SQLite
# files themselves (headers, WAL, modes, copies of the file, the sqlite3 shell) or write to them
# behind cchc's back with rusqlite; tests/pg_*.rs cover the server's own side on both passes.
suites=(store undo bulk list_store search_store processes cli cli_lang cli_polish cli_views
  agencies csv_import json_doc dates_from_clock report sheets sheets_return meeting_render plan_data remind
  trust_text limits robust_access robust_faults tui_pty tui_pty_multi tui_pty_command tui_pty_keys
  tui_pty_list tui_pty_meeting)
CCHC_TEST_ENGINE=postgres cargo test "${suites[@]/#/--test=}" "$@"

drop_test_databases
