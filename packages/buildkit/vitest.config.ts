import { defineConfig } from 'vitest/config';

// Integration tests run real builds (and some go through SSH): give them room.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
