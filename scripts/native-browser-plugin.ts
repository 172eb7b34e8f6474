/**
 * Vite plugin: the content script reaches the extension APIs through the browser's own `browser`
 * (Firefox) or `chrome` (Chromium, whose MV3 APIs return promises), not through
 * webextension-polyfill. Every page and frame parses the content script, whose size has a budget
 * (30 kB gzip); the polyfill was 2.8 kB of it, for no API the content script uses: it sends
 * messages (each with its rejection handled), listens without answering, reads storage and asks
 * for its own URL, all promise-based in both browsers. The background, the panel and the options
 * page keep the polyfill, where its answering listeners and callback wrapping are used.
 */
import type { Plugin } from 'vite';

/** What the polyfill module makes `wxt/browser` resolve to. */
const POLYFILL_BROWSER = '@wxt-dev/webextension-polyfill/browser';
/** WXT's own `browser`: globalThis.browser where it is the extension API, else globalThis.chrome. */
const NATIVE_BROWSER = '@wxt-dev/browser';

/** Whether a build's entry is the content script (entrypoints/content/index.ts). */
export function isContentEntry(entry: unknown): boolean {
  const entries = typeof entry === 'string' ? [entry] : Array.isArray(entry) ? entry : Object.values(entry ?? {});
  return entries.some((e) => typeof e === 'string' && /[\\/]entrypoints[\\/]content[\\/]index\.ts$/.test(e));
}

export function nativeBrowserInContentScript(): Plugin {
  let content = false;
  return {
    name: 'chartlight-native-browser-in-content-script',
    enforce: 'pre',
    configResolved(config) {
      content = isContentEntry(config.build.lib ? config.build.lib.entry : config.build.rollupOptions.input);
    },
    async resolveId(id, importer) {
      if (!content || (id !== POLYFILL_BROWSER && id !== 'wxt/browser')) return null;
      return this.resolve(NATIVE_BROWSER, importer, { skipSelf: true });
    },
  };
}
