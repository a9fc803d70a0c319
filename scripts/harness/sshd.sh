#!/usr/bin/env bash
# Throwaway OpenSSH server for the SSH transport's real-engine tests.
#
#   sshd.sh start            [name]  start (or reuse) sshd on 127.0.0.1:<free port>,
#                                    print the sourceable env file on stdout
#   sshd.sh stop             [name]  stop sshd and every session it spawned, delete the state dir
#   sshd.sh env              [name]  print the env file
#   sshd.sh status           [name]  exit 0 if sshd is running and answers, 1 otherwise
#   sshd.sh kill-connections [name]  KILL every per-connection sshd process (and what they run)
#                                    but keep the listener: clients see their connection drop
#
# Debian's /usr/sbin/sshd runs with its own config (-f), in the foreground (-D), logging to
# stderr (-e) redirected to <state>/sshd.log, detached with setsid. Host key, user keys,
# authorized_keys and known_hosts are generated at start and live in the state dir; nothing
# under /etc/ssh or ~/.ssh is read or written. Needs root (sshd's privilege separation).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
LOG_TAG=berth-sshd
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

SSHD=/usr/sbin/sshd
START_TIMEOUT=${BERTH_HARNESS_START_TIMEOUT:-20}
STOP_TIMEOUT=10
MAX_STATE_LEN=80

usage() {
  echo "usage: $0 start|stop|env|status|kill-connections [name]" >&2
  exit 2
}

CMD=${1:-}
NAME=${2:-${BERTH_HARNESS_NAME:-default}}
[[ $NAME =~ ^[A-Za-z0-9_.-]+$ ]] || die "invalid harness name '$NAME'"

# --- paths ------------------------------------------------------------------

STATE=$(state_dir "${BERTH_SSHD_DIR:-}" "$REPO/.berth-harness/sshd-$NAME" "sshd-$NAME" "$MAX_STATE_LEN")

CONFIG=$STATE/sshd_config
PIDFILE=$STATE/sshd.pid
SSHD_LOG=$STATE/sshd.log
HOST_KEY=$STATE/host_ed25519_key
AUTHORIZED_KEYS=$STATE/authorized_keys
KNOWN_HOSTS=$STATE/known_hosts
IDENTITY=$STATE/id_ed25519
PASSPHRASE_IDENTITY=$STATE/id_ed25519_passphrase
PASSPHRASE_FILE=$STATE/passphrase
STRANGER_IDENTITY=$STATE/id_ed25519_stranger
NO_DOCKER_IDENTITY=$STATE/id_ed25519_no_docker
ENV_FILE=$STATE/env
MARKER=$STATE/.berth-sshd # proves the dir is ours before rm -rf
LOCK=$STATE.lock

# --- process helpers ----------------------------------------------------------



# The listener counts as ours only if its command line names our config (stale pidfiles).
ours() {
  local cl
  alive "${1:-}" || return 1
  cl=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  [[ $cl == *"$CONFIG"* ]]
}

