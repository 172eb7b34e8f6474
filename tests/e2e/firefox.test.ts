/**
 * The same extension in Firefox ESR (MV2 build, `npm run build:e2e:firefox`), driven over WebDriver
 * BiDi by puppeteer-core: the background registers the content script for the granted loopback
 * sites through scripting.registerContentScripts (without matchOriginAsFallback, which Firefox does
 * not know), and the content script highlights a fixture page through the CSS Custom Highlight API.
 *
 * Firefox is required, not optional: a missing browser fails with instructions instead of skipping.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../../scripts/serve';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const EXTENSION_DIR = resolve(import.meta.dirname, '..', '..', '.output', 'firefox-mv2');

let browser: Browser | null = null;
let server: Served | null = null;

beforeAll(async () => {
  if (!existsSync(FIREFOX)) {
    throw new Error(
      `Firefox not found at ${FIREFOX}. Install it (Debian/Ubuntu: sudo apt-get install -y firefox-esr) ` +
        'or point FIREFOX_PATH at a Firefox binary.',
    );
  }
  if (!existsSync(resolve(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No Firefox build at ${EXTENSION_DIR}: run npm run build:e2e:firefox first.`);
  }
  server = await serve();
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    protocol: 'webDriverBiDi',
    extraPrefsFirefox: {
      // No calls home from the test browser (this network refuses them anyway, slowly).
      'app.update.enabled': false,
      'browser.search.update': false,
      'extensions.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
  await browser.installExtension(EXTENSION_DIR);
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.close();
});

async function highlights(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => {
    const out: Record<string, string[]> = {};
    const registry = (CSS as unknown as { highlights: Map<string, Set<AbstractRange>> }).highlights;
    for (const [name, hl] of registry) {
      if (!name.startsWith('chartlight-')) continue;
      out[name] = [...hl].map((r) => (r.startContainer as Text).data.slice(r.startOffset, r.endOffset));
    }
    return out;
  });
}

async function waitFor(page: Page, ok: (hl: Record<string, string[]>) => boolean, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let last: Record<string, string[]> = {};
  while (Date.now() < deadline) {
    last = await highlights(page).catch(() => ({}));
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Firefox: highlights never matched; last seen ${JSON.stringify(last)}`);
}

describe('Firefox ESR', () => {
  it('registers the content script for granted sites and highlights the neurology note', async () => {
    // The background registers the content script when it starts; a page loaded before that
    // would not be scanned, so the page is reloaded until the registration has happened.
    const page = await browser!.newPage();
    const url = `${server!.origin}/neurology-clinic-note.html`;
    let hl: Record<string, string[]> = {};
    for (let attempt = 0; attempt < 5; attempt++) {
      await page.goto(url);
      try {
        hl = await waitFor(page, (h) => Object.keys(h).length > 0, 5000);
        break;
      } catch {
        // not registered yet
      }
    }
    hl = await waitFor(page, (h) => (h['chartlight-aura-negated'] ?? []).includes('aura'));
    expect(hl['chartlight-aura-negated']).toContain('aura'); // "Denies aura."
    expect(hl['chartlight-symptom']).toEqual(expect.arrayContaining(['photophobia', 'nausea']));
    expect(hl['chartlight-symptom-negated']).toContain('phonophobia');
    expect(hl['chartlight-diagnosis-family']).toContain('migraines');
    await page.close();
  });

  it('scans open shadow roots, and frames with src added after load (each by its own content script)', async () => {
    const page = await browser!.newPage();
    await page.goto(`${server!.origin}/shadow-roots.html`);
    const hl = await waitFor(page, (h) => (h['chartlight-symptom-negated'] ?? []).includes('phonophobia'));
    expect(Object.values(hl).flat()).toContain('nausea');
    await page.goto(`${server!.origin}/emr-frames.html`);
    const frame = (await (await page.waitForSelector('#tab-encounter'))!.contentFrame())!;
    const deadline = Date.now() + 20_000;
    let words: string[] = [];
    while (Date.now() < deadline) {
      words = await frame
        .evaluate(() =>
          [...(CSS as unknown as { highlights: Map<string, Set<AbstractRange>> }).highlights.values()].flatMap((s) =>
            [...s].map((r) => (r.startContainer as Text).data.slice(r.startOffset, r.endOffset)),
          ),
        )
        .catch(() => []);
      if (words.includes('photophobia')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(words).toContain('photophobia');
    // Each frame's highlights stay in that frame's own registry (not the labs frame's words here).
    expect(words).not.toContain('neck stiffness');
    expect(words.every((w) => /photophobia|nausea|aura|headache|throbbing/i.test(w))).toBe(true);
    await page.close();
  });
});
