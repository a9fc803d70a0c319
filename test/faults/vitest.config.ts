import { defineConfig } from 'vitest/config';

// Each test carries its own hang detector (a deadline far above a prompt failure); these
// timeouts only stop a run that hangs anyway. Engine restarts take a few seconds.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
