# Sourced by tests/run.sh and .ci/run: the machine's PostgreSQL 15 running (installed first when
# missing and this is root), a superuser role for this login, and CCHC_TEST_PG naming it, for
# tests/pg_*.rs and the suites' PostgreSQL pass.
if ! [ -x /usr/lib/postgresql/15/bin/postgres ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== apt-get install postgresql-15"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql-15 >/dev/null
  else
    echo "tests/run.sh: PostgreSQL 15 is not installed: sudo apt-get install postgresql-15" >&2
    exit 1
  fi
fi
me=$(id -un)
pg_state=$(pg_lsclusters -h | awk '$1 == "15" && $2 == "main" {print $4}')
if [ "$pg_state" != online ]; then
  echo "== PostgreSQL 15/main: starting"
  if [ "$(id -u)" = 0 ]; then
    [ -n "$pg_state" ] || pg_createcluster 15 main
    pg_ctlcluster 15 main start
  else
    echo "tests/run.sh: start it first: sudo pg_ctlcluster 15 main start" >&2
    exit 1
  fi
fi
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
if [ "$(as_postgres psql -Atqc "SELECT 1 FROM pg_roles WHERE rolname = '$me'")" != 1 ]; then
  echo "== PostgreSQL: superuser role $me for the tests"
  as_postgres createuser --superuser "$me"
fi
export CCHC_TEST_PG="host=/var/run/postgresql user=$me dbname=postgres"
