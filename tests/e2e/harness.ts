/**
 * Shared set-up for end-to-end tests: the synthetic pages on loopback, real Chromium with the
 * built extension, and small probes that read what the page shows without changing it.
 */
import type { Page } from 'playwright-core';
import { launchWithExtension, type LaunchedBrowser } from '../../scripts/browser';
import { serve, type Served } from '../../scripts/serve';

export interface Harness {
  browser: LaunchedBrowser;
  server: Served;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const server = await serve();
  const browser = await launchWithExtension();
  return {
    browser,
    server,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Every chartlight- highlight in the page's registry, as name → highlighted words. */
export async function readHighlights(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => {
    const out: Record<string, string[]> = {};
    const registry = (CSS as unknown as { highlights: Map<string, Set<AbstractRange>> }).highlights;
    for (const [name, hl] of registry) {
      if (!name.startsWith('chartlight-')) continue;
      out[name] = [...hl].map((r) => {
        const text = (r.startContainer as Text).data ?? '';
        return r.startContainer === r.endContainer
          ? text.slice(r.startOffset, r.endOffset)
          : text.slice(r.startOffset) + '…' + ((r.endContainer as Text).data ?? '').slice(0, r.endOffset);
      });
    }
    return out;
  });
}

/**
 * Waits until the content script has registered highlights and they have stopped changing: a
 * first pass shows its first chunk's findings at once and the rest as the background answers. On
 * a page that keeps changing, what is shown when `timeout` has passed.
 */
export async function waitForHighlights(page: Page, timeout = 10_000): Promise<Record<string, string[]>> {
  const deadline = Date.now() + timeout;
  await page.waitForFunction(
    () =>
      [...(CSS as unknown as { highlights: Map<string, unknown> }).highlights.keys()].some((k) =>
        k.startsWith('chartlight-'),
      ),
    undefined,
    { timeout },
  );
  let last = await readHighlights(page);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 150));
    const now = await readHighlights(page);
    if (JSON.stringify(now) === JSON.stringify(last)) break;
    last = now;
  }
  return last;
}

/** The browser's id for the tab showing `page`, asked of the extension's service worker. */
export async function tabIdOf(h: Harness, page: Page): Promise<number> {
  const url = page.url();
  const id = await h.browser.worker.evaluate(async (u) => {
    const api = (
      globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } }
    ).chrome;
    const tabs = await api.tabs.query({});
    return tabs.find((t) => t.url === u)?.id ?? -1;
  }, url);
  if (id < 0) throw new Error(`no tab for ${url}`);
  return id;
}

/** Opens the side panel as an ordinary tab for `tabId` (contract 5). */
export async function openPanel(h: Harness, tabId: number): Promise<Page> {
  const panel = await h.browser.context.newPage();
  await panel.goto(`chrome-extension://${h.browser.extensionId}/sidepanel.html?tab=${tabId}`);
  return panel;
}

/** Page coordinates of the first occurrence of `word` inside `selector`, for a real mouse click. */
export async function wordPoint(page: Page, selector: string, word: string): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(
    ([sel, w]) => {
      const root = document.querySelector(sel!);
      if (!root) return null;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = (n as Text).data.indexOf(w!);
        if (i < 0) continue;
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + w!.length);
        const box = r.getBoundingClientRect();
        r.detach();
        return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
      }
      return null;
    },
    [selector, word],
  );
  if (!point) throw new Error(`"${word}" not found in ${selector}`);
  return point;
}
