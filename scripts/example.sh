#!/usr/bin/env bash
# The README's main job: runs the example app against the engine that DOCKER_HOST or the
# default socket points to when one answers, else against a throwaway engine of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/harness/install-deps.sh
pnpm install --frozen-lockfile
pnpm turbo run build --filter "./examples/*..."

engine_answers() {
  local host=${DOCKER_HOST:-unix:///var/run/docker.sock}
  case $host in
    unix://*) curl -fsS --max-time 3 --unix-socket "${host#unix://}" http://localhost/_ping >/dev/null 2>&1 ;;
    *) [[ -n ${DOCKER_HOST:-} ]] ;; # a remote DOCKER_HOST is the user's explicit choice: use it
  esac
}

if engine_answers; then
  echo "Using the engine at ${DOCKER_HOST:-unix:///var/run/docker.sock}" >&2
else
  echo "No engine answers at ${DOCKER_HOST:-unix:///var/run/docker.sock}: starting a throwaway one" >&2
  harness=example-$$
  trap 'scripts/harness/engine.sh stop "$harness" >&2 || true' EXIT
  eval "$(scripts/harness/engine.sh start "$harness")"
  export DOCKER_HOST=$BERTH_TEST_DOCKER_HOST
fi
pnpm --filter @berth/example-image-roundtrip start
