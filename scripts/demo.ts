/**
 * `npm run demo`: builds the extension for the demo sites, serves the synthetic EHR pages on
 * loopback and opens them in Chromium with Chartlight loaded. With a display it is an ordinary
 * browser window; without one (a server, CI) it runs headless, prints what it found on each page
 * and writes screenshots of the pages and the side panel.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { findChromium, launchWithExtension, NO_BROWSER_HELP } from './browser';
import { serve } from './serve';

const DEMO_PAGES = ['neurology-clinic-note.html', 'infusion-ketamine-encounter.html', 'ed-headache-visit.html'];
const OUT_DIR = resolve(import.meta.dirname, '..', '.demo');
const SITES = 'http://localhost/*,http://127.0.0.1/*';

interface StoredFinding {
  text: string;
  concept: string;
  category: string;
  assertion: string;
  field?: string;
}

function hasDisplay(): boolean {
  if (process.env.CHARTLIGHT_HEADLESS === '1') return false;
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

async function main(): Promise<number> {
  if (!findChromium()) {
    console.error(NO_BROWSER_HELP);
    return 1;
  }
  console.log('Building Chartlight for the demo sites…');
  const build = spawnSync('npx', ['wxt', 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CHARTLIGHT_SITES: SITES },
  });
  if (build.status !== 0) {
    console.error('The build failed (see above).');
    return 1;
  }
  const server = await serve();
  const headless = !hasDisplay();
  const browser = await launchWithExtension({ headless });
  if (!headless) {
    for (const name of DEMO_PAGES) await (await browser.context.newPage()).goto(`${server.origin}/${name}`);
    console.log(`Chartlight demo running: ${server.origin}/ — click the toolbar button to open the panel.`);
    console.log('Close the browser window or press Ctrl+C to stop.');
    await new Promise<void>((done) => {
      browser.context.on('close', () => done());
      process.on('SIGINT', () => done());
    });
    await browser.close();
    await server.close();
    return 0;
  }
  mkdirSync(OUT_DIR, { recursive: true });
  let failures = 0;
  for (const name of DEMO_PAGES) {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/${name}`);
    try {
      await page.waitForFunction(
        () =>
          [...(CSS as unknown as { highlights: Map<string, unknown> }).highlights.keys()].some((k) =>
            k.startsWith('chartlight-'),
          ),
        undefined,
        { timeout: 15_000 },
      );
    } catch {
      console.error(`${name}: no highlights appeared.`);
      failures++;
    }
    await page.waitForTimeout(400);
    const tabId = await browser.worker.evaluate(async (u) => {
      const api = (
        globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } }
      ).chrome;
      return (await api.tabs.query({})).find((t) => t.url === u)?.id ?? -1;
    }, page.url());
    const findings: StoredFinding[] = await browser.worker.evaluate(async (id) => {
      const api = (
        globalThis as unknown as {
          chrome: { storage: { session: { get(k: string): Promise<Record<string, unknown>> } } };
        }
      ).chrome;
      const key = `tab:${id}`;
      const state = (await api.storage.session.get(key))[key] as
        { frames: { findings: unknown[]; fields: unknown[] }[] } | undefined;
      return (state?.frames ?? []).flatMap((f) => [...f.findings, ...f.fields]) as StoredFinding[];
    }, tabId);
    console.log(`\n${name}: ${findings.length} findings`);
    for (const f of findings) {
      console.log(
        `  ${JSON.stringify(f.text).padEnd(28)} ${f.concept.padEnd(34)} ${f.assertion}${f.field ? ` (field: ${f.field})` : ''}`,
      );
    }
    const shot = resolve(OUT_DIR, name.replace('.html', '.png'));
    await page.screenshot({ path: shot, fullPage: true });
    const panel = await browser.context.newPage();
    await panel.setViewportSize({ width: 420, height: 900 });
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html?tab=${tabId}`);
    await panel.waitForTimeout(600);
    const panelShot = resolve(OUT_DIR, name.replace('.html', '-panel.png'));
    await panel.screenshot({ path: panelShot, fullPage: true });
    console.log(`  screenshots: ${shot}\n               ${panelShot}`);
    await panel.close();
    await page.close();
  }
  await browser.close();
  await server.close();
  console.log(`\nScreenshots are in ${OUT_DIR}`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
