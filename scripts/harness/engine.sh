#!/usr/bin/env bash
# Throwaway Docker engine + local registry for Berth's real-engine tests.
#
#   engine.sh start  [name]   start (or reuse) engine + registry, seed images,
#                             print the sourceable env file on stdout
#   engine.sh stop   [name]   stop everything, unmount, delete the state dir
#   engine.sh env    [name]   print the env file
#   engine.sh status [name]   exit 0 if running and healthy, 1 otherwise
#
# Everything lives in one state dir; nothing touches an engine the user
# already runs (own socket, data-root, exec-root, containerd, no iptables).
# Needs root. See README.md next to this file.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
LOG_TAG=berth-harness
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
# BERTH_HARNESS_ENGINE_ROOT: another engine version unpacked by fetch-engine.sh (e.g. Engine
# 26.1 from Debian trixie). Its dockerd and containerd come first on PATH; runc stays the
# machine's own.
if [[ -n ${BERTH_HARNESS_ENGINE_ROOT:-} ]]; then
  [[ -x $BERTH_HARNESS_ENGINE_ROOT/usr/sbin/dockerd ]] || {
    echo "BERTH_HARNESS_ENGINE_ROOT=$BERTH_HARNESS_ENGINE_ROOT holds no usr/sbin/dockerd" >&2
    exit 1
  }
  export PATH="$BERTH_HARNESS_ENGINE_ROOT/usr/sbin:$BERTH_HARNESS_ENGINE_ROOT/usr/bin:$PATH"
  # The machine's runc (bookworm's) must be the one found: newer suites' runc needs a newer
  # glibc, so fetch-engine.sh never unpacks one.
  [[ $(command -v runc || true) != "$BERTH_HARNESS_ENGINE_ROOT"/* ]] ||
    { echo "$BERTH_HARNESS_ENGINE_ROOT holds a runc; remove it so that the machine's runc is used" >&2; exit 1; }
fi
# BERTH_HARNESS_CONTAINERD_STORE=1: the containerd image store (daemon feature
# containerd-snapshotter; Engine 29 makes it the default). Needs Engine >= 24; the harness
# uses it with Engine 28.5 (fetch-engine.sh 28.5).
containerd_store_wanted() { [[ ${BERTH_HARNESS_CONTAINERD_STORE:-} == 1 ]]; }

API=v1.41
SEED_REPO=berth-test/busybox
SEED_TAG=latest
START_TIMEOUT=${BERTH_HARNESS_START_TIMEOUT:-60}
STOP_TIMEOUT=20
# Unix socket paths must stay under ~107 bytes. The longest one we create is
# <state>/exec/containerd/containerd-debug.sock (state + 37 bytes).
MAX_STATE_LEN=64

usage() {
  echo "usage: $0 start|stop|env|status [name]" >&2
  exit 2
}

CMD=${1:-}
NAME=${2:-${BERTH_HARNESS_NAME:-default}}
[[ $NAME =~ ^[A-Za-z0-9_.-]+$ ]] || die "invalid harness name '$NAME'"

# --- paths ------------------------------------------------------------------

STATE=$(state_dir "${BERTH_HARNESS_DIR:-}" "$REPO/.berth-harness/$NAME" "$NAME" "$MAX_STATE_LEN")
((${#STATE} <= MAX_STATE_LEN)) ||
  die "state dir '$STATE' is longer than $MAX_STATE_LEN chars (unix socket path limit); set BERTH_HARNESS_DIR to a shorter path"

DATA=$STATE/data
EXEC=$STATE/exec
SOCK=$STATE/docker.sock
DOCKERD_PIDFILE=$STATE/dockerd.pid
DOCKERD_LOG=$STATE/dockerd.log
CONTAINERD_DIR=$EXEC/containerd
CONTAINERD_PIDFILE=$CONTAINERD_DIR/containerd.pid
REGISTRY_PIDFILE=$STATE/registry.pid
REGISTRY_LOG=$STATE/registry.log
REGISTRY_CONF=$STATE/registry.yml
REGISTRY_DATA=$STATE/registry-data
ENV_FILE=$STATE/env
MARKER=$STATE/.berth-harness # proves the dir is ours before rm -rf
LOCK=$STATE.lock

# --- optional TLS listener (BERTH_HARNESS_TLS=1) -------------------------------
# Added for @berth/transport-tcp. When BERTH_HARNESS_TLS=1, the same dockerd also
# listens on tcp://127.0.0.1:<free port> with --tlsverify, using certificates made by
# tls.sh in <state>/tls, and the env file gains BERTH_TEST_TLS_HOST and
# BERTH_TEST_TLS_CERTS (ca.pem/cert.pem/key.pem for the client, fault certs too).
TLS_DIR=$STATE/tls
TLS_ARGS=()
TLS_HOST=

tls_wanted() { [[ ${BERTH_HARNESS_TLS:-} == 1 ]]; }

tls_prepare() {
  tls_wanted || return 0
  bash "$SCRIPT_DIR/tls.sh" certs "$TLS_DIR" >/dev/null
  TLS_HOST=tcp://127.0.0.1:$(free_port)
  TLS_ARGS=(-H "$TLS_HOST" --tlsverify --tlscacert "$TLS_DIR/ca.pem"
    --tlscert "$TLS_DIR/server-cert.pem" --tlskey "$TLS_DIR/server-key.pem")
}

# Healthy when TLS was not asked for, or the TLS listener answers with the client cert.
tls_health() {
  local host
  host=$(sed -n 's/^export BERTH_TEST_TLS_HOST=//p' "$ENV_FILE")
  if [[ -z $host ]]; then
    tls_wanted && { echo "unhealthy: started without BERTH_HARNESS_TLS=1"; return 1; }
    return 0
  fi
  [[ $(curl -s --max-time 2 --cacert "$TLS_DIR/ca.pem" --cert "$TLS_DIR/cert.pem" --key "$TLS_DIR/key.pem" \
    "https://${host#tcp://}/_ping" 2>/dev/null) == OK ]] || { echo "unhealthy: TLS listener $host not answering"; return 1; }
}

# --- process helpers ----------------------------------------------------------

# Alive and not a zombie (our daemons are reparented, so zombies can linger).

# A pid only counts as ours if its command line mentions this state dir
# (guards against stale pidfiles whose pid was reused).
ours() {
  local cl
  alive "${1:-}" || return 1
  cl=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  [[ $cl == *"$STATE/"* ]]
}

# Every harness daemon still running for this state dir: dockerd, its
# containerd, containerd shims (-address <exec>/containerd/...), registry.
harness_pids() {
  local d pid comm
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    read -r comm 2>/dev/null <"$d/comm" || continue
    case $comm in
      dockerd | containerd | containerd-shim* | docker-registry | docker-proxy | runc) ;;
      *) continue ;;
    esac
    ours "$pid" && echo "$pid"
  done
  return 0
}

# --- engine / registry helpers -----------------------------------------------

api() { curl -sS --max-time "${CURL_TIMEOUT:-10}" --unix-socket "$SOCK" "$@"; }

ping_ok() { [[ -S $SOCK ]] && [[ $(CURL_TIMEOUT=2 api http://localhost/_ping 2>/dev/null) == OK ]]; }

seed_ok() {
  [[ $(api -o /dev/null -w '%{http_code}' "http://localhost/$API/images/$SEED_REPO:$SEED_TAG/json" 2>/dev/null) == 200 ]]
}

# --- status -------------------------------------------------------------------

# Prints a one-line reason and returns 1 when not healthy.
check_health() {
  [[ -f $MARKER && -f $ENV_FILE ]] || { echo "not running (no state at $STATE)"; return 1; }
  ours "$(read_pid "$DOCKERD_PIDFILE")" || { echo "unhealthy: dockerd not running"; return 1; }
  ping_ok || { echo "unhealthy: dockerd not answering on $SOCK"; return 1; }
  ours "$(read_pid "$REGISTRY_PIDFILE")" || { echo "unhealthy: registry not running"; return 1; }
  local registry
  registry=$(sed -n 's/^export BERTH_TEST_REGISTRY=//p' "$ENV_FILE")
  registry_ok "$registry" || { echo "unhealthy: registry not answering on $registry"; return 1; }
  seed_ok || { echo "unhealthy: seed image $SEED_REPO:$SEED_TAG missing"; return 1; }
  tls_health || return 1 # BERTH_HARNESS_TLS
  if containerd_store_wanted && ! grep -qx 'export BERTH_TEST_ENGINE_IMAGE_STORE=containerd' "$ENV_FILE"; then
    echo "unhealthy: started without BERTH_HARNESS_CONTAINERD_STORE=1"
    return 1
  fi
  echo "running: dockerd pid $(read_pid "$DOCKERD_PIDFILE") on unix://$SOCK, registry $registry (state $STATE)"
}

# --- stop -----------------------------------------------------------------------

do_stop() {
  local pid pids id
  if [[ ! -e $STATE ]]; then
    log "nothing to stop for '$NAME' ($STATE does not exist)"
    return 0
  fi
  [[ -f $MARKER ]] || die "$STATE exists but was not created by the harness; not touching it"

  # Remove containers and user-defined networks through the API while the
  # engine still answers: host bridges (br-*) would otherwise outlive it.
  if ping_ok; then
    for id in $(CURL_TIMEOUT=10 api "http://localhost/$API/containers/json?all=1" 2>/dev/null |
      grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4); do
      CURL_TIMEOUT=30 api -o /dev/null -X DELETE "http://localhost/$API/containers/$id?force=1&v=1" || true
    done
    CURL_TIMEOUT=30 api -o /dev/null -X POST "http://localhost/$API/networks/prune" || true
  fi

  pid=$(read_pid "$REGISTRY_PIDFILE")
  if ours "$pid"; then terminate registry "$pid"; fi

  # dockerd stops its own containerd on TERM; the sweep below covers KILL.
  pid=$(read_pid "$DOCKERD_PIDFILE")
  if ours "$pid"; then terminate dockerd "$pid"; fi

  # Containers whose shim outlived a killed engine: runc state is in exec-root.
  if [[ -d $EXEC/runtime-runc/moby ]] && command -v runc >/dev/null; then
    for id in $(runc --root "$EXEC/runtime-runc/moby" list -q 2>/dev/null); do
      log "force-removing leftover container $id"
      runc --root "$EXEC/runtime-runc/moby" delete --force "$id" 2>/dev/null || true
    done
  fi

  # Anything left that belongs to this state dir (containerd, shims, ...).
  pids=$(harness_pids)
  if [[ -n $pids ]]; then
    # shellcheck disable=SC2086 # word splitting intended
    terminate "leftover harness processes" $pids
  fi

  # Overlay, netns and bind mounts under data-root/exec-root.
  unmount_state

  # --one-file-system: never follow into something mounted after the check.
  rm -rf --one-file-system -- "$STATE"
  log "stopped '$NAME' and removed $STATE"
}

# --- start --------------------------------------------------------------------

start_own_containerd() {
  # Same layout dockerd uses for the containerd it manages.
  mkdir -p "$CONTAINERD_DIR"
  cat >"$CONTAINERD_DIR/containerd.toml" <<EOF
version = 2
root = "$DATA/containerd/daemon"
state = "$CONTAINERD_DIR/daemon"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$CONTAINERD_DIR/containerd.sock"

[debug]
  address = "$CONTAINERD_DIR/containerd-debug.sock"

[plugins."io.containerd.internal.v1.opt"]
  path = "$DATA/containerd/opt"
EOF
  spawn "$STATE/containerd.log" containerd --config "$CONTAINERD_DIR/containerd.toml"
  echo "$SPAWNED" >"$CONTAINERD_PIDFILE"
  local i
  for ((i = 0; i < 200; i++)); do
    [[ -S $CONTAINERD_DIR/containerd.sock ]] && return 0
    alive "$SPAWNED" || break
    sleep 0.1
  done
  tail -n 30 "$STATE/containerd.log" >&2 || true
  die "containerd did not come up"
}

start_dockerd() {
  mkdir -p "$DATA" "$EXEC"
  # Own config file so /etc/docker/daemon.json is ignored; key.json kept in
  # the state dir instead of /etc/docker; short shutdown so stop is quick.
  local features=
  containerd_store_wanted && features=',
  "features": { "containerd-snapshotter": true }'
  cat >"$STATE/daemon.json" <<EOF
{
  "deprecated-key-path": "$STATE/key.json",
  "shutdown-timeout": 3,
  "default-runtime": "runc"$features
}
EOF

  # dockerd uses the system containerd (/run/containerd/containerd.sock)
  # when that socket exists; start a private one then instead of sharing.
  local containerd_args=() managed=1
  if [[ -e /run/containerd/containerd.sock || -n ${BERTH_HARNESS_OWN_CONTAINERD:-} ]]; then
    managed=0
    start_own_containerd
    containerd_args=(--containerd "$CONTAINERD_DIR/containerd.sock")
  fi

  tls_prepare # BERTH_HARNESS_TLS: fills TLS_ARGS
  log "starting dockerd (state $STATE)"
  # shellcheck disable=SC2086 # BERTH_HARNESS_DOCKERD_ARGS is split on purpose
  spawn "$DOCKERD_LOG" env -u DOCKER_HOST -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH -u DOCKER_TMPDIR \
    dockerd \
    --config-file "$STATE/daemon.json" \
    --data-root "$DATA" \
    --exec-root "$EXEC" \
    --pidfile "$DOCKERD_PIDFILE" \
    -H "unix://$SOCK" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    "${containerd_args[@]}" "${TLS_ARGS[@]}" ${BERTH_HARNESS_DOCKERD_ARGS:-}
  local launched=$SPAWNED i
  for ((i = 0; i < START_TIMEOUT * 4; i++)); do
    ping_ok && break
    alive "$launched" || break
    sleep 0.25
  done
  if ! ping_ok; then
    # on_start_exit prints the log tail and cleans up.
    if alive "$launched"; then
      log "dockerd did not answer /_ping within ${START_TIMEOUT}s"
    else
      log "dockerd exited during startup"
    fi
    return 1
  fi

  # Prove isolation: containerd is ours and lives inside exec-root.
  local cpid dpid
  dpid=$(read_pid "$DOCKERD_PIDFILE")
  cpid=$(read_pid "$CONTAINERD_PIDFILE")
  ours "$cpid" || die "containerd for this engine not found under $CONTAINERD_DIR"
  if ((managed)) && [[ $(awk '/^PPid:/ {print $2}' "/proc/$cpid/status") != "$dpid" ]]; then
    die "containerd pid $cpid is not a child of dockerd pid $dpid"
  fi
  local info
  info=$(api "http://localhost/$API/info")
  grep -q "\"DockerRootDir\":\"$DATA\"" <<<"$info" || die "engine on $SOCK does not use data-root $DATA"
  if containerd_store_wanted; then # BERTH_HARNESS_CONTAINERD_STORE
    grep -q '"driver-type","io.containerd.snapshotter.v1"' <<<"$info" ||
      die "engine on $SOCK does not use the containerd image store (is it Engine >= 24?)"
  fi
  log "dockerd pid $dpid up, containerd pid $cpid ($( ((managed)) && echo "started by dockerd" || echo "private"))"
}

seed_images() {
  local status
  seed_rootfs_tar "$STATE/seed-rootfs.tar"

  # changes: CMD ["sh"] and a PATH, like a regular busybox image.
  local changes='changes=CMD%20%5B%22sh%22%5D&changes=ENV%20PATH%3D%2Fusr%2Fsbin%3A%2Fusr%2Fbin%3A%2Fsbin%3A%2Fbin'
  log "importing $SEED_REPO:$SEED_TAG"
  status=$(CURL_TIMEOUT=120 api -o "$STATE/seed-import.log" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/x-tar' --data-binary "@$STATE/seed-rootfs.tar" \
    "http://localhost/$API/images/create?fromSrc=-&repo=$SEED_REPO&tag=$SEED_TAG&$changes")
  rm -f "$STATE/seed-rootfs.tar"
  # Import errors arrive inside a 200 stream, so verify by inspecting.
  if [[ $status != 200 ]] || ! seed_ok; then
    cat "$STATE/seed-import.log" >&2 || true
    log "seed image import failed (HTTP $status)"
    return 1
  fi
}

write_env() {
  local api_version
  api_version=$(api "http://localhost/version" | sed -n 's/.*"ApiVersion":"\([^"]*\)".*/\1/p')
  [[ -n $api_version ]] || die "could not read ApiVersion from /version"
  cat >"$ENV_FILE.tmp" <<EOF
export BERTH_TEST_DOCKER_HOST=unix://$SOCK
export BERTH_TEST_DOCKER_SOCKET=$SOCK
export BERTH_TEST_REGISTRY=$REGISTRY
export BERTH_TEST_SEED_IMAGE=$SEED_REPO:$SEED_TAG
export BERTH_TEST_HARNESS_DIR=$STATE
export BERTH_TEST_ENGINE_API_VERSION=$api_version
export BERTH_TEST_ENGINE_IMAGE_STORE=$(containerd_store_wanted && echo containerd || echo graphdriver)
export BERTH_TEST_ENGINE_KIND=docker
EOF
  # The docker CLI that came with the engine (fetch-engine.sh 28.5 unpacks docker-cli 28.5).
  if [[ -x ${BERTH_HARNESS_ENGINE_ROOT:-/nonexistent}/usr/bin/docker ]]; then
    printf 'export BERTH_TEST_DOCKER_CLI=%s\n' "$BERTH_HARNESS_ENGINE_ROOT/usr/bin/docker" >>"$ENV_FILE.tmp"
  fi
  if [[ -n $TLS_HOST ]]; then # BERTH_HARNESS_TLS
    printf 'export BERTH_TEST_TLS_HOST=%s\nexport BERTH_TEST_TLS_CERTS=%s\n' "$TLS_HOST" "$TLS_DIR" >>"$ENV_FILE.tmp"
  fi
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

do_start() {
  start_engine_harness " (dockerd needs it)" dockerd "$DOCKERD_LOG" \
    "dockerd containerd runc docker-registry curl tar setsid" \
    start_dockerd start_registry seed_images write_env
}

# --- main ---------------------------------------------------------------------

case $CMD in
  start)
    with_lock 180
    do_start
    ;;
  stop)
    with_lock 180
    do_stop
    ;;
  env)
    [[ -f $ENV_FILE ]] || die "harness '$NAME' is not running (no $ENV_FILE); run: $0 start"
    cat "$ENV_FILE"
    ;;
  status) check_health ;;
  *) usage ;;
esac
