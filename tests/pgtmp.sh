#!/bin/sh
# pgtmp.sh - a throwaway PostgreSQL 15 cluster for tests.
#
#   sh tests/pgtmp.sh start DIR   create DIR (if needed), initdb DIR/data, start
#                                 the server on a Unix socket in DIR only (no
#                                 TCP), print a libpq conninfo on stdout
#   sh tests/pgtmp.sh stop DIR    stop the server (immediate); DIR is left for
#                                 the caller to remove
#
# initdb and postgres refuse to run as root: as root the cluster runs as
# Debian's unprivileged `postgres` user, which is given DIR (so DIR must be
# somewhere that user can enter, e.g. under /tmp, not under /root).
# Durability is switched off (fsync, full_page_writes, synchronous_commit):
# test data only.  PGTMP_DURABLE=1 keeps PostgreSQL's defaults (fsync on,
# full-page writes, synchronous commit), as a real server runs: the
# benchmarks use it.
# Superuser `postgres`, trust authentication over the socket only.
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
    echo "usage: pgtmp.sh start|stop DIR" >&2
    exit 2
fi
case "$dir" in /*) ;; *) dir="$(pwd)/$dir" ;; esac

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "$cmd" in
start)
    # a Unix socket path is limited to ~107 bytes
    if [ ${#dir} -gt 80 ]; then
        echo "pgtmp.sh: $dir is too long for a socket path" >&2
        exit 2
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
    fi
    chmod 0700 "$dir"
    as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
        --locale=C --no-sync >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    durability="-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
    if [ "${PGTMP_DURABLE:-0}" = 1 ]; then
        durability="-c fsync=on -c full_page_writes=on -c synchronous_commit=on"
    fi
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c port=5432 $durability" \
        start >/dev/null 2>&1 || {
        echo "pgtmp.sh: server did not start; log:" >&2
        cat "$dir/server.log" >&2 2>/dev/null || true
        exit 1
    }
    # the caller (root) must be able to reach the socket
    chmod 0711 "$dir"
    echo "host=$dir port=5432 user=postgres dbname=postgres"
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    ;;
*)
    echo "usage: pgtmp.sh start|stop DIR" >&2
    exit 2
    ;;
esac
