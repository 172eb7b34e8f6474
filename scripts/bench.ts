/**
 * `npm run bench`: the performance targets (P1–P11) measured in real Chromium with the built
 * extension, on synthetic EHR pages of about 2k, 20k, 60k and 150k nodes, against a floor (walk
 * the text nodes once, run the matcher once) and a peer (mark.js) measured in the same run.
 *
 *   npm run bench                      build, measure, write bench/results/latest.{json,md,svg}
 *   npm run bench -- --cpu4x           the same with the CPU slowed 4× (DevTools throttling)
 *   npm run bench -- --sizes=2000,20000 --reps=1 --no-build
 *   npm run bench -- --render          the report again from latest.json, no measuring
 *
 * Writes: bench/results/latest.json, latest.md, latest.svg (with --cpu4x: latest-cpu4x.*).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import type { CDPSession, Page } from 'playwright-core';
import { findChromium, launchWithExtension, NO_BROWSER_HELP, type LaunchedBrowser } from './browser';
import { loadKnowledge } from './load-knowledge';
import { serve, type Served } from './serve';
import { pageObserver } from './bench/observer';
import { peerTerms } from './bench/peer';
import { generatePage, updateSentences } from './bench/pages';
import { checks, ratioLines, renderMarkdown, renderSvg, type BenchResults, type SizeResult } from './bench/report';
import { median, megabytesPerSecond, percentile } from './bench/stats';
import { pageThread, summarisePass, tasksOf, userTimings, type PassSummary, type TraceEvent } from './bench/trace';
import { createSearcher } from '../lib/knowledge/search';
import type { CompiledLexicon } from '../lib/engine/types';

const ROOT = resolve(import.meta.dirname, '..');
const OUT_DIR = join(ROOT, 'bench', 'results');
const SITES = 'http://localhost/*,http://127.0.0.1/*';
/** A host the extension is not granted: Chromium resolves *.localhost to loopback by itself. */
const CONTROL_HOST = 'bench.localhost';
const TRACE_CATEGORIES = [
  'blink.user_timing',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  // BENCH_PROF=1: V8's sampling profiler too, for the traces BENCH_DUMP=<prefix> writes to disk.
  ...(process.env.BENCH_PROF ? ['disabled-by-default-v8.cpu_profiler'] : []),
].join(',');
const SEED = 20261127;
/** Where the benchmark's own build goes (see wxt.config.ts). */
const BENCH_OUT = join(ROOT, '.output', 'bench');

interface Options {
  sizes: number[];
  reps: number;
  cpu: number;
  build: boolean;
}

function parseArgs(argv: string[]): Options {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  return {
    sizes: (get('sizes') ?? '2000,20000,60000,150000').split(',').map(Number),
    reps: Number(get('reps') ?? 3),
    cpu: argv.includes('--cpu4x') ? 4 : 1,
    build: !argv.includes('--no-build'),
  };
}

/** knowledge/ when it is complete, else the stable test set (named in the results). */
function knowledgeDir(): string {
  if (process.env.CHARTLIGHT_KNOWLEDGE_DIR) return resolve(process.env.CHARTLIGHT_KNOWLEDGE_DIR);
  const own = join(ROOT, 'knowledge');
  return existsSync(join(own, 'sources.json')) ? own : join(ROOT, 'tests', 'fixtures', 'knowledge-mini');
}