# Every descendant of a pid. Per-connection sshd processes call setsid() and rewrite their
# command line ("sshd: root@notty"), so the process tree is the only reliable link to them.
descendants() {
  local root=$1 d pid ppid
  local -A children=()
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    ppid=$(awk '/^PPid:/ {print $2; exit}' "$d/status" 2>/dev/null) || continue
    [[ -n $ppid ]] && children[$ppid]+=" $pid"
  done
  local queue=("$root") next
  while ((${#queue[@]})); do
    next=${queue[0]}
    queue=("${queue[@]:1}")
    for pid in ${children[$next]:-}; do
      echo "$pid"
      queue+=("$pid")
    done
  done
}

terminate() {
  local signal=$1
  shift
  (($#)) || return 0
  kill "-$signal" "$@" 2>/dev/null || true
  wait_gone "$STOP_TIMEOUT" "$@" && return 0
  log "still running after ${STOP_TIMEOUT}s, sending KILL to $*"
  kill -KILL "$@" 2>/dev/null || true
}


# sshd answers with its version banner as soon as it accepts connections.
banner_ok() {
  local banner
  # shellcheck disable=SC2016 # $1 expands in the inner shell
  banner=$(timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && head -c 4 <&3' _ "$1" 2>/dev/null) || return 1
  [[ $banner == SSH- ]]
}

env_port() { sed -n 's/^export BERTH_TEST_SSH_PORT=//p' "$ENV_FILE" 2>/dev/null; }

check_health() {
  [[ -f $MARKER && -f $ENV_FILE ]] || { echo "not running (no state at $STATE)"; return 1; }
  local pid port
  pid=$(read_pid "$PIDFILE")
  ours "$pid" || { echo "unhealthy: sshd not running"; return 1; }
  port=$(env_port)
  banner_ok "$port" || { echo "unhealthy: sshd pid $pid not answering on 127.0.0.1:$port"; return 1; }
  echo "running: sshd pid $pid on 127.0.0.1:$port (state $STATE)"
}

# --- stop ---------------------------------------------------------------------

do_kill_connections() {
  local pid sessions
  pid=$(read_pid "$PIDFILE")
  ours "$pid" || die "sshd '$NAME' is not running"
  sessions=$(descendants "$pid")
  if [[ -z $sessions ]]; then
    log "no open connections on sshd '$NAME'"
    return 0
  fi
  log "killing connection processes of sshd '$NAME': ${sessions//$'\n'/ }"
  # shellcheck disable=SC2086
  terminate KILL $sessions
}

do_stop() {
  local pid pids
  if [[ ! -e $STATE ]]; then
    rm -f -- "$LOCK"
    log "nothing to stop for '$NAME' ($STATE does not exist)"
    return 0
  fi
  [[ -f $MARKER ]] || die "$STATE exists but was not created by this script; not touching it"
  pid=$(read_pid "$PIDFILE")
  if ours "$pid"; then
    # Collect the sessions first: once the listener is gone they are reparented, and a
    # stopped sshd leaves its open sessions running by design.
    pids="$pid $(descendants "$pid")"
    log "stopping sshd '$NAME' (pids ${pids//$'\n'/ })"
    # shellcheck disable=SC2086 # word splitting intended
    terminate TERM $pids
  fi
  rm -rf --one-file-system -- "$STATE"
  # Suites start many uniquely named instances: do not leave their lock files behind.
  rm -f -- "$LOCK"
  log "stopped '$NAME' and removed $STATE"
}

# --- start --------------------------------------------------------------------

keygen() { ssh-keygen -q -t ed25519 -C "$2" -N "$3" -f "$1" </dev/null >/dev/null; }

generate_keys() {
  keygen "$HOST_KEY" "berth-test-host-$NAME" ''
  keygen "$IDENTITY" "berth-test-$NAME" ''
  head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$PASSPHRASE_FILE"
  keygen "$PASSPHRASE_IDENTITY" "berth-test-passphrase-$NAME" "$(cat "$PASSPHRASE_FILE")"
  keygen "$STRANGER_IDENTITY" "berth-test-stranger-$NAME" ''
  keygen "$NO_DOCKER_IDENTITY" "berth-test-no-docker-$NAME" ''
  chmod 600 "$STATE"/id_* "$HOST_KEY" "$PASSPHRASE_FILE"
  # The no-docker key runs every command with a PATH that has no docker CLI on it, like a
  # host where docker is not installed (its stream-local forwarding still works).
  {
    cat "$IDENTITY.pub"
    cat "$PASSPHRASE_IDENTITY.pub"
    # shellcheck disable=SC2016 # $SSH_ORIGINAL_COMMAND is for sshd's shell, not this one
    printf 'command="PATH=/nonexistent; eval \\"$SSH_ORIGINAL_COMMAND\\"" %s\n' "$(cat "$NO_DOCKER_IDENTITY.pub")"
  } >"$AUTHORIZED_KEYS"
}

write_config() {
  cat >"$CONFIG" <<EOF
# Generated by scripts/harness/sshd.sh for harness '$NAME'.
Port $1
ListenAddress 127.0.0.1
HostKey $HOST_KEY
PidFile $PIDFILE
AuthorizedKeysFile $AUTHORIZED_KEYS
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
AllowStreamLocalForwarding yes
X11Forwarding no
PrintMotd no
PrintLastLog no
LogLevel VERBOSE
EOF
}

start_sshd() {
  local attempt port i
  for attempt in 1 2 3; do
    port=$(free_port)
    write_config "$port"
    "$SSHD" -t -f "$CONFIG" || die "sshd rejected its config ($CONFIG)"
    setsid nohup "$SSHD" -f "$CONFIG" -D -e </dev/null >>"$SSHD_LOG" 2>&1 9>&- &
    echo "$!" >"$PIDFILE"
    for ((i = 0; i < START_TIMEOUT * 10; i++)); do
      if banner_ok "$port"; then
        PORT=$port
        log "sshd pid $(read_pid "$PIDFILE") on 127.0.0.1:$PORT"
        return 0
      fi
      alive "$(read_pid "$PIDFILE")" || break
      sleep 0.1
    done
    # Most likely lost the race for the port: try another one.
    log "sshd did not come up on port $port (attempt $attempt)"
    alive "$(read_pid "$PIDFILE")" && terminate TERM "$(read_pid "$PIDFILE")"
  done
  tail -n 20 "$SSHD_LOG" >&2 || true
  return 1
}

write_env() {
  printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$HOST_KEY.pub")" >"$KNOWN_HOSTS"
  cat >"$ENV_FILE.tmp" <<EOF
export BERTH_TEST_SSH_HOST=ssh://root@127.0.0.1:$PORT
export BERTH_TEST_SSH_PORT=$PORT
export BERTH_TEST_SSH_IDENTITY=$IDENTITY
export BERTH_TEST_SSH_PASSPHRASE_IDENTITY=$PASSPHRASE_IDENTITY
export BERTH_TEST_SSH_PASSPHRASE=$(cat "$PASSPHRASE_FILE")
export BERTH_TEST_SSH_STRANGER_IDENTITY=$STRANGER_IDENTITY
export BERTH_TEST_SSH_NO_DOCKER_IDENTITY=$NO_DOCKER_IDENTITY
export BERTH_TEST_SSH_KNOWN_HOSTS=$KNOWN_HOSTS
export BERTH_TEST_SSH_DIR=$STATE
EOF
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

# The real OpenSSH client proves the whole setup (host key, key, root login) before tests run.
verify_login() {
  local out
  out=$(ssh -F none -n -i "$IDENTITY" -p "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes \
    -o UserKnownHostsFile="$KNOWN_HOSTS" -o GlobalKnownHostsFile=/dev/null \
    -o StrictHostKeyChecking=yes -o ConnectTimeout=5 root@127.0.0.1 echo berth-ok 2>&1) ||
    die "ssh login to the new sshd failed: $out"
  [[ $out == *berth-ok* ]] || die "unexpected ssh output: $out"
}

on_start_exit() {
  local rc=$?
  ((rc == 0)) && return
  log "start failed"
  [[ -f $SSHD_LOG ]] && tail -n 20 "$SSHD_LOG" >&2
  do_stop || true
  exit "$rc"
}

do_start() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (sshd's privilege separation needs it)"
  local tool
  for tool in "$SSHD" ssh-keygen ssh setsid timeout; do
    command -v "$tool" >/dev/null || die "$tool not found; run scripts/harness/install-deps.sh (openssh-server)"
  done

  local reason
  if reason=$(check_health); then
    log "reusing healthy sshd '$NAME': $reason"
    cat "$ENV_FILE"
    return 0
  fi
  if [[ -e $STATE ]]; then
    log "existing sshd '$NAME' is $reason; cleaning it up"
    do_stop
  fi

  mkdir -p "$STATE"
  touch "$MARKER"
  trap on_start_exit EXIT
  # Privilege separation directory; Debian creates it only from the systemd unit.
  mkdir -p /run/sshd
  chmod 0755 /run/sshd
  generate_keys
  start_sshd
  write_env
  verify_login
  trap - EXIT
  log "sshd '$NAME' ready; env file: $ENV_FILE"
  cat "$ENV_FILE"
}

# --- main ---------------------------------------------------------------------


case $CMD in
  start)
    with_lock 60
    do_start
    ;;
  stop)
    with_lock 60
    do_stop
    ;;
  env)
    [[ -f $ENV_FILE ]] || die "sshd '$NAME' is not running (no $ENV_FILE); run: $0 start"
    cat "$ENV_FILE"
    ;;
  status) check_health ;;
  kill-connections) do_kill_connections ;;
  *) usage ;;
esac
