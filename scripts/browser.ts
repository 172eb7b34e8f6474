/**
 * Real Chromium with the built extension loaded, for the demo, the end-to-end tests and the
 * benchmark. Always the system's browser (playwright-core never downloads one).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';

export const EXTENSION_DIR = resolve(import.meta.dirname, '..', '.output', 'chrome-mv3');

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
];

export const NO_BROWSER_HELP = [
  'No Chromium or Chrome was found.',
  'Install one (on Debian or Ubuntu: sudo apt-get install -y chromium),',
  'or point CHROME_PATH at a Chromium/Chrome binary: CHROME_PATH=/path/to/chrome npm test',
].join('\n');

export function findChromium(): string | null {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  profile: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  headless?: boolean;
  extensionDir?: string;
  /** Extra Chromium flags (a policy directory, a window size). */
  args?: string[];
  /** Wait until the background has registered the content script for the granted sites. */
  waitForSites?: boolean;
  /** An existing profile directory (a relaunch); by default a new temporary one. */
  profile?: string;
  /** Keep the profile when the browser closes (tests search it for leaked page text). */
  keepProfile?: boolean;
}

/**
 * The background registers the content script for granted sites when it starts; a page opened
 * before that would not be scanned. Tests and the demo wait for it, as a user's browser would have.
 */
export async function waitForSiteRegistration(worker: Worker, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const n = await worker.evaluate(async () => {
      const api = (
        globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<unknown[]> } } }
      ).chrome;
      return (await api.scripting.getRegisteredContentScripts()).length;
    });
    if (n > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('The extension did not register its content script for the granted sites.');
}

export async function launchWithExtension(opts: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(NO_BROWSER_HELP);
  const extensionDir = opts.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension at ${extensionDir}: run npm run build:e2e first.`);
  }
  const profile = opts.profile ?? mkdtempSync(join(tmpdir(), 'chartlight-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: opts.headless ?? true,
    viewport: { width: 1280, height: 900 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      // Without these Chromium reaches out to Google's hosts, which this network refuses.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--no-default-browser-check',
      ...(opts.args ?? []),
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
  const extensionId = new URL(worker.url()).host;
  if (opts.waitForSites !== false) await waitForSiteRegistration(worker);
  return {
    context,
    extensionId,
    worker,
    profile,
    async close() {
      await context.close().catch(() => undefined);
      if (!opts.keepProfile) rmSync(profile, { recursive: true, force: true });
    },
  };
}
