import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { knowledgePlugin } from './scripts/knowledge-plugin';

// Unit and component tests: happy-dom, WXT's in-memory fake browser. Browser tests live in
// tests/e2e and run through vitest.e2e.config.ts against real Chromium.
export default defineConfig({
  plugins: [WxtVitest(), preact(), knowledgePlugin()],
  test: {
    environment: 'happy-dom',
    include: ['tests/unit/**/*.test.{ts,tsx}'],
  },
});
