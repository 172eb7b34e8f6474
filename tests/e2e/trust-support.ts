/**
 * Recording for the trust tests: every request any context makes (pages, extension pages, the
 * service worker — through Playwright — and the whole browser's network stack through Chromium's
 * net log), every console message, and every storage area the extension can write.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { launchWithExtension } from '../../scripts/browser';

export interface Recorded {
  requests: { url: string; from: string }[];
  console: { text: string; from: string; type: string }[];
  errors: string[];
  dialogs: string[];
}

/** Starts recording on a context; pages opened later are covered too. */
export function record(context: BrowserContext): Recorded {
  const rec: Recorded = { requests: [], console: [], errors: [], dialogs: [] };
  context.on('request', (r) => {
    const sw = r.serviceWorker();
    rec.requests.push({ url: r.url(), from: sw ? `service worker ${sw.url()}` : (r.frame()?.url() ?? '?') });
  });
  // Console messages of pages, content scripts (same page) and service workers.
  context.on('console', (m) => rec.console.push({ text: m.text(), type: m.type(), from: m.location().url }));
  const onPage = (p: Page) => {
    p.on('pageerror', (e) => rec.errors.push(`${p.url()}: ${e.message}`));
    p.on('dialog', (d) => {
      rec.dialogs.push(`${p.url()}: ${d.type()} ${d.message()}`);
      void d.dismiss().catch(() => undefined);
    });
  };
  context.pages().forEach(onPage);
  context.on('page', onPage);
  return rec;
}

/** Worker console messages are also delivered on the worker itself in some versions. */
export function recordWorker(worker: Worker, rec: Recorded): void {
  worker.on('console', (m) => rec.console.push({ text: m.text(), type: m.type(), from: `worker ${worker.url()}` }));
}

export interface NetLogRequest {
  url: string;
  /** Origin that started the request; "not an origin" for the browser's own services. */
  initiator: string;
}

/** Requests the browser's network stack started, from a --log-net-log file (read after close). */
export function netLogRequests(file: string): NetLogRequest[] {
  if (!existsSync(file)) throw new Error(`no net log at ${file}`);
  let text = readFileSync(file, 'utf8').trim();
  // Chromium may stop before it closes the JSON; close it so it parses.
  if (!text.endsWith('}')) text = text.replace(/,?\s*$/, '') + ']}';
  const log = JSON.parse(text) as {
    constants: { logEventTypes: Record<string, number> };
    events: { type: number; params?: { url?: string; initiator?: string } }[];
  };
  const start = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events
    .filter((e) => e.type === start && e.params?.url)
    .map((e) => ({ url: e.params!.url!, initiator: e.params!.initiator ?? '(none)' }));
}

/** Every storage area of the extension, and its IndexedDB, as JSON text (read in the worker). */
export async function dumpExtensionStorage(worker: Worker): Promise<string> {
  return worker.evaluate(async () => {
    type Area = { get(k: null): Promise<Record<string, unknown>> };
    const c = (globalThis as unknown as { chrome: { storage: Record<string, Area> } }).chrome;
    const out: Record<string, unknown> = {};
    for (const name of ['local', 'sync', 'session']) out[name] = await c.storage[name]!.get(null);
    out.managed = await c.storage.managed!.get(null).catch(() => ({}));
    const dbs = await indexedDB.databases();
    const idb: Record<string, unknown> = {};
    for (const info of dbs) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((ok, bad) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => ok(r.result);
        r.onerror = () => bad(r.error);
      });
      for (const store of db.objectStoreNames) {
        idb[`${info.name}/${store}`] = await new Promise((ok) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => ok(r.result);
          r.onerror = () => ok(null);
        });
      }
      db.close();
    }
    out.indexedDB = idb;
    out.cacheStorage = await caches.keys();
    return JSON.stringify(out);
  });
}

/** Files under `dir` (a browser profile) whose bytes contain any of `needles` (UTF-8 or UTF-16). */
export function filesContaining(dir: string, needles: string[]): string[] {
  const patterns = needles.flatMap((n) => [Buffer.from(n, 'utf8'), Buffer.from(n, 'utf16le')]);
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && st.size < 64 * 1024 * 1024) {
        const buf = readFileSync(p);
        if (patterns.some((pat) => buf.includes(pat))) hits.push(relative(dir, p));
      }
    }
  };
  walk(dir);
  return hits;
}

/** Chromium's id for an unpacked extension: the first 128 bits of SHA-256 of its path, in a–p. */
export function unpackedExtensionId(path: string): string {
  const hex = createHash('sha256').update(path).digest('hex').slice(0, 32);
  return [...hex].map((h) => String.fromCharCode(97 + parseInt(h, 16))).join('');
}

export interface TrustBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  profile: string;
  /** Closes the browser and keeps the profile for inspection; `dispose` removes it. */
  close(): Promise<void>;
  dispose(): void;
}

/**
 * The built extension in real Chromium, like scripts/browser.ts, but keeping the profile after
 * the browser closes (to search it for canaries) and with extra flags (a net log).
 */
export async function launchTrust(opts: { args?: string[]; profile?: string } = {}): Promise<TrustBrowser> {
  const b = await launchWithExtension({ args: opts.args, profile: opts.profile, keepProfile: true });
  return {
    context: b.context,
    worker: b.worker,
    extensionId: b.extensionId,
    profile: b.profile,
    close: b.close,
    dispose: () => rmSync(b.profile, { recursive: true, force: true }),
  };
}
