/**
 * Probes for the page-shape tests: a page-world MutationObserver installed before any content
 * script runs, highlight readers that work in any frame, the background's per-tab state, and the
 * content script's own statistics read from its isolated world through DevTools.
 */
import type { BrowserContext, Frame, Page } from 'playwright-core';
import type { TabState } from '../../lib/messaging/contract';
import type { Harness } from './harness';

export interface MutationSummary {
  type: string;
  target: string;
  added: string[];
  removed: string[];
  attribute: string | null;
}

export interface ProbeLog {
  /** Records inside the app's root (#app-root, or <body> for a frame without one). */
  inApp: MutationSummary[];
  /** Records anywhere else in the document. */
  outside: MutationSummary[];
}

/**
 * Records every mutation of each document from DOMContentLoaded on — before the content script,
 * which runs at document_idle, can act. Runs in every frame of every page of the context.
 */
export async function installMutationProbe(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const log = { inApp: [] as unknown[], outside: [] as unknown[] };
    (window as unknown as { __probe: typeof log }).__probe = log;
    const describe = (n: Node): string => {
      if (n.nodeType === 3) return '#text';
      const el = n as Element;
      return el.localName ? el.localName + (el.id ? '#' + el.id : '') : n.nodeName;
    };
    const start = () => {
      const root = document.getElementById('app-root') ?? document.body;
      const mo = new MutationObserver((records) => {
        for (const r of records) {
          const summary = {
            type: r.type,
            target: describe(r.target),
            added: [...r.addedNodes].map(describe),
            removed: [...r.removedNodes].map(describe),
            attribute: r.attributeName,
          };
          (root && root.contains(r.target) ? log.inApp : log.outside).push(summary);
        }
      });
      mo.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
    else start();
  });
}

export async function probeLog(frame: Page | Frame): Promise<ProbeLog> {
  return frame.evaluate(
    () => (window as unknown as { __probe?: ProbeLog }).__probe ?? { inApp: [], outside: [] },
  ) as Promise<ProbeLog>;
}

/** Every chartlight- highlight of one frame's document, as name → highlighted words. */
export async function frameHighlights(frame: Page | Frame): Promise<Record<string, string[]>> {
  return frame.evaluate(() => {
    const out: Record<string, string[]> = {};
    const registry = (CSS as unknown as { highlights: Map<string, Set<AbstractRange>> }).highlights;
    for (const [name, hl] of registry) {
      if (!name.startsWith('chartlight-')) continue;
      out[name] = [...hl].map((r) => {
        const a = (r.startContainer as Text).data ?? '';
        return r.startContainer === r.endContainer
          ? a.slice(r.startOffset, r.endOffset)
          : a.slice(r.startOffset) + ((r.endContainer as Text).data ?? '').slice(0, r.endOffset);
      });
    }
    return out;
  });
}

/** All highlighted words of a frame, lower-cased, whatever their name. */
export function words(hl: Record<string, string[]>): string[] {
  return Object.values(hl)
    .flat()
    .map((w) => w.toLowerCase());
}

/** Polls a frame's highlights until `ok` holds. */
export async function waitForFrameHighlights(
  frame: Page | Frame,
  ok: (hl: Record<string, string[]>) => boolean,
  timeout = 15_000,
): Promise<Record<string, string[]>> {
  const deadline = Date.now() + timeout;
  let last: Record<string, string[]> = {};
  while (Date.now() < deadline) {
    last = await frameHighlights(frame).catch(() => ({}));
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`highlights never matched; last seen: ${JSON.stringify(last)}`);
}

/** The background's state for a tab (what the side panel shows), from storage.session. */
export async function tabState(h: Harness, tabId: number): Promise<TabState | null> {
  return h.browser.worker.evaluate(async (id) => {
    const api = (
      globalThis as unknown as {
        chrome: { storage: { session: { get(k: string): Promise<Record<string, unknown>> } } };
      }
    ).chrome;
    const key = `tab:${id}`;
    return ((await api.storage.session.get(key))[key] ?? null) as never;
  }, tabId);
}

