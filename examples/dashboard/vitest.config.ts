import { defineConfig } from 'vitest/config';

// The end-to-end test drives a real browser against a real engine.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000 } });
