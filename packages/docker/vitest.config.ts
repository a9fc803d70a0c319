import { defineConfig } from 'vitest/config';

// Integration tests drive a real engine (builds, pushes, child processes) on a CPU shared with
// other suites in CI: give them room beyond vitest's 5 s default (calls keep their own deadlines).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
