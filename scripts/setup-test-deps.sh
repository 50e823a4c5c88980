#!/usr/bin/env bash
# Test dependencies that are not NuGet packages: a local PostgreSQL 15 cluster and a test role.
# Idempotent and quick when already set up; one line per step; non-zero exit on any failure.
# The role's password is a fixed test-only value for a server on 127.0.0.1, not a secret.
set -euo pipefail

PG_VERSION=15
ROLE=glidepath_test
PASSWORD=gp-test-only-pw

step() { echo "setup-test-deps: $*"; }
fail() { echo "setup-test-deps: FAILED: $*" >&2; exit 1; }
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -n -u postgres -- "$@"; fi
}

if command -v pg_ctlcluster >/dev/null && [ -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ]; then
  step "PostgreSQL $PG_VERSION is installed"
else
  step "installing PostgreSQL (apt-get update, apt-get install -y postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || fail "apt-get update"
  apt-get install -y -qq postgresql >/dev/null || fail "apt-get install postgresql"
fi

if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$PG_VERSION main"; then
  step "creating cluster $PG_VERSION main"
  pg_createcluster "$PG_VERSION" main >/dev/null || fail "pg_createcluster $PG_VERSION main"
fi

if pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $4}' | grep -qx online; then
  step "cluster $PG_VERSION main is running"
else
  step "starting cluster $PG_VERSION main"
  pg_ctlcluster "$PG_VERSION" main start || fail "pg_ctlcluster $PG_VERSION main start"
fi

port=$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" || fail "PostgreSQL on 127.0.0.1:$port does not accept connections"
step "PostgreSQL accepts connections on 127.0.0.1:$port"

exists=$(as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'") || fail "psql as postgres"
if [ "$exists" = "1" ]; then
  step "role $ROLE exists"
else
  step "creating role $ROLE"
  as_postgres psql -p "$port" -q -v ON_ERROR_STOP=1 -c "CREATE ROLE $ROLE" || fail "CREATE ROLE $ROLE"
fi
# Every run: the role's rights and test password are what the tests expect, even if an older run set others.
as_postgres psql -p "$port" -q -v ON_ERROR_STOP=1 \
  -c "ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'" || fail "ALTER ROLE $ROLE"
step "role $ROLE can log in and create databases"

step "tests connect with GLIDEPATH_TEST_POSTGRES (default Host=127.0.0.1;Port=$port;Username=$ROLE)"
