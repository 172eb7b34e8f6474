/**
 * The benchmark's results: their shape, the verdicts against the targets (P1–P11, the floor, the
 * peer) and the readable report (markdown with an SVG bar chart). Pure functions of the results.
 */
import { atLeast, atMost, fmt, ratio, type Verdict } from './stats';

export interface FirstPass {
  /** First extension task start → end of the last extension task before the final highlights. */
  spanMs: number;
  /** Main-thread time in the extension's tasks during the pass. */
  busyMs: number;
  longestTaskMs: number;
  tasksOver50: number;
  tasks: number;
  /** Start of the pass → first frame with a highlight in the viewport. */
  visibleMs: number;
  /** Start of the pass → the frame that showed the final highlights. */
  lastHighlightMs: number;
  /** The rendering task right after the pass (highlights painted). */
  paintAfterMs: number;
  highlights: number;
  /** Idle time between the extension's slices inside the span. */
  gapsMs: number;
  /**
   * The extension's main-thread work after the pass was shown, up to the settle the benchmark waits
   * for: sending the findings to the background in parts. Not in the span; absent in older results.
   */
  afterBusyMs?: number;
  afterTasks?: number;
  afterLongestMs?: number;
  /**
   * The page's own rendering tasks from the pass's start until the findings were reported:
   * mostly repainting after highlight changes. Absent in older results.
   */
  renderBusyMs?: number;
  renderTasks?: number;
  renderLongestMs?: number;
  /** What the longest extension task was made of (ms per kind: script, gc, style, layout, paint). */
  longestInside: Record<string, number>;
  /** The scanner's own measures (chartlight:walk / :match / :register), when it records them. */
  marks: Record<string, number> | null;
}

export interface SizeResult {
  target: number;
  nodes: number;
  textNodes: number;
  textChars: number;
  reps: number;
  firstPass: FirstPass;
  /** Long tasks the page world saw (PerformanceObserver 'longtask'), any source. */
  longTasks: { count: number; longestMs: number };
  floor: {
    walkMs: number;
    matchMs: number;
    totalMs: number;
    mentions: number;
    /** Median over reps of first pass ÷ floor measured back to back (robust to a changing load). */
    pairedRatio: number;
  };
  /** The extension's stages replayed in the page world with the same library code. */
  replay: {
    extractMs: number;
    analyzeMs: number;
    rangesMs: number;
    registerMs: number;
    /** Registry update of a rescan, once the first highlights are painted. */
    reregisterMs: number;
    findings: number;
  };
  peer:
    | {
        scriptMs: number;
        layoutMs: number;
        marks: number;
        terms: number;
        reps: number;
        /** mark.js ran over `sampledTerms` of the terms; scriptMs is scaled up by terms ÷ sampledTerms. */
        sampledTerms: number | null;
      }
    | { skipped: string };
  updates: {
    latencyMs: number;
    /** Median over the batches. */
    busyMs: number;
    /** The first batch (cold code); absent in older results. */
    firstBusyMs?: number;
    longestTaskMs: number;
    batches: number;
    rescans: number;
  } | null;
  hover: { p95Ms: number; lookupP95Ms: number; hits: number; tried: number } | null;
  heap: { extensionBytes: number } | null;
  /** Mutations of the page's DOM seen while the extension scanned (P4). */
  mutations: number;
}

export interface BenchResults {
  date: string;
  browser: string;
  cpuSlowdown: number;
  knowledgeDir: string;
  lexicon: { forms: number; concepts: number; codes: number; version: string; hash: string };
  /** The first load in a fresh page (what every frame pays once); warmMs: later loads' median. */
  lexiconLoad: { parseMs: number; createMs: number; warmMs: number };
  /** First pass on a page of one paragraph: the content script's fixed cost (start-up, compile). */
  startup: { spanMs: number; compileMs: number };
  lexiconHeapBytes: number | null;
  search: {
    where: string;
    p95Ms: number;
    medianMs: number;
    buildMs: number;
    queries: number;
    node: { p95Ms: number; medianMs: number };
  };
  throughput: { forms: number; mbPerS: number; ms: number; chars: number }[];
  network: { external: number; urls: string[] };
  sizes: SizeResult[];
  durationS: number;
  /** One-minute load average of the machine at the start and the end of the run. */
  loadAverage: [number, number];
  cores: number;
}

