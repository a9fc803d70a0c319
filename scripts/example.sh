#!/usr/bin/env bash
# The README's main job: runs the example app against the engine that DOCKER_HOST or the
# default socket points to when one answers, else against a throwaway engine of its own.
# `example.sh` runs the image round trip; `example.sh cli ARGS…` runs berth-images with ARGS;
# `example.sh dashboard` serves the dashboard on http://127.0.0.1:8080/ until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

example=${1:-image-roundtrip}
(($# > 0)) && shift
case $example in
  image-roundtrip) command=(pnpm --filter @berth/example-image-roundtrip start) ;;
  cli) command=(node examples/cli/dist/main.js "$@") ;;
  dashboard) command=(node examples/dashboard/dist/server/main.js) ;;
  *) echo "unknown example '$example': image-roundtrip, cli or dashboard" >&2; exit 2 ;;
esac

# The examples need no browser (only the dashboard's test does).
BERTH_HARNESS_NO_BROWSER=1 bash scripts/harness/install-deps.sh
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
  # The throwaway registry, for the round trip's push and pull.
  export BERTH_EXAMPLE_REGISTRY=${BERTH_EXAMPLE_REGISTRY:-$BERTH_TEST_REGISTRY}
fi
"${command[@]}"
