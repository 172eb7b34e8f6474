/**
 * Trust checklist 7 in real Chromium: garbage sent to the content script (from the service worker,
 * through tabs.sendMessage) and to the background (from an extension page, through
 * runtime.sendMessage) is dropped without an error in any console, and both keep working. A web
 * page cannot reach the extension at all (no externally_connectable), and window.postMessage
 * floods change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../../scripts/serve';
import { readHighlights, waitForHighlights } from './harness';
import { launchTrust, record, recordWorker, type Recorded, type TrustBrowser } from './trust-support';

let server: Served;
let b: TrustBrowser;
let rec: Recorded;

/** Garbage of every shape that survives serialisation to the browser. */
function garbage(): unknown[] {
  const big = 'x'.repeat(1_000_000);
  return [
    null,
    0,
    -1,
    1e308,
    Number.NaN,
    '',
    'step',
    [],
    [1, 2, 3],
    {},
    true,
    { type: 'step' },
    { type: 'step', direction: 0 },
    { type: 'step', direction: '1' },
    { type: 'reveal', index: -1 },
    { type: 'reveal', index: 1e12 },
    { type: 'reveal', index: '0' },
    { type: 'reveal', index: 999999 },
    { type: 'pause', extra: big },
    { type: big },
    { type: 'findings', findings: [big] },
    { type: 'get-tab', tabId: -5 },
    { type: 'scan-tab', tabId: 'all' },
    { type: 'reveal', tabId: 1, frameId: -1, index: 0 },
    { type: 'open-entry', entryId: '../../x' },
    JSON.parse('{"__proto__": {"type": "step", "direction": 1}}'),
    { constructor: { prototype: { polluted: 1 } } },
    { type: 'resume', direction: [1] },
  ];
}

beforeAll(async () => {
  server = await serve();
  b = await launchTrust();
  rec = record(b.context);
  recordWorker(b.worker, rec);
});

afterAll(async () => {
  await b?.close();
  b?.dispose();
  await server?.close();
});

/** Errors and warnings in any console, except the browser's own favicon lookup on the test server. */
const problems = () =>
  rec.console
    .filter((m) => (m.type === 'error' || m.type === 'warning') && !m.from.endsWith('/favicon.ico'))
    .map((m) => `${m.from}: ${m.text}`);

/** Highlights without the short flash a valid "reveal" (index 0 is a valid one) adds. */
const steady = (h: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(h).filter(([name]) => name !== 'chartlight-focus'));

describe('malformed messages in the real extension', () => {
  it('the content script drops garbage from tabs.sendMessage and keeps its highlights', async () => {
    const page = await b.context.newPage();
    await page.goto(`${server.origin}/neurology-clinic-note.html`);
    const before = steady(await waitForHighlights(page));
    const sent = await b.worker.evaluate(
      async ({ url, values }) => {
        // Built here: Playwright cannot carry a deeply nested argument across.
        const deep: Record<string, unknown> = {};
        let d = deep;
        for (let i = 0; i < 5000; i++) d = (d.a = {}) as Record<string, unknown>;
        values.push(deep);
        const c = (
          globalThis as unknown as {
            chrome: {
              tabs: {
                query(q: object): Promise<{ id?: number; url?: string }[]>;
                sendMessage(id: number, m: unknown): Promise<unknown>;
              };
            };
          }
        ).chrome;
        const tab = (await c.tabs.query({})).find((t) => t.url === url);
        let n = 0;
        for (let round = 0; round < 5; round++) {
          for (const v of values) {
            // A dropped message gets no answer; never wait long for one.
            await Promise.race([
              Promise.resolve()
                .then(() => c.tabs.sendMessage(tab!.id!, v))
                .catch(() => undefined),
              new Promise((ok) => setTimeout(ok, 200)),
            ]);
            n++;
          }
        }
        return n;
      },
      { url: page.url(), values: garbage() },
    );
    expect(sent).toBeGreaterThan(100);
    // Still alive and unchanged: the same highlights, and a valid command still works. The garbage
    // holds a pause and a resume, and a resumed page is read again with its text analysed in the
    // background: the highlights are back once that answer has come.
    await expect.poll(async () => steady(await readHighlights(page)), { timeout: 5000 }).toEqual(before);
    expect(await page.evaluate(() => document.readyState)).toBe('complete');
    expect(rec.errors).toEqual([]);
    expect(problems()).toEqual([]);
    await page.close();
  });

  it('the background drops garbage from an extension page and still answers', async () => {
    const page = await b.context.newPage();
    await page.goto(`${server.origin}/ed-headache-visit.html`);
    await waitForHighlights(page);
    const options = await b.context.newPage();
    await options.goto(`chrome-extension://${b.extensionId}/options.html`);
    const result = await options.evaluate(
      async ({ url, values }) => {
        // Built here: Playwright cannot carry a deeply nested argument across.
        const deep: Record<string, unknown> = {};
        let d = deep;
        for (let i = 0; i < 5000; i++) d = (d.a = {}) as Record<string, unknown>;
        values.push(deep);
        const c = (
          globalThis as unknown as {
            chrome: {
              runtime: { sendMessage(m: unknown): Promise<unknown> };
              tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> };
            };
          }
        ).chrome;
        const replies: unknown[] = [];
        for (const v of values)
          replies.push(await c.runtime.sendMessage(v).catch((e: Error) => `rejected: ${e.message}`));
        const tab = (await c.tabs.query({})).find((t) => t.url === url)!;
        const state = (await c.runtime.sendMessage({ type: 'get-tab', tabId: tab.id })) as { frames: unknown[] };
        return { replies, frames: state.frames.length };
      },
      { url: page.url(), values: garbage() },
    );
    // Nothing malformed got an answer, and the valid request after the flood still did.
    expect(
      result.replies.filter((r) => r !== undefined && r !== 'no answer' && !String(r).startsWith('rejected')),
    ).toEqual([]);
    expect(result.frames).toBeGreaterThan(0);
    expect(problems()).toEqual([]);
    await options.close();
    await page.close();
  });

  it('a web page cannot reach the extension, and postMessage floods change nothing', async () => {
    const page = await b.context.newPage();
    await page.goto(`${server.origin}/neurology-clinic-note.html`);
    const before = await waitForHighlights(page);
    const reach = await page.evaluate(() => {
      const c = (globalThis as unknown as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome;
      return typeof c?.runtime?.sendMessage;
    });
    expect(reach).toBe('undefined');
    await page.evaluate(() => {
      for (let i = 0; i < 2000; i++) {
        window.postMessage({ type: i % 2 ? 'reveal' : 'step', index: i, direction: 1, source: 'chartlight' }, '*');
        window.dispatchEvent(new CustomEvent('chartlight', { detail: { type: 'pause' } }));
      }
    });
    await page.waitForTimeout(500);
    expect(await readHighlights(page)).toEqual(before);
    expect(rec.errors).toEqual([]);
    await page.close();
  });
});