/** Sends a message to a tab's content scripts as the background does (frame 0 unless given). */
export async function sendToTab(h: Harness, tabId: number, msg: unknown, frameId?: number): Promise<void> {
  await h.browser.worker.evaluate(
    async ([id, m, f]) => {
      const api = (
        globalThis as unknown as {
          chrome: { tabs: { sendMessage(t: number, m: unknown, o?: { frameId: number }): Promise<unknown> } };
        }
      ).chrome;
      await api.tabs
        .sendMessage(id as number, m, f === null ? undefined : { frameId: f as number })
        .catch(() => undefined);
    },
    [tabId, msg, frameId ?? null] as const,
  );
}

/** Sends a side-panel message to the background, from an extension page (as the panel would). */
export async function panelMessage(h: Harness, msg: unknown): Promise<unknown> {
  const page = await h.browser.context.newPage();
  await page.goto(`chrome-extension://${h.browser.extensionId}/options.html`);
  const reply = await page.evaluate(
    (m) =>
      (
        globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
      ).chrome.runtime.sendMessage(m),
    msg,
  );
  await page.close();
  return reply;
}

export interface ContentStats {
  passes: number;
  updates: number;
  slices: number;
  longestSliceMs: number;
  batches: number;
  remoteChunks: number;
  remoteMissed: number;
  findings: number;
  fields: number;
}

/**
 * The content script's statistics, read in its own isolated world through the DevTools protocol
 * (the page's world cannot see them).
 */
export async function contentStats(page: Page): Promise<ContentStats | null> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: { id: number; name: string; auxData?: { type?: string; isDefault?: boolean } }[] = [];
  cdp.on('Runtime.executionContextCreated', (e: { context: (typeof contexts)[number] }) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  await new Promise((r) => setTimeout(r, 200));
  try {
    for (const c of contexts) {
      if (c.auxData?.type !== 'isolated' || c.auxData.isDefault) continue;
      const res = (await cdp.send('Runtime.evaluate', {
        contextId: c.id,
        expression: 'globalThis.__chartlight ? JSON.stringify(globalThis.__chartlight.stats()) : null',
        returnByValue: true,
      })) as { result: { value?: string | null } };
      if (res.result.value) return JSON.parse(res.result.value) as ContentStats;
    }
    return null;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

export interface ExtensionTasks {
  /** Browser tasks on the page's main thread that ran extension code. */
  count: number;
  /** The longest of them, wall clock (includes time the OS gave to other processes). */
  longestMs: number;
  /** The longest of them in the thread's own CPU time (what the page's input waited for on an idle machine). */
  longestCpuMs: number;
  /** What ran in the longest (by CPU) task: the trace event and function, e.g. "FunctionCall pump". */
  longestWhat: string;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { data?: { url?: string; functionName?: string } };
}

/**
 * Runs `during` with Chromium's tracing on and returns the tasks of the page's main thread that
 * ran the extension's code (script evaluation, timers, observers, message handlers).
 */
export async function traceExtensionTasks(
  browser: { context: BrowserContext; extensionId: string },
  page: Page,
  during: () => Promise<void>,
): Promise<ExtensionTasks> {
  const cdp = await browser.context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline', transferMode: 'ReportEvents' });
  try {
    await during();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach().catch(() => undefined);
  }
  const prefix = `chrome-extension://${browser.extensionId}/`;
  const tasks = events.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.ph === 'X' && e.dur !== undefined);
  const ours = events.filter((e) => e.args?.data?.url?.startsWith(prefix));
  const hit = new Map<TraceEvent, TraceEvent>();
  for (const e of ours) {
    const task = tasks.find((t) => t.pid === e.pid && t.tid === e.tid && t.ts <= e.ts && e.ts <= t.ts + t.dur!);
    if (task && !hit.has(task)) hit.set(task, e);
  }
  const list = [...hit.keys()];
  const cpu = (t: TraceEvent) => (t.tdur ?? t.dur!) / 1000;
  const top = list.reduce<TraceEvent | null>((a, t) => (!a || cpu(t) > cpu(a) ? t : a), null);
  const what = top ? hit.get(top)! : null;
  return {
    count: list.length,
    longestMs: Math.max(0, ...list.map((t) => t.dur! / 1000)),
    longestCpuMs: top ? cpu(top) : 0,
    longestWhat: what ? `${what.name} ${what.args?.data?.functionName ?? ''}`.trim() : '',
  };
}
