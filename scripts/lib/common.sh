# shellcheck shell=bash
# Small helpers shared by the scripts in scripts/ (sourced, never run).
#
# Conventions: every script prints one short progress line per step, prefixed by the step's name
# ("deps: ...", "pg: ...") on stdout; errors go to stderr and stop the script.

# Guard against double sourcing (deps.sh and services.sh both source this file).
if [[ -n "${HERALD_COMMON_SH_LOADED:-}" ]]; then
  return 0
fi
HERALD_COMMON_SH_LOADED=1

# herald_say PREFIX MESSAGE...: one progress line, e.g. "pg: started on 127.0.0.1:55432".
herald_say() {
  local prefix="$1"
  shift
  printf '%s: %s\n' "$prefix" "$*"
}

# herald_warn MESSAGE...: a warning on stderr; the script goes on.
herald_warn() {
  printf 'warning: %s\n' "$*" >&2
}

# herald_die MESSAGE...: an error on stderr, then exit 1 (runs the caller's EXIT trap).
herald_die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# herald_show_tail FILE [LINES]: the last LINES (default 40) lines of FILE on stderr, framed,
# so a failure shows its cause without the user having to find the log.
herald_show_tail() {
  local file="$1" lines="${2:-40}"
  if [[ -s "$file" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
    tail -n "$lines" -- "$file" >&2
    printf -- '----- end of %s -----\n' "$file" >&2
  else
    printf '(%s is empty or missing)\n' "$file" >&2
  fi
}

# herald_random_hex BYTES: BYTES random bytes as lowercase hex (no openssl needed).
herald_random_hex() {
  od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

# herald_write_secret_once FILE COMMAND...: if FILE does not exist, write COMMAND's output to it
# with mode 600 (the file is never world-readable, not even briefly). Existing files are kept, so
# secrets are generated once per state directory.
herald_write_secret_once() {
  local file="$1"
  shift
  if [[ -s "$file" ]]; then
    chmod 600 -- "$file"
    return 0
  fi
  (
    umask 077
    "$@" >"$file.tmp"
    mv -f -- "$file.tmp" "$file"
  )
}

# herald_now_s: seconds since the epoch (for bounded waits and timings).
herald_now_s() {
  date +%s
}

# herald_pid_alive PID: true when PID is a running (not zombie) process.
herald_pid_alive() {
  local pid="$1" state
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/stat" ]] || return 1
  # Field 3 of /proc/PID/stat is the state; Z means exited but not yet reaped.
  state="$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [[ "$state" != "Z" ]]
}

# herald_read_pid FILE: the pid stored in FILE (first line), or nothing.
herald_read_pid() {
  local file="$1" pid=""
  if [[ -r "$file" ]]; then
    read -r pid <"$file" || true
  fi
  if [[ "$pid" =~ ^[0-9]+$ ]]; then
    printf '%s\n' "$pid"
  fi
}

# _herald_proc_start PID: the process's start time (clock ticks after boot, field 22 of
# /proc/PID/stat). With the pid it names one process for good: pids get reused, start times not.
_herald_proc_start() {
  local rest
  rest="$(sed -E 's/^.*\) //' "/proc/$1/stat" 2>/dev/null)" || return 1
  # After "pid (comm) " the fields start at field 3, so field 22 is the 20th.
  cut -d' ' -f20 <<<"$rest"
}

# herald_write_pid FILE PID: records PID and its start time in FILE.
herald_write_pid() {
  printf '%s %s\n' "$2" "$(_herald_proc_start "$2")" >"$1"
}

# herald_live_pid FILE: prints the pid recorded by herald_write_pid if that very process is still
# running (not a later process that got the same pid); prints nothing otherwise.
herald_live_pid() {
  local pid="" start="" _rest
  if [[ -r "$1" ]]; then
    read -r pid start _rest <"$1" || true
  fi
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  herald_pid_alive "$pid" || return 0
  if [[ -n "$start" && "$(_herald_proc_start "$pid")" != "$start" ]]; then
    return 0
  fi
  printf '%s\n' "$pid"
}

# herald_stop_pid PID NAME [TIMEOUT_S]: SIGTERM, wait up to TIMEOUT_S (default 30) for the
# process to exit, then SIGKILL. Returns 0 once the process is gone.
herald_stop_pid() {
  local pid="$1" name="$2" timeout="${3:-30}" deadline
  herald_pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(($(herald_now_s) + timeout))
  while herald_pid_alive "$pid"; do
    if (($(herald_now_s) >= deadline)); then
      herald_warn "$name (pid $pid) did not stop within ${timeout}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
      break
    fi
    sleep 0.1
  done
  # Reap it if it is our child, so it does not linger as a zombie.
  wait "$pid" 2>/dev/null || true
  return 0
}

# herald_kill_tree PID [SIGNAL]: sends SIGNAL (default TERM) to PID and all its descendants. PID is
# paused first, so it cannot start new children while they are being found.
herald_kill_tree() {
  local pid="$1" sig="${2:-TERM}" child
  kill -STOP "$pid" 2>/dev/null || return 0
  for child in $(pgrep -P "$pid" 2>/dev/null || true); do
    herald_kill_tree "$child" "$sig"
  done
  kill -"$sig" "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true
}

# herald_run_bg CMD...: runs CMD (a command or function) in the background and waits for it, and
# returns its status. Bash runs a trap only after the foreground command ends; `wait` is cut short
# by a signal instead, so a Ctrl-C or SIGTERM is handled at once even during a long build or test
# run. The trap then calls herald_kill_child.
HERALD_CHILD=""
herald_run_bg() {
  local rc=0
  "$@" &
  HERALD_CHILD=$!
  wait "$HERALD_CHILD" || rc=$?
  HERALD_CHILD=""
  return "$rc"
}

# herald_kill_child: ends the command herald_run_bg is waiting for, with all its descendants
# (SIGTERM, then SIGKILL after 10 s).
herald_kill_child() {
  local pid="$HERALD_CHILD" deadline
  HERALD_CHILD=""
  if [[ -z "$pid" ]] || ! herald_pid_alive "$pid"; then
    return 0
  fi
  herald_kill_tree "$pid" TERM
  deadline=$(($(herald_now_s) + 10))
  while herald_pid_alive "$pid" && (($(herald_now_s) < deadline)); do
    sleep 0.1
  done
  if herald_pid_alive "$pid"; then
    herald_kill_tree "$pid" KILL
  fi
  wait "$pid" 2>/dev/null || true
}