export function peerMs(s: SizeResult): number {
  return 'skipped' in s.peer ? NaN : s.peer.scriptMs;
}

export interface Ratios {
  target: number;
  nodes: number;
  firstPassOverFloor: number;
  peerOverFirstPass: number;
}

/** The two headline ratios at every size (first pass ÷ floor; mark.js ÷ first pass). */
export function ratios(r: BenchResults): Ratios[] {
  return r.sizes.map((s) => ({
    target: s.target,
    nodes: s.nodes,
    firstPassOverFloor: Number.isFinite(s.floor.pairedRatio)
      ? s.floor.pairedRatio
      : ratio(s.firstPass.spanMs, s.floor.totalMs),
    peerOverFirstPass: ratio(peerMs(s), s.firstPass.spanMs),
  }));
}

export interface Check {
  id: string;
  what: string;
  target: string;
  measured: string;
  verdict: Verdict;
}

function sizeNear(r: BenchResults, target: number): SizeResult | undefined {
  return r.sizes.find((s) => s.target === target);
}

function worst(values: Verdict[]): Verdict {
  if (values.includes('fail')) return 'fail';
  if (values.length === 0 || values.every((v) => v === 'n/a')) return 'n/a';
  return 'pass';
}

/** Every target of the design, judged against the measured figures. */
export function checks(r: BenchResults): Check[] {
  const out: Check[] = [];
  const ratioRows = ratios(r);
  out.push({
    id: 'floor',
    what: 'first pass ÷ floor, every size',
    target: '≤ 2×',
    measured: ratioRows.map((x) => `${x.target / 1000}k: ${fmt(x.firstPassOverFloor)}×`).join(', '),
    verdict: worst(ratioRows.map((x) => atMost(x.firstPassOverFloor, 2))),
  });
  const big = ratioRows.filter((x) => x.target >= 20_000);
  out.push({
    id: 'peer',
    what: 'mark.js ÷ first pass, from 20k nodes',
    target: '≥ 10×',
    measured: big.map((x) => `${x.target / 1000}k: ${fmt(x.peerOverFirstPass)}×`).join(', '),
    verdict: worst(big.map((x) => atLeast(x.peerOverFirstPass, 10))),
  });
  out.push({
    id: 'tasks',
    what: 'longest extension task, every size',
    target: '≤ 50 ms',
    measured: r.sizes.map((s) => `${s.target / 1000}k: ${fmt(s.firstPass.longestTaskMs)} ms`).join(', '),
    verdict: worst(r.sizes.map((s) => atMost(s.firstPass.longestTaskMs, 50))),
  });
  const m = sizeNear(r, 20_000);
  out.push({
    id: 'P1',
    what: 'first pass, ~20k nodes: main thread in all; longest task',
    target: '≤ 50 ms; ≤ 50 ms',
    measured: m ? `${fmt(m.firstPass.busyMs)} ms; ${fmt(m.firstPass.longestTaskMs)} ms` : '–',
    verdict: m ? worst([atMost(m.firstPass.busyMs, 50), atMost(m.firstPass.longestTaskMs, 50)]) : 'n/a',
  });
  const l = sizeNear(r, 60_000);
  out.push({
    id: 'P2',
    what: 'large page ~60k: visible area marked; longest slice',
    target: '≤ 100 ms; ≤ 50 ms',
    measured: l ? `${fmt(l.firstPass.visibleMs)} ms; ${fmt(l.firstPass.longestTaskMs)} ms` : '–',
    verdict: l ? worst([atMost(l.firstPass.visibleMs, 100), atMost(l.firstPass.longestTaskMs, 50)]) : 'n/a',
  });
  const x = sizeNear(r, 150_000);
  out.push({
    id: 'P3',
    what: 'extreme page ~150k: longest slice; done',
    target: '≤ 50 ms; ≤ 1500 ms',
    measured: x ? `${fmt(x.firstPass.longestTaskMs)} ms; ${fmt(x.firstPass.lastHighlightMs)} ms` : '–',
    verdict: x ? worst([atMost(x.firstPass.longestTaskMs, 50), atMost(x.firstPass.lastHighlightMs, 1500)]) : 'n/a',
  });
  out.push({
    id: 'P4',
    what: "changes to the page's DOM during scans",
    target: '0',
    measured: String(r.sizes.reduce((s, z) => s + z.mutations, 0)),
    verdict: atMost(
      r.sizes.reduce((s, z) => s + z.mutations, 0),
      0,
    ),
  });
  const upd = r.sizes.filter((s) => s.updates);
  out.push({
    id: 'P5',
    what: 'main thread per 100 added text nodes; rescans per batch',
    target: '≤ 5 ms; 1',
    measured: upd
      .map((s) => `${s.target / 1000}k: ${fmt(s.updates!.busyMs)} ms, ${fmt(s.updates!.rescans, 1)}`)
      .join('; '),
    verdict: worst(upd.flatMap((s) => [atMost(s.updates!.busyMs, 5), atMost(s.updates!.rescans, 1)])),
  });
  const hov = r.sizes.filter((s) => s.hover);
  out.push({
    id: 'P6',
    what: 'hover hit-test p95 (caretPositionFromPoint + index)',
    target: '≤ 1 ms',
    measured: hov.map((s) => `${s.target / 1000}k: ${fmt(s.hover!.p95Ms, 3)} ms`).join(', '),
    verdict: worst(hov.map((s) => atMost(s.hover!.p95Ms, 1))),
  });
  out.push({
    id: 'P7',
    what: `side panel search p95 (${r.search.where})`,
    target: '≤ 50 ms',
    measured: `${fmt(r.search.p95Ms)} ms`,
    verdict: atMost(r.search.p95Ms, 50),
  });
  const load = r.lexiconLoad.parseMs + r.lexiconLoad.createMs;
  out.push({
    id: 'P8',
    what: 'lexicon load in a frame (JSON.parse + createEngine)',
    target: '≤ 30 ms',
    measured: `${fmt(load)} ms`,
    verdict: atMost(load, 30),
  });
  const tp = r.throughput;
  const t1k = tp.find((t) => t.forms === 1000);
  const t10k = tp.find((t) => t.forms === 10_000);
  const slowdown = t1k && t10k ? ratio(t1k.mbPerS, t10k.mbPerS) : NaN;
  out.push({
    id: 'P9',
    what: 'matcher throughput (real lexicon); 1k → 10k forms slowdown',
    target: '≥ 50 MB/s; < 2×',
    measured: `${fmt(tp[0]?.mbPerS)} MB/s; ${fmt(slowdown)}×`,
    verdict: worst([
      atLeast(tp[0]?.mbPerS ?? NaN, 50),
      slowdown < 2 ? 'pass' : Number.isFinite(slowdown) ? 'fail' : 'n/a',
    ]),
  });
  const heaps = r.sizes.filter((s) => s.heap);
  out.push({
    id: 'P10',
    what: 'heap: lexicon + engine; whole content script (per page size)',
    target: '≤ 15 MB',
    measured:
      `${fmt((r.lexiconHeapBytes ?? NaN) / 1e6)} MB; ` +
      heaps.map((s) => `${s.target / 1000}k: ${fmt(s.heap!.extensionBytes / 1e6)} MB`).join(', '),
    verdict: worst([
      atMost((r.lexiconHeapBytes ?? NaN) / 1e6, 15),
      ...heaps.map((s) => atMost(s.heap!.extensionBytes / 1e6, 15)),
    ]),
  });
  out.push({
    id: 'P11',
    what: 'network requests to any other host',
    target: '0',
    measured: String(r.network.external),
    verdict: atMost(r.network.external, 0),
  });
  return out;
}

