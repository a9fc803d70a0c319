import { defineConfig } from 'vitest/config';

// End-to-end tests start the CLI as a process (about half a second each) against a real engine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 120_000 } });
