/**
 * Trust checklist 5: the extension never changes the page's DOM. A page-world MutationObserver,
 * installed before any page script runs (and on every open shadow root and same-origin frame),
 * records every mutation while the extension scans, highlights, is hovered and rescans. Each
 * fixture page is loaded twice — once in a browser without the extension, once with it — and any
 * kind of mutation seen only with the extension is its doing. The one allowed exception is a
 * single hover-card host appended to <html>, outside the application's roots. The same recorder
 * hears every window message the page's own listeners get: the extension posts none (an EHR's
 * message handlers, which talk to its frames, must not meet strangers' messages).
 */
import { readdirSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../scripts/browser';
import { PAGES_DIR, serve, type Served } from '../../scripts/serve';
import { launchTrust, record, type Recorded, type TrustBrowser } from './trust-support';

/** Runs in the page's main world before its scripts: records mutations as comparable signatures. */
function installRecorder() {
  const w = window as unknown as { __mutations: string[] };
  w.__mutations = [];
  const name = (n: Node | null): string => {
    if (!n) return '?';
    if (n.nodeType === 1) return (n as Element).tagName.toLowerCase();
    if (n.nodeType === 11) return '#shadow-root';
    return n.nodeName.toLowerCase();
  };
  const path = (n: Node | null): string => {
    const parts: string[] = [];
    for (let x = n; x && parts.length < 4; x = x.parentNode) parts.push(name(x));
    return parts.reverse().join('>');
  };
  const observe = (root: Node) =>
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes') w.__mutations.push(`attr ${path(r.target)} @${r.attributeName}`);
        else if (r.type === 'characterData') w.__mutations.push(`text ${path(r.target.parentNode)}`);
        else {
          for (const n of r.addedNodes) w.__mutations.push(`add ${path(r.target)} +${name(n)}`);
          for (const n of r.removedNodes) w.__mutations.push(`remove ${path(r.target)} -${name(n)}`);
        }
      }
    }).observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
  observe(document);
  // What a page's own "message" listener receives, by the message's type (or kind of data).
  window.addEventListener('message', (e: MessageEvent) => {
    const data = e.data as { type?: unknown } | null;
    const type = typeof data === 'object' && data !== null && typeof data.type === 'string' ? data.type : typeof data;
    w.__mutations.push(`message ${type}`);
  });
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init: ShadowRootInit) {
    const root = attach.call(this, init);
    observe(root);
    return root;
  };
}

async function exercise(page: Page): Promise<string[]> {
  // Give the scan time, move the mouse over the text (hover cards), scroll, and let a rescan run.
  await page.waitForTimeout(1200);
  const points = await page.evaluate(() => {
    const out: { x: number; y: number }[] = [];
    const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n && out.length < 12; n = walker.nextNode()) {
      const m = /migraine|aura|nausea|photophobia|ketamine|headache/i.exec((n as Text).data);
      if (!m) continue;
      const r = document.createRange();
      r.setStart(n, m.index);
      r.setEnd(n, m.index + m[0].length);
      const box = r.getBoundingClientRect();
      if (box.width > 0 && box.top >= 0 && box.top < innerHeight)
        out.push({ x: box.left + 2, y: box.top + box.height / 2 });
    }
    return out;
  });
  for (const p of points) {
    await page.mouse.move(p.x, p.y);
    await page.waitForTimeout(120);
  }
  await page.mouse.move(1, 1);
  await page.mouse.wheel(0, 400);
  await page.waitForTimeout(800);
  const all: string[] = [];
  for (const f of page.frames()) {
    const m = await f
      .evaluate(() => (window as unknown as { __mutations?: string[] }).__mutations ?? [])
      .catch(() => []);
    all.push(...m);
  }
  return all;
}

const PAGES = readdirSync(PAGES_DIR).filter((f) => f.endsWith('.html'));

let server: Served;
let withExt: TrustBrowser;
let rec: Recorded;
let plain: BrowserContext;

