# shellcheck shell=bash
# Local PostgreSQL 15 and Redis servers for scripts/start (persistent, password-protected) and
# scripts/test (throwaway, fast, no auth), plus a few waiting helpers. Sourced, never run.
#
#   herald_free_port                       print a free TCP port on 127.0.0.1
#   herald_port_in_use PORT                true when something accepts connections on 127.0.0.1:PORT
#   pg_start [--test] DATA_DIR PORT        initdb if needed, then start (waits until ready, <= 60 s)
#   pg_is_running DATA_DIR                 true when the server of DATA_DIR is running
#   pg_stop DATA_DIR                       fast shutdown (idempotent)
#   pg_ensure_role_db DATA_DIR ROLE DB [PASSWORD_FILE]
#                                          create ROLE (LOGIN) and DB owned by it, if absent; with
#                                          PASSWORD_FILE, set the role's password from it
#   pg_grant_createdb DATA_DIR ROLE        let ROLE create databases (the integration tests give
#                                          each herald process a database of its own)
#   pg_remove_data DATA_DIR                delete DATA_DIR (and its relocated target, see below)
#   redis_start [--test] DIR PORT [PASSWORD]
#                                          start redis-server daemonized (waits until ready, <= 30 s)
#   redis_is_running DIR                   true when the redis-server of DIR is running
#   redis_stop DIR                         SIGTERM, then SIGKILL after 30 s (idempotent)
#   wait_http URL TIMEOUT_S [PID]          wait for a 2xx answer; give up early if PID exits
#
# --test means: no password on TCP (trust), fsync off (PostgreSQL), no persistence (Redis).
# Without it: scram-sha-256 passwords for TCP logins, durable settings, Redis AOF + requirepass.
#
# Running as root, PostgreSQL runs as the unprivileged `postgres` user (it refuses to run as
# root): its data directory is owned by `postgres`, mode 700, and the directories above it must
# be traversable by that user. When they are not (a project under /root, say), the data lives in
# /var/lib/herald/<hash of DATA_DIR>/ and DATA_DIR becomes a symlink to it. The server's Unix
# socket is in the data directory, so nothing under /var/run is needed.

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HERALD_PG_BIN="${HERALD_PG_BIN:-/usr/lib/postgresql/15/bin}"
# Where data directories go when the postgres user cannot reach the requested path.
HERALD_PG_RELOCATE_BASE="${HERALD_PG_RELOCATE_BASE:-/var/lib/herald}"

# ---------------------------------------------------------------------------------------------
# Ports and HTTP

