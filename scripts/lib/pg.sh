# shellcheck shell=bash
# Throwaway PostgreSQL 15 clusters for tests. Source this file, then:
#
#   url=$(pg_start /tmp/ah-pg)      # prints postgresql://postgres@127.0.0.1:PORT/postgres
#   AUGENHOEHE_TEST_PG=$url ctest ...
#   pg_stop /tmp/ah-pg              # stops the server and removes the directory
#
# Both are idempotent: pg_start on a running cluster prints its URL again; pg_stop on a
# missing one does nothing. The cluster trusts every connection, so it listens only on
# 127.0.0.1 and on a unix socket inside DIR (keep DIR short: socket paths are limited to
# about 100 bytes), and it runs with fsync off: its data is not meant to survive.
# initdb refuses to run as root, so as root the server runs as the `postgres` user, which
# must be able to reach DIR (e.g. DIR under /tmp). PG_DURABLE=1 pg_start DIR starts it with
# PostgreSQL's durable defaults instead (for scripts/bench).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# Runs a command as the owner of the cluster.
pg__as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Prints a TCP port on 127.0.0.1 that nothing listens on right now.
pg__free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "pg.sh: no free port found" >&2
  return 1
}

pg__running() {
  [ -f "$1/data/postmaster.pid" ] && pg__as_owner "$PG_BIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

# pg_start DIR: creates (if needed) and starts a cluster in DIR; prints its URL.
pg_start() {
  local dir=${1:?usage: pg_start DIR}
  if pg__running "$dir" && [ -f "$dir/url" ]; then
    cat "$dir/url"
    return 0
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
  fi
  chmod 700 "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir/data"
    pg__as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C --no-sync >"$dir/initdb.log" 2>&1 || {
      echo "pg.sh: initdb failed, see $dir/initdb.log" >&2
      return 1
    }
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$dir/data/pg_hba.conf"
  fi
  local port attempt
  # Tests need no durability; benchmarks of durable commits set PG_DURABLE=1 (PostgreSQL's
  # defaults: fsync, synchronous_commit and full_page_writes on).
  local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${PG_DURABLE:-0}" = 1 ] && durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
  # A port can be taken between choosing and binding it; try a few.
  for attempt in 1 2 3 4 5; do
    port=$(pg__free_port) || return 1
    if pg__as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir $durability -c max_connections=200" \
      start >/dev/null 2>&1; then
      echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$dir/url"
      cat "$dir/url"
      return 0
    fi
    echo "pg.sh: start attempt $attempt failed, see $dir/server.log" >&2
  done
  return 1
}

# pg_stop DIR: stops the cluster in DIR, if any, and removes DIR.
pg_stop() {
  local dir=${1:?usage: pg_stop DIR}
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    pg__as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || {
      # pg_ctl could not stop it (or it was not running): end the postmaster this cluster
      # recorded, if it is still alive, before deleting its files.
      local pid
      pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -QUIT "$pid" 2>/dev/null
        sleep 1
      fi
    }
  fi
  rm -rf "$dir"
}
