#!/usr/bin/env bash
# Throwaway Podman (its Docker-compatible API) + local registry for Berth's real-engine tests.
#
#   podman.sh start  [name]   start (or reuse) `podman system service` + registry, seed image,
#                             print the sourceable env file on stdout
#   podman.sh stop   [name]   stop everything, unmount, delete the state dir
#   podman.sh env    [name]   print the env file
#   podman.sh status [name]   exit 0 if running and healthy, 1 otherwise
#
# Debian's podman runs as root as `podman system service --time=0 unix://<state>/podman.sock`
# with its own storage root, run root, tmp dir, network config dir and event log in the state
# dir (private storage.conf and containers.conf through CONTAINERS_STORAGE_CONF and
# CONTAINERS_CONF), and a private registries.conf (CONTAINERS_REGISTRIES_CONF) that marks the
# harness registry insecure and searches no registry for short names. It sets up no network:
# containers get one only when a test asks for it (builds use networkMode 'none' or 'host').
# Nothing of the machine's own podman (/var/lib/containers, /run/containers) is used.
# See README.md next to this file.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
LOG_TAG=berth-podman
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

API=v1.41
SEED_REPO=berth-test/busybox
SEED_TAG=latest
START_TIMEOUT=${BERTH_HARNESS_START_TIMEOUT:-60}
STOP_TIMEOUT=20
# Podman refuses a run root longer than 50 characters, and the run root is <state>/run.
MAX_STATE_LEN=46

usage() {
  echo "usage: $0 start|stop|env|status [name]" >&2
  exit 2
}

CMD=${1:-}
NAME=${2:-${BERTH_HARNESS_NAME:-default}}
[[ $NAME =~ ^[A-Za-z0-9_.-]+$ ]] || die "invalid harness name '$NAME'"

# --- paths ------------------------------------------------------------------

