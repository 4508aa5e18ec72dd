#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, on loopback only.
#
#   eval "$(bash .ci/postgres.sh)"      # sets CORROBORATOR_TEST_PG for the PostgreSQL store tests
#
# Installs Debian's `postgresql` when no server binaries are present (needs root), creates a cluster in
# $CORROBORATOR_PG_DIR (default /tmp/corroborator-pg) listening on 127.0.0.1:$CORROBORATOR_PG_PORT
# (default 5433, so a system cluster on 5432 is left alone), and a role and database for the tests.
# Safe to run twice: an existing cluster is reused and a running server is left running.
# Stop it with: pg_ctl -D /tmp/corroborator-pg stop   (as the postgres user when run as root)
#
# Only the final `export ...` line goes to stdout; progress and errors go to stderr.
set -euo pipefail

PORT="${CORROBORATOR_PG_PORT:-5433}"
DATA="${CORROBORATOR_PG_DIR:-/tmp/corroborator-pg}"
ROLE=corroborator
PASSWORD=corroborator
DB=corroborator_test

log() { echo "postgres.sh: $*" >&2; }

# The server refuses to run as root, and postgres may not be able to read the caller's directory.
cd /tmp

find_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
        echo "$dir"
    fi
}

BIN="$(find_bin)"
if [ -z "$BIN" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        log "PostgreSQL is not installed and installing it needs root: sudo apt-get install -y postgresql"
        exit 1
    fi
    log "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y postgresql >&2
    BIN="$(find_bin)"
    if [ -z "$BIN" ]; then
        log "apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb was found"
        exit 1
    fi
fi

if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        log "running as root but there is no 'postgres' user to run the server as"
        exit 1
    fi
    as_pg() { runuser -u postgres -- "$@"; }
    install -d -o postgres -g postgres -m 700 "$DATA"
else
    as_pg() { "$@"; }
    install -d -m 700 "$DATA"
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
    log "creating a cluster in $DATA"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >&2
    # Loopback only; the Unix socket lives in the (mode 700) data directory so only its owner can use it.
    as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA'
max_connections = 200
EOF
fi

if as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    log "server already running in $DATA"
else
    log "starting the server on 127.0.0.1:$PORT"
    if ! as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start >&2; then
        log "the server did not start; its log follows"
        tail -n 20 "$DATA/server.log" >&2 || true
        exit 1
    fi
fi

psql_admin() { as_pg "$BIN/psql" -h "$DATA" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

psql_admin -c "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
        CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
    END IF;
END \$\$;" >&2
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
    psql_admin -c "CREATE DATABASE $DB OWNER $ROLE" >&2
fi
log "ready: database $DB, role $ROLE"

echo "export CORROBORATOR_TEST_PG=postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