beforeAll(async () => {
  server = await serve();
  withExt = await launchTrust();
  rec = record(withExt.context);
  plain = await chromium.launchPersistentContext('', {
    executablePath: findChromium()!,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  await withExt.context.addInitScript(installRecorder);
  await plain.addInitScript(installRecorder);
});

afterAll(async () => {
  await withExt?.close();
  withExt?.dispose();
  await plain?.close();
  await server?.close();
});

describe('zero page mutation', () => {
  it('has fixture pages to check', () => {
    expect(PAGES.length).toBeGreaterThanOrEqual(4);
  });

  it.each(PAGES)('%s: no mutation or window message caused by the extension', async (file) => {
    const url = `${server.origin}/${file}`;
    const p0 = await plain.newPage();
    await p0.goto(url);
    const baseline = new Set(await exercise(p0));
    await p0.close();

    const p1 = await withExt.context.newPage();
    await p1.goto(url);
    const seen = await exercise(p1);
    // Liveness, over every frame: the extension highlighted something wherever rendered text (not
    // a textarea's, which cannot be highlighted in place) holds a term. Read again for a while: an
    // app that replaces its content every 200 ms is between a render and its rescan at times.
    let highlighted = false;
    let hasTerms = false;
    for (let tries = 0; tries < 20 && !highlighted; tries++) {
      if (tries > 0) await p1.waitForTimeout(100);
      hasTerms = false;
      for (const f of p1.frames()) {
        const r = await f
          .evaluate(() => ({
            hl: [...(CSS as unknown as { highlights: Map<string, unknown> }).highlights.keys()].some((k) =>
              k.startsWith('chartlight-'),
            ),
            terms: /migraine|aura|ketamine|headache/i.test(document.body?.innerText ?? ''),
          }))
          .catch(() => ({ hl: false, terms: false }));
        highlighted ||= r.hl;
        hasTerms ||= r.terms;
      }
      if (!hasTerms) break;
    }
    await p1.close();

    const extra = [...new Set(seen.filter((m) => !baseline.has(m)))];
    // The hover card's host: one element added to <html> itself, nothing inside body or the app.
    const cardHosts = extra.filter(
      (m) => /^add #document>html \+[a-z][a-z0-9-]*$/.test(m) && !/\+(head|body)$/.test(m),
    );
    const hostTags = cardHosts.map((m) => m.slice(m.indexOf('+') + 1));
    // Changes to the card host itself (its own attributes, its shadow root) are the card's, not the page's.
    const onHost = (m: string) => hostTags.some((t) => m.includes(`#document>html>${t}`) || m.includes(`html>${t} `));
    expect(extra.filter((m) => !cardHosts.includes(m) && !onHost(m))).toEqual([]);
    expect(new Set(cardHosts).size).toBeLessThanOrEqual(1);
    // The check is live: the extension did work on this page (unless the page has no terms).
    if (hasTerms) expect(highlighted).toBe(true);
  });

  it('the recorder would catch a highlighter that wraps text (the check can fail)', async () => {
    const page = await plain.newPage();
    await page.goto(`${server.origin}/neurology-clinic-note.html`);
    await page.evaluate(() => {
      // What mark.js-style highlighters do: split the text node and wrap the term.
      const p = document.querySelector('main p:nth-of-type(3)')!;
      const text = p.firstChild as Text;
      const i = text.data.indexOf('migraine');
      const term = text.splitText(i);
      term.splitText('migraine'.length);
      const mark = document.createElement('mark');
      term.replaceWith(mark);
      mark.appendChild(term);
    });
    const seen = await exercise(page);
    expect(seen).toEqual(expect.arrayContaining(['add html>body>main>p +mark', 'add body>main>p>mark +#text']));
    await page.close();
  });

  it('the recorder would catch a message posted to the page (the check can fail)', async () => {
    const page = await plain.newPage();
    await page.goto(`${server.origin}/neurology-clinic-note.html`);
    // What a content script framework's "script started" notice looks like from the page.
    await page.evaluate(() => window.postMessage({ type: 'abc:content:script-started' }, '*'));
    const seen = await exercise(page);
    expect(seen).toContain('message abc:content:script-started');
    await page.close();
  });

  it('the re-rendering app keeps working while highlighted', async () => {
    const page = await withExt.context.newPage();
    await page.goto(`${server.origin}/trust-rerendering-app.html`);
    await page.waitForTimeout(2500);
    const state = await page.evaluate(() => ({
      renders: (window as unknown as { __appRenders: number }).__appRenders,
      broken: (window as unknown as { __appBroken: string | null }).__appBroken,
      highlights: [...(CSS as unknown as { highlights: Map<string, unknown> }).highlights.keys()].filter((k) =>
        k.startsWith('chartlight-'),
      ).length,
    }));
    expect(state.broken).toBeNull();
    expect(state.renders).toBeGreaterThan(5);
    expect(state.highlights).toBeGreaterThan(0);
    expect(rec.errors).toEqual([]);
    await page.close();
  });
});
