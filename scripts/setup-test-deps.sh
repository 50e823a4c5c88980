#!/usr/bin/env bash
# Test dependencies that are not NuGet packages: a throwaway PostgreSQL cluster and a test role, and the Chromium the
# dashboard's browser tests drive (Debian's chromium package at /usr/bin/chromium; Playwright never downloads one).
#
#   scripts/setup-test-deps.sh start   installs chromium (apt-get) when /usr/bin/chromium is missing, and
#                                      installs PostgreSQL from Debian packages when missing, creates a cluster in a
#                                      new temporary folder, starts it on a free port of 127.0.0.1 and creates the
#                                      test role; progress goes to stderr, and stdout gets only the lines to eval:
#                                        export GLIDEPATH_TEST_POSTGRES='Host=127.0.0.1;Port=…'
#                                        export GLIDEPATH_TEST_PGDIR='/tmp/glidepath-pg.…'
#                                        export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
#   scripts/setup-test-deps.sh stop DIR  stops the cluster in DIR (fast, no checkpoint) and deletes DIR.
#
# test.sh runs start, exports the variables and runs stop on exit (a trap), so nothing outlives a test run and no
# test depends on a cluster someone else started. PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as
# the `postgres` user the Debian package creates. The role's password is a fixed test-only value, not a secret.
set -euo pipefail

ROLE=glidepath_test
PASSWORD=gp-test-only-pw

step() { echo "setup-test-deps: $*" >&2; }
CLEANUP_DIR=""
fail() {
  echo "setup-test-deps: FAILED: $*" >&2
  # A failed start leaves nothing behind.
  if [ -n "$CLEANUP_DIR" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$CLEANUP_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$CLEANUP_DIR"
  fi
  exit 1
}
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The dashboard tests launch /usr/bin/chromium through Playwright's ExecutablePath.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    step "Chromium is installed (/usr/bin/chromium)"
    return
  fi
  [ "$(id -u)" -eq 0 ] || fail "Chromium is missing and installing it needs root (apt-get install chromium)"
  step "installing Chromium (apt-get update, apt-get install -y chromium)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || fail "apt-get update"
  apt-get install -y -qq chromium >/dev/null || fail "apt-get install chromium"
  [ -x /usr/bin/chromium ] || fail "no /usr/bin/chromium after installing chromium"
}

start() {
  ensure_chromium
  local bin
  bin=$(pg_bin)
  if [ -n "$bin" ] && [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ]; then
    step "PostgreSQL is installed ($bin)"
  else
    [ "$(id -u)" -eq 0 ] || fail "PostgreSQL is missing and installing it needs root (apt-get install postgresql)"
    step "installing PostgreSQL (apt-get update, apt-get install -y postgresql)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || fail "apt-get update"
    apt-get install -y -qq postgresql >/dev/null || fail "apt-get install postgresql"
    bin=$(pg_bin)
    [ -n "$bin" ] && [ -x "$bin/initdb" ] || fail "no initdb under /usr/lib/postgresql after installing"
  fi

  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/glidepath-pg.XXXXXX") || fail "mktemp"
  chmod 0755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  CLEANUP_DIR=$dir

  local pwfile="$dir/superuser-pw"
  as_pg sh -c "umask 077; echo '$PASSWORD' > '$pwfile'" || fail "writing $pwfile"
  step "initdb in $dir/data"
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$pwfile" -A scram-sha-256 --auth-local=trust \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; fail "initdb"; }

  local port="" tries
  for tries in $(seq 1 20); do
    local candidate=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    port_taken "$candidate" && continue
    # fsync off: the cluster holds only test data and is deleted at the end of the run.
    if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $candidate -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c full_page_writes=off" \
        start >/dev/null 2>&1; then
      port=$candidate
      break
    fi
    step "port $candidate was taken meanwhile; trying another"
  done
  [ -n "$port" ] || { tail -20 "$dir/server.log" >&2 || true; fail "could not start PostgreSQL on a free port"; }
  step "PostgreSQL runs on 127.0.0.1:$port (data in $dir/data)"

  as_pg "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'" \
    -c "GRANT pg_signal_backend TO $ROLE" >&2 || fail "CREATE ROLE $ROLE"
  # pg_signal_backend: a test's DROP DATABASE ... WITH (FORCE) must also end an autovacuum worker that is busy in that
  # database; without it PostgreSQL 15 refuses the drop ("must be a member of the role whose process is being terminated").
  step "role $ROLE can log in, create databases and drop them while autovacuum works in them"
  CLEANUP_DIR=""

  echo "export GLIDEPATH_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=$ROLE;Password=$PASSWORD;Database=postgres'"
  echo "export GLIDEPATH_TEST_PGDIR='$dir'"
  echo "export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1"
}

stop() {
  local dir=${1:-}
  [ -n "$dir" ] && [ -d "$dir/data" ] || fail "usage: $0 stop DIR (a folder that 'start' printed)"
  local bin
  bin=$(pg_bin)
  as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || step "the cluster in $dir was not running"
  # Silent when it works: test.sh's last line stays "N passed, N failed".
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