STATE=$(state_dir "${BERTH_PODMAN_DIR:-}" "$REPO/.berth-harness/podman-$NAME" "podman-$NAME" "$MAX_STATE_LEN")
((${#STATE} <= MAX_STATE_LEN)) ||
  die "state dir '$STATE' is longer than $MAX_STATE_LEN chars (unix socket path limit); set BERTH_PODMAN_DIR to a shorter path"

SOCK=$STATE/podman.sock
PODMAN_PIDFILE=$STATE/podman.pid
PODMAN_LOG=$STATE/podman.log
STORAGE_CONF=$STATE/storage.conf
CONTAINERS_CONF_FILE=$STATE/containers.conf
REGISTRIES_CONF=$STATE/registries.conf
REGISTRY_PIDFILE=$STATE/registry.pid
REGISTRY_LOG=$STATE/registry.log
REGISTRY_CONF=$STATE/registry.yml
REGISTRY_DATA=$STATE/registry-data
ENV_FILE=$STATE/env
MARKER=$STATE/.berth-podman # proves the dir is ours before rm -rf
LOCK=$STATE.lock

# --- helpers --------------------------------------------------------------------

# A pid only counts as ours if its command line or environment mentions this state dir
# (conmon and the OCI runtime are started with paths under it).
ours() {
  local cl
  alive "${1:-}" || return 1
  cl=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  [[ $cl == *"$STATE/"* ]]
}

# Every process still running for this state dir: podman, conmon, runc, registry.
harness_pids() {
  local d pid comm
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    read -r comm 2>/dev/null <"$d/comm" || continue
    case $comm in
      podman | conmon | runc | crun | docker-registry) ;;
      *) continue ;;
    esac
    ours "$pid" && echo "$pid"
  done
  return 0
}

api() { curl -sS --max-time "${CURL_TIMEOUT:-10}" --unix-socket "$SOCK" "$@"; }

ping_ok() { [[ -S $SOCK ]] && [[ $(CURL_TIMEOUT=2 api http://localhost/_ping 2>/dev/null) == OK ]]; }

seed_ok() {
  [[ $(api -o /dev/null -w '%{http_code}' "http://localhost/$API/images/$SEED_REPO:$SEED_TAG/json" 2>/dev/null) == 200 ]]
}

# The podman command line with this harness's roots; the configuration files come through the
# CONTAINERS_* variables exported by podman_environment.
podman_environment() {
  export CONTAINERS_STORAGE_CONF=$STORAGE_CONF
  export CONTAINERS_CONF=$CONTAINERS_CONF_FILE
  export CONTAINERS_REGISTRIES_CONF=$REGISTRIES_CONF
}

# --- status -------------------------------------------------------------------

check_health() {
  [[ -f $MARKER && -f $ENV_FILE ]] || { echo "not running (no state at $STATE)"; return 1; }
  ours "$(read_pid "$PODMAN_PIDFILE")" || { echo "unhealthy: podman service not running"; return 1; }
  ping_ok || { echo "unhealthy: podman not answering on $SOCK"; return 1; }
  ours "$(read_pid "$REGISTRY_PIDFILE")" || { echo "unhealthy: registry not running"; return 1; }
  local registry
  registry=$(sed -n 's/^export BERTH_TEST_REGISTRY=//p' "$ENV_FILE")
  registry_ok "$registry" || { echo "unhealthy: registry not answering on $registry"; return 1; }
  seed_ok || { echo "unhealthy: seed image $SEED_REPO:$SEED_TAG missing"; return 1; }
  echo "running: podman pid $(read_pid "$PODMAN_PIDFILE") on unix://$SOCK, registry $registry (state $STATE)"
}

# --- stop -----------------------------------------------------------------------

do_stop() {
  local pid pids id
  if [[ ! -e $STATE ]]; then
    log "nothing to stop for '$NAME' ($STATE does not exist)"
    return 0
  fi
  [[ -f $MARKER ]] || die "$STATE exists but was not created by the harness; not touching it"

  # Containers (a build's, a test's) through the API while the service still answers.
  if ping_ok; then
    for id in $(CURL_TIMEOUT=10 api "http://localhost/$API/containers/json?all=1" 2>/dev/null |
      grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4); do
      CURL_TIMEOUT=30 api -o /dev/null -X DELETE "http://localhost/$API/containers/$id?force=1&v=1" || true
    done
  fi

  pid=$(read_pid "$REGISTRY_PIDFILE")
  if ours "$pid"; then terminate registry "$pid"; fi
  pid=$(read_pid "$PODMAN_PIDFILE")
  if ours "$pid"; then terminate "podman service" "$pid"; fi

  pids=$(harness_pids)
  if [[ -n $pids ]]; then
    # shellcheck disable=SC2086 # word splitting intended
    terminate "leftover harness processes" $pids
  fi

  # Overlay mounts of the storage root, and the shm/netns mounts of containers.
  unmount_state

  # --one-file-system: never follow into something mounted after the check.
  rm -rf --one-file-system -- "$STATE"
  log "stopped '$NAME' and removed $STATE"
}

# --- start --------------------------------------------------------------------

write_podman_config() {
  mkdir -p "$STATE"/{storage,run,tmp,networks}
  cat >"$STORAGE_CONF" <<EOF
[storage]
driver = "overlay"
graphroot = "$STATE/storage"
runroot = "$STATE/run"
EOF
  # No systemd here: cgroupfs and a file event log. Every path podman would otherwise keep
  # under /var/lib/containers or /run/libpod is in the state dir.
  cat >"$CONTAINERS_CONF_FILE" <<EOF
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$STATE/events.log"
tmp_dir = "$STATE/tmp"
static_dir = "$STATE/storage/libpod"
volume_path = "$STATE/storage/volumes"

[network]
network_config_dir = "$STATE/networks"
EOF
}

write_registries_conf() {
  # Short names are not searched anywhere (no Docker Hub); the harness registry speaks plain
  # HTTP, which podman only allows for registries marked insecure.
  cat >"$REGISTRIES_CONF" <<EOF
unqualified-search-registries = []
short-name-mode = "disabled"

[[registry]]
location = "$REGISTRY"
insecure = true
EOF
}

start_podman() {
  log "starting podman system service (state $STATE)"
  podman_environment
  spawn "$PODMAN_LOG" env -u DOCKER_HOST -u CONTAINER_HOST \
    podman --log-level=info --root "$STATE/storage" --runroot "$STATE/run" --tmpdir "$STATE/tmp" \
    --cgroup-manager cgroupfs --events-backend file \
    system service --time=0 "unix://$SOCK"
  echo "$SPAWNED" >"$PODMAN_PIDFILE"
  local i
  for ((i = 0; i < START_TIMEOUT * 4; i++)); do
    ping_ok && break
    alive "$SPAWNED" || break
    sleep 0.25
  done
  if ! ping_ok; then
    alive "$SPAWNED" && log "podman did not answer /_ping within ${START_TIMEOUT}s" || log "podman exited during startup"
    return 1
  fi
  api "http://localhost/$API/info" | grep -q "\"DockerRootDir\":\"$STATE/storage\"" ||
    die "podman on $SOCK does not use the storage root $STATE/storage"
  log "podman pid $SPAWNED up ($(api http://localhost/version | sed -n 's/.*"Components":\[{"Name":"Podman Engine","Version":"\([^"]*\)".*/Podman \1/p'))"
}

seed_images() {
  local status
  seed_rootfs_tar "$STATE/seed-rootfs.tar"
  # changes: CMD ["sh"] and a PATH, like a regular busybox image.
  local changes='changes=CMD%20%5B%22sh%22%5D&changes=ENV%20PATH%3D%2Fusr%2Fsbin%3A%2Fusr%2Fbin%3A%2Fsbin%3A%2Fbin'
  log "importing $SEED_REPO:$SEED_TAG"
  status=$(CURL_TIMEOUT=120 api -o "$STATE/seed-import.log" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/x-tar' --data-binary "@$STATE/seed-rootfs.tar" \
    "http://localhost/$API/images/create?fromSrc=-&repo=$SEED_REPO:$SEED_TAG&$changes")
  rm -f "$STATE/seed-rootfs.tar"
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
export BERTH_TEST_ENGINE_KIND=podman
EOF
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

do_start() {
  # The registry first: registries.conf names its address before podman reads it.
  start_engine_harness "" podman "$PODMAN_LOG" \
    "podman conmon runc docker-registry curl tar setsid" \
    start_registry write_podman_config write_registries_conf start_podman seed_images write_env
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
