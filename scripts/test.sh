#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, starts a throwaway engine and
# registry (scripts/harness/engine.sh), runs every test against them, and cleans up.
# Used as is by .ci/run. With CI=true a missing engine fails the run instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/harness/install-deps.sh
pnpm install --frozen-lockfile
pnpm turbo run build type-check lint

harness=test-$$
stop_harness() { scripts/harness/engine.sh stop "$harness" >&2 || true; }
trap stop_harness EXIT
eval "$(scripts/harness/engine.sh start "$harness")"

# Unit and integration tests of every package, over the Unix socket.
pnpm turbo run test --concurrency=2

# The same image integration suite over every other transport (see docs/testing.md).
for transport in ${BERTH_TEST_TRANSPORTS:-}; do
  echo "== image integration suite over ${transport}"
  BERTH_TEST_TRANSPORT=$transport pnpm --filter @berth/images run test:integration
done
