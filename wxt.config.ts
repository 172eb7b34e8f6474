import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { knowledgePlugin } from './scripts/knowledge-plugin';
import { nativeBrowserInContentScript } from './scripts/native-browser-plugin';
import { buildManifest } from './scripts/manifest';

// Thin: the manifest itself is built (and unit-tested) in scripts/manifest.ts.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // Explicit imports only: every dependency of a file is visible at its top.
  imports: false,
  // Tests build a store variant beside the end-to-end one without replacing it.
  outDir: process.env.CHARTLIGHT_OUT_DIR ?? '.output',
  vite: () => ({
    plugins: [preact(), knowledgePlugin(), nativeBrowserInContentScript()],
    // Terser packs the content script, which every scanned frame parses, about 1 kB (gzip) tighter
    // than esbuild's minifier: room under its 30 kB budget. A second compress pass: 0.1 kB more.
    build: { minify: 'terser', terserOptions: { compress: { passes: 2 } } },
    // The benchmark's builds leave performance marks when a pass or an update is shown (counts only).
    define: { __CHARTLIGHT_MARKS__: JSON.stringify(process.env.CHARTLIGHT_MARKS === '1') },
  }),
  manifest: ({ browser, manifestVersion }) =>
    buildManifest({
      browser,
      manifestVersion,
      sites: process.env.CHARTLIGHT_SITES ?? '',
    }),
});
