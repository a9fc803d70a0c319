# shellcheck shell=bash
# Shared by engine.sh and sshd.sh: logging, process checks, a free port, the per-harness lock
# and the state dir rule. Sourced, not run. The caller sets LOG_TAG before sourcing.

log() { printf '[%s] %s\n' "${LOG_TAG:-berth-harness}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Whether a pid is alive and not a zombie (pid 1 may reap orphans late here).
alive() {
  local stat
  [[ -n ${1:-} ]] && read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

read_pid() { tr -dc '0-9' 2>/dev/null <"$1" || true; }

# A free TCP port on 127.0.0.1 (bound, read, released).
free_port() {
  if command -v node >/dev/null; then
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  else
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'
  fi
}

# Serialises start/stop of one harness name across processes (fd 9 on $LOCK).
with_lock() {
  mkdir -p "$(dirname "$LOCK")"
  exec 9>"$LOCK"
  flock -w "${1:-180}" 9 || die "timed out waiting for lock $LOCK"
}

# state_dir OVERRIDE DEFAULT SUFFIX MAX_LENGTH: the state dir of a harness. OVERRIDE (an env
# value) wins; else DEFAULT, or a short per-checkout dir under /tmp when DEFAULT is longer than
# MAX_LENGTH (Unix socket paths are limited to ~107 bytes). Paths end up unquoted in config
# and env files, so only plain characters are accepted.
state_dir() {
  local override=$1 default=$2 suffix=$3 max_length=$4 state
  if [[ -n $override ]]; then
    state=$(realpath -m -- "$override")
  elif ((${#default} > max_length)); then
    state=/tmp/berth-$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)-$suffix
  else
    state=$default
  fi
  [[ $state =~ ^/[A-Za-z0-9_./+-]+$ && $state != / ]] || die "unsupported state dir path '$state'"
  printf '%s\n' "$state"
}
