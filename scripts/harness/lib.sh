# shellcheck shell=bash
# Shared by engine.sh, podman.sh and sshd.sh: logging, process checks and waits, a free port, the
# per-harness lock, the state dir rule, and for the engines: daemons, unmounting, the registry
# and the seed image. Sourced, not run. The caller sets LOG_TAG before sourcing (and STATE,
# STOP_TIMEOUT, REGISTRY_* before calling the engine helpers).

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

# --- daemons, registry and seed image (engine.sh and podman.sh) -----------------

# Children must not inherit the lock fd (the lock would live as long as
# dockerd) nor the caller's stdio (a test runner would wait for EOF forever).
spawn() {
  local logfile=$1
  shift
  setsid nohup "$@" </dev/null >>"$logfile" 2>&1 9>&- &
  SPAWNED=$!
}

# wait_gone SECONDS PID...: succeeds once none of the pids is alive, fails if some still are
# after SECONDS.
wait_gone() {
  local seconds=$1 i p left
  shift
  for ((i = 0; i < seconds * 10; i++)); do
    left=0
    for p in "$@"; do alive "$p" && left=1; done
    ((left)) || return 0
    sleep 0.1
  done
  return 1
}

# TERM, wait up to STOP_TIMEOUT seconds, then KILL.
terminate() {
  local what=$1
  shift
  (($#)) || return 0
  log "stopping $what (pid $*)"
  kill -TERM "$@" 2>/dev/null || true
  wait_gone "$STOP_TIMEOUT" "$@" && return 0
  log "$what still running after ${STOP_TIMEOUT}s, sending KILL"
  kill -KILL "$@" 2>/dev/null || true
  wait_gone 5 "$@" || true
}

# Mount points under $STATE, deepest first (/proc/self/mountinfo field 5 is the mount point).
mounts_under() {
  awk -v p="$STATE/" 'index($5, p) == 1 { print length($5), $5 }' /proc/self/mountinfo |
    sort -rn | cut -d' ' -f2-
}

# Unmounts everything under $STATE (overlay, netns and bind mounts); fails when some remain.
unmount_state() {
  local m i
  for ((i = 0; i < 3; i++)); do
    [[ -n $(mounts_under) ]] || break
    while read -r m; do
      [[ -n $m ]] || continue
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done < <(mounts_under)
  done
  if [[ -n $(mounts_under) ]]; then
    mounts_under >&2
    die "mounts remain under $STATE; not deleting it"
  fi
}

registry_ok() {
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$1/v2/" 2>/dev/null) == 200 ]]
}

# A Debian docker-registry on a free 127.0.0.1 port, no auth, no TLS. Uses REGISTRY_DATA,
# REGISTRY_CONF, REGISTRY_LOG and REGISTRY_PIDFILE; sets REGISTRY=127.0.0.1:PORT.
start_registry() {
  local attempt port
  mkdir -p "$REGISTRY_DATA"
  for attempt in 1 2 3; do
    port=$(free_port)
    cat >"$REGISTRY_CONF" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $REGISTRY_DATA
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  headers:
    X-Content-Type-Options: [nosniff]
EOF
    spawn "$REGISTRY_LOG" docker-registry serve "$REGISTRY_CONF"
    echo "$SPAWNED" >"$REGISTRY_PIDFILE"
    local i
    for ((i = 0; i < 80; i++)); do
      if registry_ok "127.0.0.1:$port"; then
        REGISTRY=127.0.0.1:$port
        log "registry pid $SPAWNED on $REGISTRY"
        return 0
      fi
      alive "$SPAWNED" || break
      sleep 0.25
    done
    # Most likely lost the race for the port: try another one.
    log "registry did not come up on port $port (attempt $attempt)"
    alive "$SPAWNED" && terminate registry "$SPAWNED"
  done
  tail -n 20 "$REGISTRY_LOG" >&2 || true
  return 1
}

# seed_rootfs_tar FILE: the seed image's root file system as a tar: a static busybox with every
# applet linked in /bin, /etc/passwd with root and nobody. Reproducible (sorted, mtime 0).
seed_rootfs_tar() {
  local target=$1 busybox=/bin/busybox rootfs=$1.rootfs applet
  [[ -x $busybox ]] || die "$busybox missing (install busybox-static: scripts/harness/install-deps.sh)"
  # The rootfs must run without a libc: insist on the static build.
  dpkg-query -W -f='${db:Status-Status}' busybox-static 2>/dev/null | grep -qx installed ||
    die "busybox-static is not installed (scripts/harness/install-deps.sh)"

  rm -rf "$rootfs"
  mkdir -p "$rootfs"/{bin,etc,tmp,root,proc,sys,dev}
  chmod 1777 "$rootfs/tmp"
  cp "$busybox" "$rootfs/bin/busybox"
  # The applets tests rely on, then every other applet busybox offers.
  for applet in sh echo cat ls true false sleep env mkdir rm touch test wc id \
    $("$busybox" --list); do
    [[ -e $rootfs/bin/$applet || $applet == busybox ]] || ln -s busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  tar -C "$rootfs" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
    -cf "$target" .
  rm -rf "$rootfs"
}

# The start trap of the engines: on failure, the tail of the daemon's log ($START_LOG, named
# $START_LOG_LABEL), then the half-started harness is stopped (do_stop) unless
# BERTH_HARNESS_KEEP_ON_FAILURE is set.
on_start_exit() {
  local rc=$?
  ((rc == 0)) && return
  log "start failed"
  if [[ -f $START_LOG ]]; then
    log "$START_LOG_LABEL log tail ($START_LOG):"
    tail -n 30 "$START_LOG" >&2 || true
  fi
  if [[ -n ${BERTH_HARNESS_KEEP_ON_FAILURE:-} ]]; then
    log "BERTH_HARNESS_KEEP_ON_FAILURE set: leaving $STATE for inspection"
  else
    do_stop || true
  fi
  exit "$rc"
}

# start_engine_harness ROOT_REASON LOG_LABEL LOG_FILE "TOOL..." STEP...: the `start` of
# engine.sh and podman.sh. Checks root and the tools, reuses a healthy harness (check_health)
# or cleans up a broken one (do_stop), then runs the start steps in order under on_start_exit
# and prints the env file ($ENV_FILE, in $STATE with $MARKER).
start_engine_harness() {
  local root_reason=$1 tool step reason t0
  START_LOG_LABEL=$2
  START_LOG=$3
  [[ $(id -u) -eq 0 ]] || die "must run as root$root_reason"
  # shellcheck disable=SC2086 # the tool list is split on purpose
  for tool in $4; do
    command -v "$tool" >/dev/null || die "$tool not found; run scripts/harness/install-deps.sh"
  done
  shift 4

  if reason=$(check_health); then
    log "reusing healthy harness '$NAME': $reason"
    cat "$ENV_FILE"
    return 0
  fi
  if [[ -e $STATE ]]; then
    log "existing harness '$NAME' is $reason; cleaning it up"
    do_stop
  fi

  t0=$SECONDS
  mkdir -p "$STATE"
  touch "$MARKER"
  trap on_start_exit EXIT
  for step in "$@"; do "$step"; done
  trap - EXIT
  log "harness '$NAME' ready in $((SECONDS - t0))s; env file: $ENV_FILE"
  cat "$ENV_FILE"
}