async function bundlePageWorld(): Promise<string> {
  const out = await build({
    entryPoints: [join(ROOT, 'scripts', 'bench', 'page-world.ts')],
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/**
 * Queries as a clinician types them in the panel: a word or two of a title, a fragment, a code,
 * a misspelling — short, since the panel searches as one types.
 */
function searchQueries(lexicon: CompiledLexicon): string[] {
  const titles = lexicon.concepts.filter((c) => !c.id.startsWith('icd10-')).map((c) => c.title);
  const typed = [
    'migrane',
    'aura',
    'ketamine dose',
    'photophobia',
    'g43.9',
    'G43.909',
    'red flag',
    'triptan',
    'nausea',
  ];
  const words = titles.map((t) =>
    t
      .split(/[\s,()]+/)
      .slice(0, 2)
      .join(' '),
  );
  const fragments = titles.map((t) => t.slice(0, 5));
  return [...new Set([...typed, ...words, ...fragments])].filter((q) => q.trim().length >= 2).slice(0, 60);
}

class Tracer {
  private events: TraceEvent[] = [];
  private done: Promise<unknown> | null = null;
  constructor(private readonly cdp: CDPSession) {
    cdp.on('Tracing.dataCollected', (e) => this.events.push(...(e.value as unknown as TraceEvent[])));
  }
  async start(): Promise<void> {
    this.events = [];
    this.done = new Promise((ok) => this.cdp.once('Tracing.tracingComplete', ok));
    await this.cdp.send('Tracing.start', { categories: TRACE_CATEGORIES, transferMode: 'ReportEvents' });
  }
  async stop(): Promise<TraceEvent[]> {
    await this.cdp.send('Tracing.end');
    await this.done;
    return this.events;
  }
}

interface BenchState {
  total: number;
  lastChange: number;
  changes: number;
  mutations: number;
  ownMutations: boolean;
  longTasks: { start: number; dur: number }[];
}

/** Waits until the extension's highlights exist and have not changed for `quietMs`. */
async function waitForSettled(page: Page, minTotal: number, quietMs: number, timeoutMs: number): Promise<BenchState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await page.evaluate(() => {
      const st = (window as unknown as { __benchState?: BenchState }).__benchState;
      // The scanner's own marks: on a long page the registry stops changing long before the pass
      // ends (only the findings around the viewport are registered).
      const done = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('chartlight:done:'));
      const lastDone = done.length ? done[done.length - 1]!.startTime : -1;
      return st ? { ...st, longTasks: [], now: performance.now(), lastDone } : null;
    });
    if (!s) throw new Error('the page observer is not installed');
    const quiet = s.now - Math.max(s.lastChange, s.lastDone);
    if (s.total >= minTotal && s.total > 0 && s.lastDone >= 0 && quiet >= quietMs) return s;
    if (Date.now() > deadline) throw new Error(`highlights did not settle (have ${s.total}, want ≥ ${minTotal})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the content script has sent the last part of its latest report (its own mark). */
async function waitForReported(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () => {
      // No named helper: the bundler's name-keeping wrapper does not exist in the page.
      let reported = -1;
      let done = -1;
      for (const m of performance.getEntriesByType('mark')) {
        if (m.name === 'chartlight:reported') reported = Math.max(reported, m.startTime);
        else if (m.name.startsWith('chartlight:done:')) done = Math.max(done, m.startTime);
      }
      return reported >= done;
    },
    undefined,
    { timeout: timeoutMs, polling: 100 },
  );
}

async function gcHeap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

interface Ctx {
  browser: LaunchedBrowser;
  server: Served;
  port: string;
  opts: Options;
  bundle: string;
  lexiconJson: string;
  panelJson: string;
  markJs: string;
  terms: string[];
  extensionOrigin: string;
}

async function openPage(ctx: Ctx): Promise<{ page: Page; cdp: CDPSession }> {
  const page = await ctx.browser.context.newPage();
  const cdp = await ctx.browser.context.newCDPSession(page);
  if (ctx.opts.cpu !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: ctx.opts.cpu });
  await cdp.send('Runtime.enable');
  return { page, cdp };
}

async function injectBundle(ctx: Ctx, page: Page): Promise<void> {
  await page.evaluate(ctx.bundle);
  await page.evaluate((json) => {
    (globalThis as unknown as { __lexiconLoad: unknown }).__lexiconLoad = (
      globalThis as unknown as { __chartlightBench: { loadLexicon(j: string): unknown } }
    ).__chartlightBench.loadLexicon(json);
  }, ctx.lexiconJson);
}

type Bench = {
  floor(): { walkMs: number; matchMs: number; textNodes: number; chars: number; mentions: number };
  replay(): { extractMs: number; analyzeMs: number; rangesMs: number; registerMs: number; findings: number };
  reregister(): Promise<{ firstMs: number; againMs: number; ranges: number }>;
  hitTest(n: number): { times: number[]; lookupTimes: number[]; hits: number; tried: number };
  highlightCount(): number;
  countFindings(text: string): number;
  throughput(sizes: number[], reps: number): { forms: number; ms: number; chars: number }[];
  search(panel: string, queries: string[], reps: number): { buildMs: number; times: number[]; hits: number };
  loadLexicon(json: string): { parseMs: number; createMs: number; forms: number };
};
type BenchGlobal = { __chartlightBench: Bench };

interface ExtensionRun {
  pass: PassSummary;
  visibleMs: number;
  lastHighlightMs: number;
  highlights: number;
  marks: Record<string, number> | null;
  longTasks: { count: number; longestMs: number };
  mutations: number;
  /** V8 compile of the content script. */
  compileMs: number;
  /** The extension's tasks after the pass was shown (sending its findings to the background). */
  after: { busy: number; tasks: number; longest: number };
  /** The page's rendering tasks from the pass's start to the end of the trace (highlight repaints). */
  render: { busy: number; tasks: number; longest: number };
}

/** One first pass of the extension on a fresh load of `path`; the page stays open when `keep`. */
async function extensionPass(ctx: Ctx, path: string): Promise<{ run: ExtensionRun; page: Page; cdp: CDPSession }> {
  const { page, cdp } = await openPage(ctx);
  const tracer = new Tracer(cdp);
  await tracer.start();
  await page.goto(`http://127.0.0.1:${ctx.port}${path}`, { waitUntil: 'load', timeout: 120_000 });
  const settled = await waitForSettled(page, 1, 1000, 120_000);
  await waitForReported(page, 60_000);
  const events = await tracer.stop();
  if (process.env.BENCH_DUMP) writeFileSync(`${process.env.BENCH_DUMP}-${Date.now()}.json`, JSON.stringify(events));
  const thread = pageThread(events, 'bench:hl:');
  if (!thread) throw new Error('no page-world marks in the trace');
  const tasks = tasksOf(events, thread, ctx.extensionOrigin);
  const hl = userTimings(events, 'bench:hl:');
  // The scanner's own mark when its pass is shown (on a long page only the findings around the
  // viewport are registered, so the registry's size no longer tells when all were placed).
  const done = userTimings(events, 'chartlight:done:');
  const final =
    done[done.length - 1] ?? hl.filter((m) => m.name === `bench:hl:${settled.total}`).pop() ?? hl[hl.length - 1]!;
  const passEnd = endOfTaskAt(tasks, final.start);
  const pass = summarisePass(tasks, 0, passEnd);
  const afterTasks = tasks.filter((t) => t.extension && t.start >= passEnd);
  if (!pass) throw new Error('no extension task found in the trace');
  const renderTasks = tasks.filter((t) => t.rendering && !t.extension && t.start >= pass.start);
  const visible = userTimings(events, 'bench:visible')[0];
  const measures = userTimings(events, 'chartlight:').filter((m) => m.end > m.start);
  const marks: Record<string, number> | null = measures.length
    ? Object.fromEntries(
        [...new Set(measures.map((m) => m.name))].map((n) => [
          n,
          measures.filter((m) => m.name === n).reduce((s, m) => s + (m.end - m.start), 0),
        ]),
      )
    : null;
  const st = await page.evaluate(() => {
    const s = (window as unknown as { __benchState: BenchState }).__benchState;
    return { longTasks: s.longTasks, mutations: s.mutations };
  });
  return {
    page,
    cdp,
    run: {
      pass,
      visibleMs: visible ? visible.start - pass.start : NaN,
      lastHighlightMs: final.start - pass.start,
      highlights: done.length ? Number(done[done.length - 1]!.name.split(':').pop()) : settled.total,
      marks,
      longTasks: { count: st.longTasks.length, longestMs: Math.max(0, ...st.longTasks.map((t) => t.dur)) },
      mutations: st.mutations,
      after: {
        busy: afterTasks.reduce((s, t) => s + t.own, 0),
        tasks: afterTasks.length,
        longest: Math.max(0, ...afterTasks.map((t) => t.own)),
      },
      render: {
        busy: renderTasks.reduce((s, t) => s + t.dur, 0),
        tasks: renderTasks.length,
        longest: Math.max(0, ...renderTasks.map((t) => t.dur)),
      },
      compileMs: events
        .filter((e) => e.name === 'v8.compile' && e.args?.data?.url?.startsWith(ctx.extensionOrigin))
        .reduce((sum, e) => sum + (e.dur ?? 0) / 1000, 0),
    },
  };
}

async function controlPage(ctx: Ctx, path: string): Promise<{ page: Page; cdp: CDPSession }> {
  const p = await openPage(ctx);
  await p.page.goto(`http://${CONTROL_HOST}:${ctx.port}${path}`, { waitUntil: 'load', timeout: 120_000 });
  return p;
}

/** The end of the task a mark was left in (the scanner's mark comes before its task ends). */
function endOfTaskAt(tasks: { start: number; end: number }[], at: number): number {
  const t = tasks.find((k) => k.start <= at && at <= k.end);
  return (t ? t.end : at) + 0.001;
}

/** The findings the scanner says it has placed, from its last mark (benchmark builds leave them). */
function shownFindings(): number {
  const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('chartlight:done:'));
  return marks.length ? Number(marks[marks.length - 1]!.name.split(':').pop()) : 0;
}

/** Page updates: batches of 100 appended text nodes; the extension's work and latency for each. */
async function updates(ctx: Ctx, page: Page, cdp: CDPSession, batches: number): Promise<SizeResult['updates']> {
  const tracer = new Tracer(cdp);
  const latency: number[] = [];
  const busy: number[] = [];
  const longest: number[] = [];
  const rescans: number[] = [];
  for (let b = 0; b < batches; b++) {
    const sentences = updateSentences(SEED + b, 100);
    const expected = await page.evaluate(
      (s) => s.reduce((n, t) => n + (globalThis as unknown as BenchGlobal).__chartlightBench.countFindings(t), 0),
      sentences,
    );
    const before = await page.evaluate(shownFindings);
    await tracer.start();
    await page.evaluate(async (s) => {
      const st = (window as unknown as { __benchState: BenchState }).__benchState;
      st.ownMutations = true;
      performance.mark('bench:append');
      const section = document.createElement('section');
      for (const t of s) {
        const p = document.createElement('p');
        p.textContent = t;
        section.append(p);
      }
      (document.querySelector('main') ?? document.body).append(section);
      await new Promise((r) => setTimeout(r, 0));
      st.ownMutations = false;
    }, sentences);
    try {
      const deadline = Date.now() + 60_000;
      while ((await page.evaluate(shownFindings)) < before + expected) {
        if (Date.now() > deadline) throw new Error('the update was never shown');
        await new Promise((r) => setTimeout(r, 100));
      }
      await page.waitForTimeout(300); // a later mark of the same batch would still count
    } catch {
      // Reported as a miss below: the scanner never reported the new text.
    }
    const events = await tracer.stop();
    if (process.env.BENCH_DUMP)
      writeFileSync(`${process.env.BENCH_DUMP}-update-${Date.now()}.json`, JSON.stringify(events));
    const thread = pageThread(events, 'bench:');
    if (!thread) continue;
    const tasks = tasksOf(events, thread, ctx.extensionOrigin);
    const append = userTimings(events, 'bench:append')[0];
    const hl = userTimings(events, 'chartlight:done:').filter((m) => append && m.start > append.start);
    const last = hl[hl.length - 1];
    if (!append || !last) {
      latency.push(NaN);
      continue;
    }
    const lastEnd = endOfTaskAt(tasks, last.start);
    const ext = tasks.filter((t) => t.extension && t.start >= append.start && t.end <= lastEnd);
    latency.push(last.start - append.start);
    busy.push(ext.reduce((s, t) => s + t.own, 0));
    longest.push(Math.max(0, ...ext.map((t) => t.own)));
    rescans.push(hl.length);
  }
  return {
    latencyMs: median(latency),
    busyMs: median(busy),
    // The first update runs the update code cold (not yet compiled by the JIT): shown on its own.
    firstBusyMs: busy[0] ?? NaN,
    longestTaskMs: median(longest),
    batches,
    rescans: median(rescans),
  };
}

async function measureSize(ctx: Ctx, target: number): Promise<SizeResult> {
  const gen = generatePage({ targetNodes: target, seed: SEED + target, title: `Synthetic chart, ${target} nodes` });
  const path = `/chart-${target}.html`;
  ctx.server.pages.set(path, gen.html);
  const reps = target >= 150_000 ? Math.min(ctx.opts.reps, 2) : ctx.opts.reps;
  const began = Date.now();
  const log = (s: string) => console.log(`  ${target / 1000}k: ${s} [${((Date.now() - began) / 1000).toFixed(0)} s]`);

  // 1. The extension's first pass and the floor, alternating on fresh loads: on a shared machine
  // the load changes from minute to minute, so each ratio compares neighbours in time.
  const runs: ExtensionRun[] = [];
  const floors: ReturnType<Bench['floor']>[] = [];
  let kept: { page: Page; cdp: CDPSession } | null = null;
  let controlHeap = NaN;
  for (let r = 0; r < reps; r++) {
    const { run, page, cdp } = await extensionPass(ctx, path);
    runs.push(run);
    if (r === reps - 1) kept = { page, cdp };
    else await page.close();
    const c = await controlPage(ctx, path);
    if (r === 0) controlHeap = await gcHeap(c.cdp);
    await injectBundle(ctx, c.page);
    floors.push(await c.page.evaluate(() => (globalThis as unknown as BenchGlobal).__chartlightBench.floor()));
    await c.page.close();
  }
  const med = (f: (r: ExtensionRun) => number) => median(runs.map(f));
  log(
    `first pass ${med((r) => r.pass.span).toFixed(1)} ms, longest task ${med((r) => r.pass.longest).toFixed(1)} ms; ` +
      `reporting afterwards ${med((r) => r.after.busy).toFixed(1)} ms in ${Math.round(med((r) => r.after.tasks))} tasks; ` +
      `page rendering ${med((r) => r.render.busy).toFixed(1)} ms, longest ${med((r) => r.render.longest).toFixed(1)} ms`,
  );

  // 2. Heap, hover and updates on the last loaded page.
  const { page, cdp } = kept!;
  const grantedHeap = await gcHeap(cdp);
  await injectBundle(ctx, page);
  const hoverRaw = await page.evaluate(() => (globalThis as unknown as BenchGlobal).__chartlightBench.hitTest(200));
  const hover = {
    p95Ms: percentile(hoverRaw.times, 95),
    lookupP95Ms: percentile(hoverRaw.lookupTimes, 95),
    hits: hoverRaw.hits,
    tried: hoverRaw.tried,
  };
  // The hit test scrolled the page and back: the scanner moves its shown window after a scroll
  // (80 ms, then a frame). Let that finish, or it lands in the first update's measurement, with the
  // page's whole rendering task (the window's frame callback runs in it).
  await page.waitForTimeout(500);
  // Enough batches for a median: one batch's cost varies by 2–4× with what else the machine runs.
  const upd = await updates(ctx, page, cdp, target >= 150_000 ? 3 : 7);
  log(`updates: ${upd?.busyMs.toFixed(1)} ms main thread per 100 nodes, latency ${upd?.latencyMs.toFixed(0)} ms`);
  await page.close();

  // 3. The stage replay on a fresh copy where the extension does not run (once on large pages:
  // it explains the split, the ratios do not depend on it).
  const replays: (ReturnType<Bench['replay']> & { reregisterMs: number })[] = [];
  for (let r = 0; r < (target >= 60_000 ? 1 : reps); r++) {
    const d = await controlPage(ctx, path);
    await injectBundle(ctx, d.page);
    const rep = await d.page.evaluate(() => (globalThis as unknown as BenchGlobal).__chartlightBench.replay());
    const again = await d.page.evaluate(() => (globalThis as unknown as BenchGlobal).__chartlightBench.reregister());
    replays.push({ ...rep, reregisterMs: again.againMs });
    await d.page.close();
  }
  const floor = {
    walkMs: median(floors.map((f) => f.walkMs)),
    matchMs: median(floors.map((f) => f.matchMs)),
    totalMs: median(floors.map((f) => f.walkMs + f.matchMs)),
    mentions: floors[0]!.mentions,
    /** Median over reps of (first pass ÷ floor) within each rep. */
    pairedRatio: median(runs.map((r, i) => r.pass.span / (floors[i]!.walkMs + floors[i]!.matchMs))),
  };
  log(`floor ${floor.totalMs.toFixed(1)} ms (walk ${floor.walkMs.toFixed(1)}, match ${floor.matchMs.toFixed(1)})`);

  // 4. The peer: mark.js on fresh copies (it rewrites the DOM).
  const peer = await measurePeer(ctx, path, target);
  log('skipped' in peer ? `mark.js skipped: ${peer.skipped}` : `mark.js ${peer.scriptMs.toFixed(0)} ms`);

  return {
    target,
    nodes: gen.nodes,
    textNodes: gen.textNodes,
    textChars: gen.textChars,
    reps,
    firstPass: {
      spanMs: med((r) => r.pass.span),
      busyMs: med((r) => r.pass.busy),
      longestTaskMs: med((r) => r.pass.longest),
      tasksOver50: Math.round(med((r) => r.pass.over50)),
      tasks: Math.round(med((r) => r.pass.tasks)),
      visibleMs: med((r) => r.visibleMs),
      lastHighlightMs: med((r) => r.lastHighlightMs),
      paintAfterMs: med((r) => r.pass.paintAfter),
      highlights: runs[0]!.highlights,
      gapsMs: med((r) => r.pass.gaps),
      afterBusyMs: med((r) => r.after.busy),
      afterTasks: Math.round(med((r) => r.after.tasks)),
      afterLongestMs: med((r) => r.after.longest),
      renderBusyMs: med((r) => r.render.busy),
      renderTasks: Math.round(med((r) => r.render.tasks)),
      renderLongestMs: med((r) => r.render.longest),
      longestInside: runs.reduce((m, r) => (r.pass.longest > m.pass.longest ? r : m), runs[0]!).pass.longestInside,
      marks: runs[0]!.marks
        ? Object.fromEntries(Object.keys(runs[0]!.marks).map((k) => [k, median(runs.map((r) => r.marks?.[k] ?? NaN))]))
        : null,
    },
    longTasks: {
      count: Math.round(med((r) => r.longTasks.count)),
      longestMs: med((r) => r.longTasks.longestMs),
    },
    floor,
    replay: {
      extractMs: median(replays.map((x) => x.extractMs)),
      analyzeMs: median(replays.map((x) => x.analyzeMs)),
      rangesMs: median(replays.map((x) => x.rangesMs)),
      registerMs: median(replays.map((x) => x.registerMs)),
      reregisterMs: median(replays.map((x) => x.reregisterMs)),
      findings: replays[0]!.findings,
    },
    peer,
    updates: upd,
    hover,
    heap: Number.isFinite(controlHeap) ? { extensionBytes: grantedHeap - controlHeap } : null,
    mutations: Math.max(...runs.map((r) => r.mutations)),
  };
}

/** mark.js time per node and term, learnt at the first size, predicts what fits the budget. */
let peerMsPerNodeTerm = NaN;
/** Time budget for mark.js per page size; beyond it a sample of the terms runs (see report). */
const PEER_BUDGET_MS = 4_000;

async function measurePeer(ctx: Ctx, path: string, target: number): Promise<SizeResult['peer']> {
  const all = ctx.terms;
  if (!Number.isFinite(peerMsPerNodeTerm)) await calibratePeer(ctx, path, target);
  const predicted = peerMsPerNodeTerm * target * all.length;
  let terms = all;
  if (predicted > PEER_BUDGET_MS) {
    const k = Math.max(4, Math.floor((all.length * PEER_BUDGET_MS) / predicted));
    const step = all.length / k;
    terms = Array.from({ length: k }, (_, i) => all[Math.floor(i * step)]!);
  }
  const expected = Number.isFinite(predicted) ? (predicted * terms.length) / all.length : NaN;
  const reps = expected > 3000 || target >= 60_000 ? 1 : ctx.opts.reps;
  const script: number[] = [];
  const layout: number[] = [];
  let marks = 0;
  for (let r = 0; r < reps; r++) {
    const { page } = await controlPage(ctx, path);
    await page.evaluate(ctx.markJs);
    const res = await page.evaluate((list) => {
      const MarkCtor = (window as unknown as { Mark: new (el: Element) => { mark(t: string[], o: object): void } })
        .Mark;
      const t0 = performance.now();
      new MarkCtor(document.body).mark(list, {
        accuracy: 'exactly',
        separateWordSearch: false,
        acrossElements: false,
      });
      const t1 = performance.now();
      void document.body.offsetHeight;
      const t2 = performance.now();
      return { script: t1 - t0, layout: t2 - t1, marks: document.querySelectorAll('mark').length };
    }, terms);
    script.push(res.script);
    layout.push(res.layout);
    marks = res.marks;
    await page.close();
  }
  const scale = all.length / terms.length;
  return {
    scriptMs: median(script) * scale,
    layoutMs: median(layout),
    marks,
    terms: all.length,
    reps,
    sampledTerms: terms.length === all.length ? null : terms.length,
  };
}

/** mark.js over a few terms once, to learn its cost per node and term before the real runs. */
async function calibratePeer(ctx: Ctx, path: string, target: number): Promise<void> {
  const step = Math.max(1, Math.floor(ctx.terms.length / 12));
  const sample = ctx.terms.filter((_, i) => i % step === 0).slice(0, 12);
  const { page } = await controlPage(ctx, path);
  await page.evaluate(ctx.markJs);
  const ms = await page.evaluate((list) => {
    const MarkCtor = (window as unknown as { Mark: new (el: Element) => { mark(t: string[], o: object): void } }).Mark;
    const t0 = performance.now();
    new MarkCtor(document.body).mark(list, { accuracy: 'exactly', separateWordSearch: false, acrossElements: false });
    return performance.now() - t0;
  }, sample);
  await page.close();
  peerMsPerNodeTerm = ms / target / sample.length;
}

/** The content script's fixed cost: first passes on a page of one paragraph. */
async function measureStartup(ctx: Ctx): Promise<BenchResults['startup']> {
  const path = '/chart-1.html';
  ctx.server.pages.set(
    path,
    '<!doctype html><html><head><title>One paragraph</title></head><body><main><p>Patient reports migraine.</p></main></body></html>',
  );
  const runs: ExtensionRun[] = [];
  for (let r = 0; r < ctx.opts.reps; r++) {
    const { run, page } = await extensionPass(ctx, path);
    runs.push(run);
    await page.close();
  }
  return { spanMs: median(runs.map((r) => r.pass.span)), compileMs: median(runs.map((r) => r.compileMs)) };
}

async function main(): Promise<number> {
  if (process.argv.includes('--render')) return renderOnly(process.argv.includes('--cpu4x') ? 4 : 1);
  const t0 = Date.now();
  const load0 = os.loadavg()[0]!;
  const opts = parseArgs(process.argv.slice(2));
  if (!findChromium()) {
    console.error(NO_BROWSER_HELP);
    return 1;
  }
  const kdir = knowledgeDir();
  const kdirShown = relative(ROOT, kdir) || '.';
  if (opts.build) {
    console.log(`Building the extension for the benchmark sites (knowledge: ${kdirShown})…`);
    const b = spawnSync('npx', ['wxt', 'build'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        CHARTLIGHT_SITES: SITES,
        CHARTLIGHT_KNOWLEDGE_DIR: kdir,
        // Its own build, beside the end-to-end one, leaving a mark when each pass is shown.
        CHARTLIGHT_OUT_DIR: BENCH_OUT,
        CHARTLIGHT_MARKS: '1',
      },
    });
    if (b.status !== 0) {
      console.error('The build failed (see above).');
      return 1;
    }
  }
  const knowledge = loadKnowledge(kdir);
  const lexicon = knowledge.lexicon;
  const ctxBase = {
    opts,
    bundle: await bundlePageWorld(),
    lexiconJson: JSON.stringify(lexicon),
    panelJson: JSON.stringify(knowledge.panel),
    markJs: readFileSync(join(ROOT, 'node_modules', 'mark.js', 'dist', 'mark.min.js'), 'utf8'),
    terms: peerTerms(lexicon),
  };
  const server = await serve();
  const browser = await launchWithExtension({ headless: true, extensionDir: join(BENCH_OUT, 'chrome-mv3') });
  const port = new URL(server.origin).port;
  const ctx: Ctx = { ...ctxBase, server, browser, port, extensionOrigin: `chrome-extension://${browser.extensionId}/` };

  const external: string[] = [];
  browser.context.on('request', (req) => {
    const u = req.url();
    const local = u.startsWith(server.origin) || u.startsWith(`http://${CONTROL_HOST}:${port}`);
    if (!local && !/^(chrome-extension|data|blob|about):/.test(u)) external.push(u);
  });
  // Cross-origin isolation gives performance.now() 5 µs resolution (100 µs otherwise); the
  // ungranted host is answered from the same in-memory pages.
  const isolate = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  await browser.context.route(/\/chart-\d+\.html$/, async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === CONTROL_HOST) {
      const html = server.pages.get(url.pathname);
      await route.fulfill({
        status: html ? 200 : 404,
        contentType: 'text/html; charset=utf-8',
        body: html ?? '',
        headers: isolate,
      });
      return;
    }
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), ...isolate } });
  });
  // tsx compiles this file with esbuild's keepNames, which wraps nested functions in __name();
  // the page has no such helper, so the serialised observer brings a no-op one along.
  await browser.context.addInitScript({ content: `var __name = (f) => f; (${pageObserver.toString()})();` });

  const sizes: SizeResult[] = [];
  let results: BenchResults | null = null;
  try {
    console.log(`Chromium ${browser.context.browser()?.version() ?? ''} · CPU ×${opts.cpu} · ${opts.reps} reps`);
    const startup = await measureStartup(ctx);
    console.log(`  content script fixed cost: ${startup.spanMs.toFixed(1)} ms`);
    for (const target of opts.sizes) sizes.push(await measureSize(ctx, target));

    // Lexicon load, its heap, matcher throughput: on the largest-but-one page where nothing else runs.
    const tpSize = opts.sizes.includes(60_000) ? 60_000 : opts.sizes[opts.sizes.length - 1]!;
    const c = await controlPage(ctx, `/chart-${tpSize}.html`);
    await c.page.evaluate(ctx.bundle);
    const loads: { parseMs: number; createMs: number }[] = [];
    const heap0 = await gcHeap(c.cdp);
    for (let r = 0; r < 5; r++)
      loads.push(
        await c.page.evaluate(
          (j) => (globalThis as unknown as BenchGlobal).__chartlightBench.loadLexicon(j),
          ctx.lexiconJson,
        ),
      );
    const heap1 = await gcHeap(c.cdp);
    const tp = await c.page.evaluate(() =>
      (globalThis as unknown as BenchGlobal).__chartlightBench.throughput([1000, 10_000], 7),
    );
    await c.page.close();

    const searchRes = await measureSearch(ctx, lexicon);
    const version =
      (await browser.worker.evaluate(() => navigator.userAgent)).match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium';
    results = {
      date: new Date().toISOString(),
      browser: version,
      cpuSlowdown: opts.cpu,
      knowledgeDir: kdirShown,
      lexicon: {
        forms: lexicon.forms.length,
        concepts: lexicon.concepts.length,
        codes: Object.keys(lexicon.codes).length,
        version: lexicon.version,
        hash: lexicon.hash,
      },
      startup,
      lexiconLoad: {
        parseMs: loads[0]!.parseMs,
        createMs: loads[0]!.createMs,
        warmMs: median(loads.slice(1).map((l) => l.parseMs + l.createMs)),
      },
      // The first load's engine is kept by the bundle (later loads replace it), so the growth is one engine's heap.
      lexiconHeapBytes: heap1 - heap0,
      search: searchRes,
      throughput: tp.map((t) => ({ ...t, mbPerS: megabytesPerSecond(t.chars, t.ms) })),
      network: { external: external.length, urls: [...new Set(external)].slice(0, 20) },
      sizes,
      durationS: (Date.now() - t0) / 1000,
      loadAverage: [load0, os.loadavg()[0]!],
      cores: os.cpus().length,
    };
  } finally {
    await browser.close();
    await server.close();
  }

  mkdirSync(OUT_DIR, { recursive: true });
  const base = baseName(opts.cpu);
  writeFileSync(join(OUT_DIR, `${base}.json`), JSON.stringify(results, null, 2) + '\n');
  writeReport(results, base);
  return 0;
}

