# shellcheck shell=bash
# Helpers for the peer scripts (rgw.sh, nginx.sh): sourced, not run.
#
# A peer is started in a temporary directory of its own; what `stop` needs (that directory, the PIDs,
# the endpoint) is written to "$PEERS_STATE/<peer>.env", a file of shell assignments that `start` also
# prints, so a caller can `eval "$(bash .ci/peers/rgw.sh start)"`. Every wait is bounded in tries and
# in time; nothing is ever killed by name.

PEERS_STATE=${MIRRORSPEC_PEERS_STATE:-${TMPDIR:-/tmp}/mirrorspec-peers}

say() { printf '%s: %s\n' "${PEER:-peer}" "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

# Seconds since the epoch with milliseconds, for the timings printed at the end of a start.
now() { date +%s.%N | cut -c1-14; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Installs Debian's packages that are missing (as root), with a bounded wait for the dpkg lock, which
# another install on the machine may hold. The lists are refreshed only when the first try fails.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages (${missing[*]}); install them as root or run this as root"
  say "installing ${missing[*]}"
  local apt=(env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get -o DPkg::Lock::Timeout=300 -y -q
    --no-install-recommends install)
  if ! "${apt[@]}" "${missing[@]}" >&2; then
    timeout 600 apt-get -o DPkg::Lock::Timeout=300 -q update >&2 || die "apt-get update failed"
    "${apt[@]}" "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
  fi
}

# Fails when something already listens on 127.0.0.1:<port>, naming the port, so a busy port is a clear
# error at once and never a daemon that dies later in its log.
port_free() {
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "127.0.0.1:$port is already in use (set the port's variable to another one in 17480-17499)"
    fi
  done
}

# wait_for <seconds> <description> <command...>: runs the command every 0.1 s until it succeeds, at most
# <seconds> long and 10 × <seconds> tries; a process given in WAIT_PIDS that exits ends the wait early.
wait_for() {
  local seconds=$1 what=$2 tries
  shift 2
  local deadline
  deadline=$(($(date +%s) + seconds))
  for ((tries = 0; tries < seconds * 10; tries++)); do
    "$@" >/dev/null 2>&1 && return 0
    local pid
    for pid in ${WAIT_PIDS:-}; do
      kill -0 "$pid" 2>/dev/null || {
        say "$what: process $pid exited"
        return 1
      }
    done
    [ "$(date +%s)" -lt "$deadline" ] || break
    sleep 0.1
  done
  say "$what: no answer within ${seconds}s"
  return 1
}

# Starts a daemon in the foreground mode of its own, in the background, detached from the caller's
# terminal and session; prints its PID (setsid execs in place, so $! is the daemon itself).
spawn() {
  local log=$1
  shift
  setsid "$@" </dev/null >>"$log" 2>&1 &
  echo $!
}

# Stops PIDs with SIGTERM, waits up to <seconds> for them to exit, then SIGKILLs what is left.
stop_pids() {
  local seconds=$1 pid tries alive
  shift
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for ((tries = 0; tries < seconds * 10; tries++)); do
    alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && return 0
    sleep 0.1
  done
  for pid in "$@"; do
    if kill -0 "$pid" 2>/dev/null; then
      say "process $pid did not exit within ${seconds}s of SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

# Refuses to start twice; a state file whose processes are all gone (a run that was killed) is removed
# with its directory, so the next start is not blocked by it.
check_not_started() {
  local file="$PEERS_STATE/$PEER.env" pid
  [ -f "$file" ] || return 0
  local dir
  dir=$(sed -n 's/^[A-Z_]*_DIR=//p' "$file")
  for pid in $(sed -n 's/^[A-Z_]*_PIDS=//p' "$file" | tr ',' ' '); do
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "${dir:-/nonexistent}" && die "already running (PID $pid, $file); run 'bash $0 stop' first"
  done
  say "removing the state of a start whose processes are gone ($file)"
  stop_peer 1 >/dev/null 2>&1
}

# Writes the state file and prints it. Values must not need quoting (paths from mktemp, ports, keys).
write_state() {
  mkdir -p "$PEERS_STATE"
  printf '%s\n' "$@" >"$PEERS_STATE/$PEER.env"
  cat "$PEERS_STATE/$PEER.env"
}

# Stops the peer recorded in the state file: its PIDs (in reverse start order), then its directory.
stop_peer() {
  local file="$PEERS_STATE/$PEER.env" seconds=${1:-20}
  [ -f "$file" ] || {
    say "not running (no $file)"
    return 0
  }
  local dir pids
  dir=$(sed -n 's/^[A-Z_]*_DIR=//p' "$file")
  pids=$(sed -n 's/^[A-Z_]*_PIDS=//p' "$file" | tr ',' ' ')
  # Only a process whose command line names the peer's directory is ours: a PID of a start long gone
  # may since have been given to another process.
  local reversed="" pid
  for pid in $pids; do
    if [ -n "$dir" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$dir"; then
      reversed="$pid $reversed"
    fi
  done
  # shellcheck disable=SC2086 # a list of PIDs
  [ -n "$reversed" ] && stop_pids "$seconds" $reversed
  case "$dir" in
    "${TMPDIR:-/tmp}"/mirrorspec-"$PEER".*) rm -rf "$dir" ;;
    "") ;;
    *) say "not removing $dir: not a directory this script made" ;;
  esac
  rm -f "$file"
  say "stopped"
}