# herald_free_port: prints a TCP port in 20000-31999 that no socket on this machine uses. That
# range lies below Linux's default ephemeral range (32768-60999), so outgoing connections do not
# take it meanwhile. Call it right before binding the port: another process could still take it
# first, and then the server's start fails loudly.
herald_free_port() {
  local -A used=()
  local file laddr _rest port _try
  for file in /proc/net/tcp /proc/net/tcp6; do
    [[ -r "$file" ]] || continue
    # Lines look like "  0: 0100007F:1F90 00000000:0000 0A ...": the local port is hex.
    while read -r _ laddr _rest; do
      [[ "$laddr" == *:* ]] || continue
      used[$((16#${laddr##*:}))]=1
    done <"$file"
  done
  for _try in {1..100}; do
    port=$((20000 + RANDOM % 12000))
    if [[ -z "${used[$port]:-}" ]] && ! herald_port_in_use "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  herald_die "could not find a free TCP port on 127.0.0.1"
}

# herald_port_in_use PORT: true when a TCP connect to 127.0.0.1:PORT succeeds (bounded to 2 s).
herald_port_in_use() {
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash, on purpose.
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# wait_http URL TIMEOUT_S [PID]: polls URL until it answers 2xx. Returns 1 after TIMEOUT_S
# seconds, or as soon as PID (when given) is no longer alive.
wait_http() {
  local url="$1" timeout_s="$2" pid="${3:-}" deadline
  deadline=$(($(herald_now_s) + timeout_s))
  while true; do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
      return 0
    fi
    if [[ -n "$pid" ]] && ! herald_pid_alive "$pid"; then
      return 1
    fi
    if (($(herald_now_s) >= deadline)); then
      return 1
    fi
    sleep 0.25
  done
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

# _pg_as CMD...: runs CMD as the user that owns the PostgreSQL data (postgres when we are root),
# from / so that an unreadable current directory (like /root) does not bother it.
_pg_as() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# _pg_real_dir DATA_DIR: the directory that really holds the data (DATA_DIR, or its symlink's
# target when it was relocated).
_pg_real_dir() {
  if [[ -L "$1" ]]; then
    readlink -f -- "$1"
  else
    printf '%s\n' "$1"
  fi
}

# _pg_prepare_dir DATA_DIR: creates the data directory with the right owner and mode; relocates it
# when the postgres user cannot traverse to it. Prints the real directory.
_pg_prepare_dir() {
  local data_dir="$1" parent real hash
  if [[ -L "$data_dir" ]]; then
    real="$(readlink -f -- "$data_dir")"
  else
    parent="$(dirname -- "$data_dir")"
    mkdir -p -- "$parent"
    real="$data_dir"
    if ((EUID == 0)) && ! runuser -u postgres -- test -x "$parent" 2>/dev/null; then
      # The postgres user cannot reach $parent (e.g. it is under /root): keep the data in a place
      # it can reach and leave a symlink where the caller expects the directory.
      if [[ -d "$data_dir" ]] && ! rmdir -- "$data_dir" 2>/dev/null; then
        herald_die "pg: the postgres user cannot reach $data_dir (not empty, so not moved); fix the permissions of $parent"
      fi
      hash="$(printf '%s' "$(cd -- "$parent" && pwd -P)/$(basename -- "$data_dir")" | sha256sum | cut -c1-12)"
      real="$HERALD_PG_RELOCATE_BASE/$hash/$(basename -- "$data_dir")"
      mkdir -p -- "$(dirname -- "$real")"
      chmod 755 -- "$HERALD_PG_RELOCATE_BASE" "$(dirname -- "$real")"
      ln -sfn -- "$real" "$data_dir"
      herald_say pg "the postgres user cannot reach $parent; data lives in $real (symlinked from $data_dir)" >&2
    fi
  fi
  mkdir -p -- "$real"
  if ((EUID == 0)); then
    chown postgres:postgres -- "$real"
  fi
  chmod 700 -- "$real"
  printf '%s\n' "$real"
}

# _pg_postmaster_field DATA_DIR LINE: a line of postmaster.pid (1: pid, 4: port).
_pg_postmaster_field() {
  local real
  real="$(_pg_real_dir "$1")"
  sed -n "${2}p" "$real/postmaster.pid" 2>/dev/null
}

pg_is_running() {
  local real
  real="$(_pg_real_dir "$1")"
  [[ -f "$real/PG_VERSION" ]] || return 1
  _pg_as "$HERALD_PG_BIN/pg_ctl" status -D "$real" >/dev/null 2>&1
}

pg_start() {
  local test_mode=0
  if [[ "${1:-}" == "--test" ]]; then
    test_mode=1
    shift
  fi
  (($# == 2)) || herald_die "usage: pg_start [--test] DATA_DIR PORT"
  local data_dir="$1" port="$2" real log running_port

  [[ -x "$HERALD_PG_BIN/pg_ctl" ]] ||
    herald_die "pg: $HERALD_PG_BIN/pg_ctl not found (package postgresql-15)"
  if ((EUID == 0)) && ! id postgres >/dev/null 2>&1; then
    herald_die "pg: running as root needs the 'postgres' system user (package postgresql-15)"
  fi

  if pg_is_running "$data_dir"; then
    running_port="$(_pg_postmaster_field "$data_dir" 4)"
    if [[ "$running_port" != "$port" ]]; then
      herald_die "pg: the server of $data_dir already runs on port $running_port, not $port; stop it first"
    fi
    herald_say pg "already running on 127.0.0.1:$port"
    return 0
  fi
  if herald_port_in_use "$port"; then
    herald_die "pg: port $port on 127.0.0.1 is already taken by another program"
  fi

  real="$(_pg_prepare_dir "$data_dir")"
  # A Unix socket path is limited to 107 bytes; the socket lives in the data directory.
  if ((${#real} + ${#port} + 10 > 107)); then
    herald_die "pg: the path $real is too long for a Unix socket; use a shorter project path"
  fi

  if [[ ! -f "$real/PG_VERSION" ]]; then
    herald_say pg "initializing $data_dir"
    local auth_host=trust pwfile="" initdb_args=(--no-instructions)
    if ((test_mode)); then
      initdb_args+=(--no-sync) # a throwaway cluster need not be flushed to disk
    else
      # initdb insists on a superuser password when TCP logins use passwords. The superuser only
      # ever connects through the Unix socket (trust, and the socket sits in a mode-700
      # directory), so this password is random and deliberately not kept.
      auth_host=scram-sha-256
      pwfile="$(mktemp)"
      herald_random_hex 24 >"$pwfile"
      if ((EUID == 0)); then
        chown postgres -- "$pwfile"
      fi
      initdb_args+=("--pwfile=$pwfile")
    fi
    log="$(mktemp -t herald-initdb.XXXXXX.log)"
    if ! _pg_as "$HERALD_PG_BIN/initdb" -D "$real" --username=postgres --encoding=UTF8 \
      --locale=C.UTF-8 --auth-local=trust --auth-host="$auth_host" "${initdb_args[@]}" \
      >"$log" 2>&1; then
      [[ -z "$pwfile" ]] || rm -f -- "$pwfile"
      herald_show_tail "$log"
      herald_die "pg: initdb failed"
    fi
    [[ -z "$pwfile" ]] || rm -f -- "$pwfile"
    rm -f -- "$log"
    # Our settings live in herald.conf, rewritten at every start (the port may change).
    printf "\n# Added by Herald's scripts: local settings, rewritten at every start.\ninclude_if_exists = 'herald.conf'\n" |
      _pg_as tee -a "$real/postgresql.conf" >/dev/null
  fi

  local settings
  settings="# Written by scripts/lib/services.sh at every start; edits are lost.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '${real//\'/\'\'}'
"
  if ((test_mode)); then
    settings+="# Throwaway test server: speed over durability.
fsync = off
synchronous_commit = off
full_page_writes = off
"
  fi
  printf '%s' "$settings" | _pg_as tee "$real/herald.conf" >/dev/null

  log="$real/server.log"
  herald_say pg "starting on 127.0.0.1:$port"
  # -w waits until the server accepts connections; -t bounds that wait.
  if ! _pg_as "$HERALD_PG_BIN/pg_ctl" start -D "$real" -l "$log" -w -t 60 >/dev/null 2>&1; then
    herald_show_tail "$log"
    herald_die "pg: the server did not start within 60 s (log: $log)"
  fi
}

pg_stop() {
  local data_dir="$1" real
  real="$(_pg_real_dir "$data_dir")"
  if ! pg_is_running "$data_dir"; then
    return 0
  fi
  # Fast mode: roll back open transactions, disconnect clients, shut down cleanly.
  if ! _pg_as "$HERALD_PG_BIN/pg_ctl" stop -D "$real" -m fast -w -t 60 >/dev/null 2>&1; then
    herald_warn "pg: fast shutdown took over 60 s; using immediate mode"
    _pg_as "$HERALD_PG_BIN/pg_ctl" stop -D "$real" -m immediate -w -t 30 >/dev/null 2>&1 || true
  fi
  if pg_is_running "$data_dir"; then
    herald_die "pg: the server of $data_dir is still running"
  fi
}

# _pg_psql DATA_DIR: psql as the superuser over the Unix socket, reading SQL from stdin.
_pg_psql() {
  local real port
  real="$(_pg_real_dir "$1")"
  port="$(_pg_postmaster_field "$1" 4)"
  [[ -n "$port" ]] || herald_die "pg: the server of $1 is not running"
  PGCONNECT_TIMEOUT=10 "$HERALD_PG_BIN/psql" --no-psqlrc -q -X -v ON_ERROR_STOP=1 \
    -h "$real" -p "$port" -U postgres -d postgres
}

pg_ensure_role_db() {
  local data_dir="$1" role="$2" db="$3" password_file="${4:-}" password="" sql
  # Names go into SQL unquoted: accept only plain identifiers.
  [[ "$role" =~ ^[a-z_][a-z0-9_]*$ && "$db" =~ ^[a-z_][a-z0-9_]*$ ]] ||
    herald_die "pg: role and database names must match [a-z_][a-z0-9_]*"
  if [[ -n "$password_file" ]]; then
    password="$(<"$password_file")"
    [[ "$password" =~ ^[A-Za-z0-9]+$ ]] ||
      herald_die "pg: the password in $password_file must be alphanumeric"
  fi
  # The SQL (and so the password) goes through stdin, never through a command line.
  sql="DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN;
  END IF;
END \$\$;
"
  if [[ -n "$password" ]]; then
    sql+="ALTER ROLE $role PASSWORD '$password';
"
  fi
  sql+="SELECT 'CREATE DATABASE $db OWNER $role'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db') \\gexec
"
  if ! printf '%s' "$sql" | _pg_psql "$data_dir" >/dev/null; then
    herald_die "pg: could not create role '$role' and database '$db'"
  fi
}

pg_grant_createdb() {
  local data_dir="$1" role="$2"
  [[ "$role" =~ ^[a-z_][a-z0-9_]*$ ]] || herald_die "pg: role names must match [a-z_][a-z0-9_]*"
  if ! printf 'ALTER ROLE %s CREATEDB;\n' "$role" | _pg_psql "$data_dir" >/dev/null; then
    herald_die "pg: could not let role '$role' create databases"
  fi
}

pg_remove_data() {
  local data_dir="$1" target
  if [[ -L "$data_dir" ]]; then
    target="$(readlink -f -- "$data_dir")"
    rm -rf -- "$target"
    # Remove /var/lib/herald/<hash>/ and /var/lib/herald/ too when nothing else is left in them.
    rmdir -- "$(dirname -- "$target")" "$(dirname -- "$(dirname -- "$target")")" 2>/dev/null || true
    rm -f -- "$data_dir"
  else
    rm -rf -- "$data_dir"
  fi
}

# ---------------------------------------------------------------------------------------------
# Redis

_redis_pid() {
  local pid
  pid="$(herald_read_pid "$1/redis.pid")"
  # Check the pid is still a redis-server, not a recycled pid of something else.
  if [[ -n "$pid" ]] && herald_pid_alive "$pid" &&
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == redis-server* ]]; then
    printf '%s\n' "$pid"
  fi
}

redis_is_running() {
  [[ -n "$(_redis_pid "$1")" ]]
}

redis_start() {
  local test_mode=0
  if [[ "${1:-}" == "--test" ]]; then
    test_mode=1
    shift
  fi
  (($# == 2 || $# == 3)) || herald_die "usage: redis_start [--test] DIR PORT [PASSWORD]"
  local dir="$1" port="$2" password="${3:-}" args=() deadline

  command -v redis-server >/dev/null 2>&1 || herald_die "redis: redis-server not found (package redis-server)"
  mkdir -p -- "$dir"
  dir="$(cd -- "$dir" && pwd -P)"
  chmod 700 -- "$dir"

  if redis_is_running "$dir"; then
    herald_say redis "already running"
    return 0
  fi
  if herald_port_in_use "$port"; then
    herald_die "redis: port $port on 127.0.0.1 is already taken by another program"
  fi

  if [[ -n "$password" ]]; then
    # The password goes in a mode-600 config file, not on the command line where ps shows it.
    (
      umask 077
      printf 'requirepass %s\n' "$password" >"$dir/auth.conf"
    )
    args+=("$dir/auth.conf")
  fi
  args+=(--bind 127.0.0.1 --protected-mode yes --port "$port" --dir "$dir"
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log")
  if ((test_mode)); then
    args+=(--save '' --appendonly no)
  else
    args+=(--appendonly yes)
  fi

  herald_say redis "starting on 127.0.0.1:$port"
  rm -f -- "$dir/redis.pid"
  if ! redis-server "${args[@]}" >/dev/null 2>&1; then
    herald_show_tail "$dir/redis.log"
    herald_die "redis: redis-server failed to start"
  fi
  # --daemonize returns before the server listens: wait (bounded) for an answer to PING.
  deadline=$(($(herald_now_s) + 30))
  until REDISCLI_AUTH="$password" timeout 2 redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; do
    if (($(herald_now_s) >= deadline)); then
      herald_show_tail "$dir/redis.log"
      herald_die "redis: no answer on 127.0.0.1:$port within 30 s"
    fi
    sleep 0.1
  done
}

redis_stop() {
  local dir="$1" pid
  [[ -d "$dir" ]] || return 0
  pid="$(_redis_pid "$dir")"
  [[ -n "$pid" ]] || return 0
  # SIGTERM makes Redis save (if persistence is on) and exit cleanly.
  herald_stop_pid "$pid" redis-server 30
}