function baseName(cpu: number): string {
  return cpu === 1 ? 'latest' : `latest-cpu${cpu}x`;
}

function writeReport(results: BenchResults, base: string): void {
  writeFileSync(join(OUT_DIR, `${base}.svg`), renderSvg(results) + '\n');
  writeFileSync(join(OUT_DIR, `${base}.md`), renderMarkdown(results, `${base}.svg`));
  console.log('');
  for (const line of ratioLines(results)) console.log(line);
  console.log('');
  for (const c of checks(results))
    console.log(`${c.verdict.padEnd(4)} ${c.id.padEnd(5)} ${c.what}: ${c.measured} (target ${c.target})`);
  console.log(`\nWrote bench/results/${base}.{json,md,svg} (run took ${results.durationS.toFixed(0)} s)`);
}

/** `--render`: the report again from the stored results, without measuring. */
function renderOnly(cpu: number): number {
  const base = baseName(cpu);
  writeReport(JSON.parse(readFileSync(join(OUT_DIR, `${base}.json`), 'utf8')) as BenchResults, base);
  return 0;
}

/**
 * P7: the panel's search timed inside the extension's own side panel page (opened as a tab; the
 * library is evaluated there through DevTools, so the page's CSP is not involved), and in Node.
 */
async function measureSearch(ctx: Ctx, lexicon: CompiledLexicon): Promise<BenchResults['search']> {
  const queries = searchQueries(lexicon);
  const nodeSearcher = createSearcher(JSON.parse(ctx.panelJson));
  const nodeTimes: number[] = [];
  for (const q of queries) {
    const s = performance.now();
    nodeSearcher.search(q);
    nodeTimes.push(performance.now() - s);
  }
  let where = 'side panel page';
  let res: { buildMs: number; times: number[]; hits: number };
  const { page } = await openPage(ctx);
  try {
    await page.goto(`chrome-extension://${ctx.browser.extensionId}/sidepanel.html`);
    await page.evaluate(ctx.bundle);
    res = await page.evaluate(
      ([p, q]) => (globalThis as unknown as BenchGlobal).__chartlightBench.search(p!, JSON.parse(q!) as string[], 2),
      [ctx.panelJson, JSON.stringify(queries)],
    );
  } catch {
    where = 'page world (side panel not reachable)';
    await page.goto(`http://${CONTROL_HOST}:${ctx.port}/chart-${ctx.opts.sizes[0]}.html`);
    await page.evaluate(ctx.bundle);
    res = await page.evaluate(
      ([p, q]) => (globalThis as unknown as BenchGlobal).__chartlightBench.search(p!, JSON.parse(q!) as string[], 2),
      [ctx.panelJson, JSON.stringify(queries)],
    );
  }
  await page.close();
  return {
    where,
    p95Ms: percentile(res.times, 95),
    medianMs: median(res.times),
    buildMs: res.buildMs,
    queries: queries.length,
    node: { p95Ms: percentile(nodeTimes, 95), medianMs: median(nodeTimes) },
  };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
