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
  # BuildKit block
  scripts/harness/engine.sh stop "$harness-bk26" >&2 || true
  scripts/harness/engine.sh stop "$harness-bk28" >&2 || true
  # vitest prints "Tests  N passed | M failed (T)" per run; add them up.
  sed 's/\x1b\[[0-9;]*m//g' "$output_log" | awk '
    /Tests +[0-9]+/ { for (i = 1; i <= NF; i++) { if ($(i) == "passed") passed += $(i - 1); if ($(i) == "failed") failed += $(i - 1) } }
    END { printf "\nTotal: %d passed, %d failed\n", passed, failed }'
  rm -f "$output_log"
  exit "$status"
}
trap cleanup EXIT

# Engine 20.10 (API 1.41) from bookworm, with a mutual-TLS listener on 127.0.0.1, plus sshd.
export BERTH_HARNESS_TLS=1
eval "$(scripts/harness/engine.sh start "$harness")"
eval "$(scripts/harness/sshd.sh start "$harness")"

# Unit and integration tests of every package.
pnpm turbo run test --concurrency=2 --continue

# The image integration suite again over every other transport.
for transport in ${BERTH_TEST_TRANSPORTS:-tcp ssh-dial-stdio ssh-forward}; do
  echo "== @berth/images integration suite over ${transport}"
  BERTH_TEST_TRANSPORT=$transport pnpm --filter @berth/images run test:integration
done

# The protocol's integration suite on a second engine version: Engine 26.1 (API 1.45).
unset BERTH_HARNESS_TLS
engine_root=$(bash scripts/harness/fetch-engine.sh 26.1)
eval "$(BERTH_HARNESS_ENGINE_ROOT=$engine_root scripts/harness/engine.sh start "$harness-e26")"
echo "== @berth/engine-protocol integration suite on Engine API ${BERTH_TEST_ENGINE_API_VERSION}"
pnpm --filter @berth/engine-protocol run test:integration

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

# --- BuildKit block (@berth/buildkit, BuildKit builds with sessions) ---------------------------
# Engine 26.1 (graphdriver store) with a TLS listener: the session suite, the BuildKit build
# suite over the Unix socket, the docker package's session build over Unix, TLS and SSH, and the
# build suite's transport-bound cases over SSH's forward mode. Then Engine 28.5 with the
# containerd image store (several-platform images): the session and build suites. Each engine
# stops when its part is done. (The session suite also runs on 20.10 in `turbo run test` above.)
buildkit_started=$SECONDS
engine_root=$(bash scripts/harness/fetch-engine.sh 26.1)
eval "$(BERTH_HARNESS_TLS=1 BERTH_HARNESS_ENGINE_ROOT=$engine_root scripts/harness/engine.sh start "$harness-bk26")"
echo "== BuildKit sessions and builds on Engine API ${BERTH_TEST_ENGINE_API_VERSION} (${BERTH_TEST_ENGINE_IMAGE_STORE:-graphdriver} store)"
pnpm --filter @berth/buildkit run test:integration
pnpm --filter @berth/images run test:buildkit
pnpm --filter @berth/docker exec vitest run test/integration/buildkit-every-transport.test.ts
BERTH_TEST_TRANSPORT=ssh-forward pnpm --filter @berth/images exec vitest run test/buildkit -t 'secret|output|private base'
scripts/harness/engine.sh stop "$harness-bk26" >&2
engine_root=$(bash scripts/harness/fetch-engine.sh 28.5)
eval "$(BERTH_HARNESS_CONTAINERD_STORE=1 BERTH_HARNESS_ENGINE_ROOT=$engine_root scripts/harness/engine.sh start "$harness-bk28")"
echo "== BuildKit sessions and builds on Engine API ${BERTH_TEST_ENGINE_API_VERSION} (${BERTH_TEST_ENGINE_IMAGE_STORE:-graphdriver} store)"
pnpm --filter @berth/buildkit run test:integration
pnpm --filter @berth/images run test:buildkit
scripts/harness/engine.sh stop "$harness-bk28" >&2
echo "== BuildKit block took $((SECONDS - buildkit_started)) s"
# --- end of the BuildKit block ------------------------------------------------------------------
