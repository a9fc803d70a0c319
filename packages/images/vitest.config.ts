import { defineConfig } from 'vitest/config';

// Integration tests build, push and pull on a real engine, on a CPU shared with other suites in
// CI: give them room beyond vitest's 5 s default (each call still has its own deadlines).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