/** The console's first lines: the two ratios at every size. */
export function ratioLines(r: BenchResults): string[] {
  return ratios(r).map(
    (x) =>
      `${String(x.target / 1000).padStart(4)}k nodes: first pass ÷ floor = ${fmt(x.firstPassOverFloor).padStart(6)}×   ` +
      `mark.js ÷ first pass = ${fmt(x.peerOverFirstPass).padStart(6)}×`,
  );
}

const SERIES = [
  { key: 'floor', label: 'floor (walk + match)', color: '#7a7a7a' },
  { key: 'first', label: 'Chartlight first pass', color: '#2f6fb3' },
  { key: 'peer', label: 'mark.js', color: '#c8553d' },
] as const;

/**
 * A grouped, log-scale bar chart (ms per page size): floor, first pass, mark.js. Log scale because
 * the three differ by orders of magnitude; every bar carries its value as text.
 */
export function renderSvg(r: BenchResults): string {
  const groups = r.sizes.map((s) => ({
    label: `${Math.round(s.nodes / 1000)}k nodes`,
    values: [s.floor.totalMs, s.firstPass.spanMs, peerMs(s)],
  }));
  const width = 760;
  const height = 360;
  const left = 70;
  const right = 20;
  const top = 40;
  const bottom = 70;
  const plotH = height - top - bottom;
  const all = groups.flatMap((g) => g.values).filter((v) => Number.isFinite(v) && v > 0);
  const maxV = Math.max(10, ...all);
  const minV = Math.min(0.1, ...all);
  const lo = Math.floor(Math.log10(minV));
  const hi = Math.ceil(Math.log10(maxV));
  const y = (v: number) => top + plotH - ((Math.log10(v) - lo) / (hi - lo)) * plotH;
  const groupW = (width - left - right) / Math.max(1, groups.length);
  const barW = Math.min(48, (groupW - 20) / SERIES.length);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
  );
  out.push(`<title>First pass, floor and mark.js by page size (ms, log scale)</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(
    `<text x="${left}" y="20" font-size="13" font-weight="bold">Time per page (ms, log scale), CPU ×${r.cpuSlowdown}</text>`,
  );
  for (let e = lo; e <= hi; e++) {
    const yy = y(10 ** e).toFixed(1);
    out.push(`<line x1="${left}" x2="${width - right}" y1="${yy}" y2="${yy}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${10 ** e}</text>`);
  }
  groups.forEach((g, gi) => {
    const gx = left + gi * groupW + (groupW - barW * SERIES.length) / 2;
    g.values.forEach((v, si) => {
      const x = gx + si * barW;
      if (!Number.isFinite(v) || v <= 0) {
        out.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${top + plotH - 4}" text-anchor="middle">n/a</text>`);
        return;
      }
      const yy = y(v);
      out.push(
        `<rect x="${x.toFixed(1)}" y="${yy.toFixed(1)}" width="${(barW - 4).toFixed(1)}" height="${(top + plotH - yy).toFixed(1)}" fill="${SERIES[si]!.color}"><title>${SERIES[si]!.label}: ${fmt(v)} ms</title></rect>`,
      );
      out.push(
        `<text x="${(x + (barW - 4) / 2).toFixed(1)}" y="${(yy - 3).toFixed(1)}" text-anchor="middle">${fmt(v)}</text>`,
      );
    });
    out.push(
      `<text x="${(left + gi * groupW + groupW / 2).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle">${g.label}</text>`,
    );
  });
  SERIES.forEach((s, i) => {
    const x = left + i * 200;
    out.push(`<rect x="${x}" y="${height - 24}" width="12" height="12" fill="${s.color}"/>`);
    out.push(`<text x="${x + 18}" y="${height - 14}">${s.label}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/** A text bar (for terminals and plain markdown): log-scaled to `width` characters. */
export function textBar(v: number, max: number, width = 40): string {
  if (!Number.isFinite(v) || v <= 0) return '';
  const n = Math.max(1, Math.round((Math.log10(1 + v) / Math.log10(1 + max)) * width));
  return '█'.repeat(Math.min(width, n));
}

export function renderMarkdown(r: BenchResults, svgFile = 'latest.svg'): string {
  const L: string[] = [];
  L.push(`# Chartlight benchmark`);
  L.push('');
  L.push(
    `${r.date} · ${r.browser} · CPU slowdown ×${r.cpuSlowdown} · knowledge: \`${r.knowledgeDir}\` ` +
      `(${r.lexicon.forms} surface forms, ${r.lexicon.codes} codes, lexicon ${r.lexicon.version} ${r.lexicon.hash}) · ${fmt(r.durationS, 0)} s · ` +
      `load average ${fmt(r.loadAverage[0], 1)} → ${fmt(r.loadAverage[1], 1)} on ${r.cores} cores`,
  );
  L.push('');
  L.push('## Ratios');
  L.push('');
  L.push(
    'First pass ÷ floor is the median of the ratios of back-to-back runs (extension pass, then floor on a fresh copy). ' +
      'Absolute times depend on the machine and its load; the ratios are what the targets are about.',
  );
  L.push('');
  L.push('| page | nodes | text | first pass ÷ floor (≤ 2×) | mark.js ÷ first pass (≥ 10× from 20k) |');
  L.push('|---|---:|---:|---:|---:|');
  for (const [i, x] of ratios(r).entries()) {
    const s = r.sizes[i]!;
    L.push(
      `| ${x.target / 1000}k | ${s.nodes} | ${fmt(s.textChars / 1e6, 2)} MB | ${fmt(x.firstPassOverFloor)}× | ${fmt(x.peerOverFirstPass)}× |`,
    );
  }
  L.push('');
  L.push(`![time per page](${svgFile})`);
  L.push('');
  L.push('## Targets');
  L.push('');
  L.push('| # | what | target | measured | verdict |');
  L.push('|---|---|---|---|---|');
  for (const c of checks(r)) {
    L.push(`| ${c.id} | ${c.what} | ${c.target} | ${c.measured} | ${c.verdict === 'fail' ? '**fail**' : c.verdict} |`);
  }
  L.push('');
  L.push('## First pass (medians, ms)');
  L.push('');
  L.push(
    '| page | span | main thread | longest task | tasks > 50 ms | visible marked | last highlight seen | paint after | highlights | floor walk | floor match | mark.js script | mark.js layout | mark.js marks |',
  );
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of r.sizes) {
    const f = s.firstPass;
    const p = 'skipped' in s.peer ? null : s.peer;
    L.push(
      `| ${s.target / 1000}k | ${fmt(f.spanMs)} | ${fmt(f.busyMs)} | ${fmt(f.longestTaskMs)} | ${f.tasksOver50} | ${fmt(f.visibleMs)} | ${fmt(f.lastHighlightMs)} | ${fmt(f.paintAfterMs)} | ${f.highlights} | ${fmt(s.floor.walkMs)} | ${fmt(s.floor.matchMs)} | ${p ? fmt(p.scriptMs) : 'skipped'} | ${p ? fmt(p.layoutMs) : '–'} | ${p ? p.marks : '–'} |`,
    );
  }
  L.push('');
  // Work in tasks outside the span, per size: total, how many tasks, the longest (absent in older results).
  const tasksLine = (intro: string, pick: (f: FirstPass) => [number?, number?, number?]) => {
    const sizes = r.sizes.filter((s) => pick(s.firstPass)[0] !== undefined);
    if (sizes.length === 0) return;
    const each = sizes.map((s) => {
      const [busy, tasks, longest] = pick(s.firstPass);
      return `${s.target / 1000}k: ${fmt(busy!)} ms in ${tasks} tasks, longest ${fmt(longest!)} ms`;
    });
    L.push(`${intro}: ${each.join('; ')}.`, '');
  };
  tasksLine(
    'After a pass is shown, the content script sends its findings to the background in parts (for the side panel); ' +
      'that main-thread work is not in the span above',
    (f) => [f.afterBusyMs, f.afterTasks, f.afterLongestMs],
  );
  tasksLine(
    "The page's own rendering tasks from the pass's start until its findings were reported (not in the extension's " +
      'main thread above). They are mostly the repaints after highlight changes, each of which makes Chromium walk ' +
      'the whole document because the highlight styles draw lines (about 9 ms at 20k nodes, 45-50 ms at 150k)',
    (f) => [f.renderBusyMs, f.renderTasks, f.renderLongestMs],
  );
  L.push(
    `Fixed cost of the content script (first pass on a page of one paragraph): ${fmt(r.startup.spanMs)} ms, ` +
      `of which ${fmt(r.startup.compileMs)} ms compiling its script. It is part of every first pass above.`,
  );
  const sampled = r.sizes.filter((s) => !('skipped' in s.peer) && s.peer.sampledTerms !== null);
  if (sampled.length > 0) {
    L.push('');
    L.push(
      'mark.js walks the whole page once per term, so its time grows with terms × nodes; where the full list would not fit ' +
        'the time budget it ran over an evenly spaced sample of the terms and its script time is scaled up by terms ÷ sample ' +
        `(${sampled.map((s) => `${s.target / 1000}k: ${'skipped' in s.peer ? '' : `${s.peer.sampledTerms} of ${s.peer.terms}`}`).join(', ')}). ` +
        'Its marks and layout columns are those of the sample.',
    );
  }
  L.push('');
  L.push(
    'The longest extension task (median over runs) and what the longest one of all runs held (trace events by kind; nested events can overlap), with the idle gaps between slices:',
  );
  L.push('');
  for (const s of r.sizes) {
    const parts = Object.entries(s.firstPass.longestInside ?? {})
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ');
    L.push(
      `- ${s.target / 1000}k: ${fmt(s.firstPass.longestTaskMs)} ms; longest of all runs held ${parts || 'no detail'}; gaps ${fmt(s.firstPass.gapsMs)} ms over ${s.firstPass.tasks} tasks`,
    );
  }
  L.push('');
  L.push('Text chart (first pass vs mark.js, log scale):');
  L.push('');
  L.push('```');
  const maxV = Math.max(
    ...r.sizes.flatMap((s) => [s.firstPass.spanMs, peerMs(s), s.floor.totalMs]).filter(Number.isFinite),
  );
  for (const s of r.sizes) {
    const tag = `${s.target / 1000}k`.padStart(5);
    L.push(`${tag} floor   ${textBar(s.floor.totalMs, maxV).padEnd(40)} ${fmt(s.floor.totalMs)} ms`);
    L.push(`${tag} chartl. ${textBar(s.firstPass.spanMs, maxV).padEnd(40)} ${fmt(s.firstPass.spanMs)} ms`);
    L.push(`${tag} mark.js ${textBar(peerMs(s), maxV).padEnd(40)} ${fmt(peerMs(s))} ms`);
  }
  L.push('```');
  L.push('');
  L.push('## Where the first pass goes (stages replayed in the page world, ms)');
  L.push('');
  const withMarks = r.sizes.some((s) => s.firstPass.marks);
  L.push(
    withMarks
      ? 'The scanner records its own measures; they are shown beside the replay.'
      : 'The scanner records no performance marks, so the split comes from replaying the same library functions (extractText, analyze, placeFinding, HighlightRegistry.set) in the page world on a fresh copy of the page.',
  );
  L.push('');
  L.push(
    '| page | extract (walk) | analyze (match + context) | ranges | register | register again (rescan, painted) | findings | scanner marks |',
  );
  L.push('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const s of r.sizes) {
    const m = s.firstPass.marks;
    L.push(
      `| ${s.target / 1000}k | ${fmt(s.replay.extractMs)} | ${fmt(s.replay.analyzeMs)} | ${fmt(s.replay.rangesMs)} | ${fmt(s.replay.registerMs)} | ${fmt(s.replay.reregisterMs)} | ${s.replay.findings} | ${
        m
          ? Object.entries(m)
              .map(([k, v]) => `${k} ${fmt(v)}`)
              .join(', ')
          : '–'
      } |`,
    );
  }
  L.push('');
  L.push('## Page updates, hover, memory');
  L.push('');
  L.push(
    '| page | 100 nodes: latency | main thread (median) | first batch | longest task | rescans/batch | hover p95 | lookup p95 | hover hits | heap of content script |',
  );
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of r.sizes) {
    const u = s.updates;
    const h = s.hover;
    L.push(
      `| ${s.target / 1000}k | ${u ? fmt(u.latencyMs) : '–'} | ${u ? fmt(u.busyMs) : '–'} | ${u ? fmt(u.firstBusyMs) : '–'} | ${u ? fmt(u.longestTaskMs) : '–'} | ${u ? fmt(u.rescans, 1) : '–'} | ${h ? fmt(h.p95Ms, 3) : '–'} | ${h ? fmt(h.lookupP95Ms, 3) : '–'} | ${h ? `${h.hits}/${h.tried}` : '–'} | ${s.heap ? fmt(s.heap.extensionBytes / 1e6) + ' MB' : '–'} |`,
    );
  }
  L.push('');
  L.push(
    `Lexicon load (page world, first load in a fresh page): JSON.parse ${fmt(r.lexiconLoad.parseMs)} ms + createEngine ${fmt(r.lexiconLoad.createMs)} ms ` +
      `(warm: ${fmt(r.lexiconLoad.warmMs)} ms); ` +
      `heap ${fmt((r.lexiconHeapBytes ?? NaN) / 1e6)} MB. Panel search (${r.search.where}): p95 ${fmt(r.search.p95Ms)} ms, ` +
      `median ${fmt(r.search.medianMs)} ms over ${r.search.queries} queries (index load ${fmt(r.search.buildMs)} ms); ` +
      `in Node p95 ${fmt(r.search.node.p95Ms)} ms.`,
  );
  L.push('');
  L.push(
    'Matcher throughput over the 60k page text: ' +
      r.throughput.map((t) => `${t.forms} forms ${fmt(t.mbPerS)} MB/s`).join(', ') +
      '.',
  );
  L.push('');
  L.push(`Network requests to other hosts during the run: ${r.network.external}.`);
  L.push('');
  L.push('## How it is measured');
  L.push('');
  L.push(
    [
      '- Extension: the built extension in headless Chromium; each page is loaded fresh on 127.0.0.1 (a granted site) with a DevTools trace running. The extension\'s tasks are the main-thread tasks whose script events name its chrome-extension:// URL; of a task the page began, where the extension ran only at its microtask checkpoint (a mutation observer\'s callback after the page appended nodes), only the extension\'s script events count. "span" runs from the first to the last such task before the page world saw the final highlights; "main thread" sums those tasks; "paint after" is the rendering task that follows.',
      "- Page world: a timer reads the CSS.highlights registry (shared with the isolated world) every 4 ms and leaves a performance mark at every change and when a highlight first lies in the viewport; marks from both worlds share one timeline and appear in the trace. It polls rather than running a requestAnimationFrame loop, which would make Chromium render a frame at every vsync (work a static page never does) between the scanner's slices. The benchmark's build of the extension also leaves a mark (`chartlight:done:<findings>`) when a pass or an update is shown: on pages of more than 1,000 findings only those around the viewport are registered, so the pass ends at that mark, not at the registry's last change, and the \"highlights\" column counts the findings placed.",
      '- Floor and mark.js: the same page on a host the extension is not granted (nothing else runs there). Floor: one TreeWalker pass reading every text node, then the compiled matcher (findMentions) over the joined text. mark.js: every surface form and code, accuracy "exactly", separateWordSearch false, acrossElements false; "script" is mark() itself, "layout" the forced reflow after it.',
      "- Updates: 100 paragraphs with one clinical sentence each are appended to the page; latency runs from the append to the scanner's mark that the update is shown (it includes the scanner's 150 ms debounce); main thread is the extension's tasks in between; rescans counts those marks.",
      '- Matcher throughput: findMentions (fold, tokenise, match) over the text of the 60k page in the page world, on a host the extension is not granted; each lexicon is run three times to warm up, then the lexicons take turns for seven timed runs each, and the median counts.',
      "- Heap: Runtime.getHeapUsage (the renderer's whole V8 heap, after a forced GC) on the granted page minus the same page on the ungranted host; the lexicon's share is the heap growth from JSON.parse + createEngine in the page world.",
      '- Timers: pages are served cross-origin isolated (COOP/COEP added by the bench), so performance.now() has 5 µs resolution instead of 100 µs.',
    ].join('\n'),
  );
  L.push('');
  return L.join('\n');
}
