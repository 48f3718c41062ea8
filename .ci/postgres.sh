# shellcheck shell=bash
# Sourced by .ci/run (as root, on a fresh Debian machine): installs PostgreSQL, runs a throwaway
# cluster on 127.0.0.1:54329 with trust authentication (local tests only) and exports
#   OA_TEST_POSTGRES=postgresql://postgres@127.0.0.1:54329/postgres
#   OA_REQUIRE_POSTGRES=1   (an unreachable server then fails the PostgreSQL tests instead of skipping them)
# Idempotent: a second run finds the server running and only exports the variables.
# Overridable: OA_PG_PORT (54329), OA_PG_DATA (/var/tmp/oa-postgres-$OA_PG_PORT).

oa_pg_setup() {
  local port="${OA_PG_PORT:-54329}"
  local data="${OA_PG_DATA:-/var/tmp/oa-postgres-$port}"
  local bin initdb

  # The Debian packages put the server programs in /usr/lib/postgresql/<version>/bin.
  oa_pg_bin() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
      if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    return 1
  }

  if ! bin=$(oa_pg_bin); then
    echo "postgres.sh: installing PostgreSQL"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends postgresql; then
      apt-get update && apt-get install -y --no-install-recommends postgresql || {
        echo "postgres.sh: apt-get install postgresql failed" >&2; return 1; }
    fi
    bin=$(oa_pg_bin) || { echo "postgres.sh: no initdb/pg_ctl after installing postgresql" >&2; return 1; }
  fi
  initdb="$bin/initdb"

  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2; then
    echo "postgres.sh: PostgreSQL already running on 127.0.0.1:$port"
  else
    if [ ! -s "$data/PG_VERSION" ]; then
      echo "postgres.sh: creating a cluster in $data"
      rm -rf "$data"
      mkdir -p "$data"
      chown postgres:postgres "$data"
      chmod 700 "$data"
      su postgres -s /bin/sh -c "'$initdb' -D '$data' -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync" >/dev/null || {
        echo "postgres.sh: initdb failed" >&2; return 1; }
    fi
    # A server of this cluster left behind by a killed run: pg_ctl start clears a stale pid file itself.
    echo "postgres.sh: starting PostgreSQL on 127.0.0.1:$port"
    su postgres -s /bin/sh -c "'$bin/pg_ctl' -D '$data' -l '$data/server.log' -w -t 60 \
      -o \"-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$data' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100\" start" >/dev/null || {
      echo "postgres.sh: the server did not start; its log:" >&2; tail -n 30 "$data/server.log" >&2; return 1; }
    local i
    for i in $(seq 1 60); do
      "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1 && break
      sleep 1
    done
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2 || {
      echo "postgres.sh: the server is not ready on 127.0.0.1:$port" >&2; tail -n 30 "$data/server.log" >&2; return 1; }
  fi

  export OA_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/postgres"
  export OA_REQUIRE_POSTGRES=1
  echo "postgres.sh: OA_TEST_POSTGRES=$OA_TEST_POSTGRES OA_REQUIRE_POSTGRES=1"
}

oa_pg_setup
