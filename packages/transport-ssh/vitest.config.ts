import { defineConfig } from 'vitest/config';

// Integration tests start sshd and go through SSH to a real engine: give them room.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
