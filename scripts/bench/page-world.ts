/**
 * Code the benchmark runs inside the page's own world (bundled with esbuild, evaluated through
 * the DevTools protocol so no <script> element is added to the page). It holds the floor — one
 * walk over the text nodes and one run of the compiled matcher — and replays of the extension's
 * own stages, timed one by one, for the split of the first pass.
 */
import { analyze, createEngine, type Engine } from '../../lib/engine/analyze';
import { createMatcher, findMentions } from '../../lib/engine/matcher';
import type { CompiledLexicon } from '../../lib/engine/types';
import { createSearcher } from '../../lib/knowledge/search';
import type { PanelData } from '../../lib/knowledge/panel-data';
import { extractText } from '../../lib/page/extract';
import { HighlightRegistry, placeFinding, type PlacedFinding } from '../../lib/page/highlights';
import { median } from './stats';

let engine: Engine | null = null;
let lexiconText = '';
const now = () => performance.now();

function needEngine(): Engine {
  if (!engine) throw new Error('loadLexicon first');
  return engine;
}

/** P8: the lexicon as the content script gets it (a JSON string) → a ready engine. */
function loadLexicon(json: string): { parseMs: number; createMs: number; forms: number } {
  lexiconText = json;
  const t0 = now();
  const lexicon = JSON.parse(json) as CompiledLexicon;
  const t1 = now();
  engine = createEngine(lexicon);
  const t2 = now();
  return { parseMs: t1 - t0, createMs: t2 - t1, forms: lexicon.forms.length };
}

/** The floor: a TreeWalker over every text node, then the matcher over the joined text. */
function floor(): { walkMs: number; matchMs: number; textNodes: number; chars: number; mentions: number } {
  const e = needEngine();
  const t0 = now();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts: string[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) parts.push((n as Text).data);
  const text = parts.join('\n');
  const t1 = now();
  const { mentions } = findMentions(e.matcher, text);
  const t2 = now();
  return { walkMs: t1 - t0, matchMs: t2 - t1, textNodes: parts.length, chars: text.length, mentions: mentions.length };
}

/**
 * The extension's stages replayed in the page world with the same library code: extract (walk),
 * analyze (match + context), ranges, registry (register). Highlights go under a bench-only
 * registry that is cleared at once, so the page is left as found.
 */
function replay(): {
  extractMs: number;
  analyzeMs: number;
  rangesMs: number;
  registerMs: number;
  findings: number;
  chars: number;
} {
  const e = needEngine();
  const t0 = now();
  const ex = extractText(document.body);
  const t1 = now();
  const findings = analyze(e, ex.text);
  const t2 = now();
  const placed: PlacedFinding[] = [];
  for (const f of findings) {
    const p = placeFinding(ex, f, f.start, f.end);
    if (p) placed.push(p);
  }
  const t3 = now();
  const registry = new HighlightRegistry(window);
  registry.set(placed);
  const t4 = now();
  registry.clear();
  return {
    extractMs: t1 - t0,
    analyzeMs: t2 - t1,
    rangesMs: t3 - t2,
    registerMs: t4 - t3,
    findings: findings.length,
    chars: ex.text.length,
  };
}

/**
 * The cost of a rescan's registry update once highlights are painted: the registry is filled,
 * two frames pass (painted), then filled again with fresh ranges for the same findings, as the
 * scanner does on every rescan.
 */
async function reregister(): Promise<{ firstMs: number; againMs: number; ranges: number }> {
  const e = needEngine();
  const ex = extractText(document.body);
  const place = (): PlacedFinding[] => {
    const out: PlacedFinding[] = [];
    for (const f of analyze(e, ex.text)) {
      const p = placeFinding(ex, f, f.start, f.end);
      if (p) out.push(p);
    }
    return out;
  };
  const registry = new HighlightRegistry(window);
  const a = place();
  const t0 = now();
  registry.set(a);
  const t1 = now();
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const b = place();
  const t2 = now();
  registry.set(b);
  const t3 = now();
  registry.clear();
  return { firstMs: t1 - t0, againMs: t3 - t2, ranges: b.length };
}

/** The text a matcher reads on this page (for throughput runs). */
function pageText(): string {
  return extractText(document.body).text;
}

/**
 * P9: matcher throughput over the page text with the real lexicon and with lexicons grown to
 * `sizes` surface forms (extra forms are synthetic words that never occur on the page).
 */
function throughput(sizes: number[], reps: number): { forms: number; ms: number; chars: number }[] {
  const base = JSON.parse(lexiconText) as CompiledLexicon;
  const text = pageText();
  const variants: CompiledLexicon[] = [base, ...sizes.map((n) => grow(base, n))];
  const matchers = variants.map((lex) => createMatcher(lex));
  // Warm-up. One run was not enough: the lexicon measured first ran at half the speed of the
  // same lexicon cut to 1,000 forms measured right after it (18 against 40 MB/s), its timed runs
  // still paying for the matcher's optimisation.
  for (const m of matchers) for (let w = 0; w < 3; w++) findMentions(m, text);
  // The timed runs take turns, so a slow spell of the machine (or the page still settling after
  // its load) falls on every lexicon alike instead of on whichever was measured first.
  const times: number[][] = matchers.map(() => []);
  for (let r = 0; r < reps; r++) {
    matchers.forEach((m, v) => {
      const t0 = now();
      findMentions(m, text);
      times[v]!.push(now() - t0);
    });
  }
  return variants.map((lex, v) => ({ forms: lex.forms.length, ms: median(times[v]!), chars: text.length }));
}

function grow(base: CompiledLexicon, total: number): CompiledLexicon {
  // A lexicon larger than `total` is cut to its first `total` forms, so both variants are exact sizes.
  const forms = base.forms.slice(0, total);
  const syllables = ['zor', 'vel', 'qua', 'thi', 'mox', 'dra', 'plen', 'kiv', 'sut', 'ober'];
  for (let i = 0; forms.length < total; i++) {
    let w = '';
    for (let k = i + 1; k > 0; k = Math.floor(k / 10)) w += syllables[k % 10];
    // Every third synthetic form is a two-word phrase, as real lexicons hold many.
    forms.push({ text: i % 3 === 0 ? `${w}ine ${syllables[i % 10]}osis` : `${w}amab`, concept: 0 });
  }
  return { ...base, forms };
}

/** P7: one searcher over the panel's data, every query timed. */
function search(
  panelJson: string,
  queries: string[],
  reps: number,
): { buildMs: number; times: number[]; hits: number } {
  const t0 = now();
  const searcher = createSearcher(JSON.parse(panelJson) as PanelData);
  const buildMs = now() - t0;
  const times: number[] = [];
  let hits = 0;
  for (let r = 0; r < reps; r++) {
    for (const q of queries) {
      const s = now();
      hits += searcher.search(q).length;
      times.push(now() - s);
    }
  }
  return { buildMs, times, hits };
}

/**
 * P6: hover hit-test. For `samples` highlighted words spread over the page: scroll the word into
 * view, then time caretPositionFromPoint at its centre plus the lookup in an index shaped like
 * the scanner's (text node → the ranges that start or end in it).
 */
function hitTest(samples: number): { times: number[]; lookupTimes: number[]; hits: number; tried: number } {
  const registry = (CSS as unknown as { highlights: Map<string, Set<AbstractRange>> }).highlights;
  const all: AbstractRange[] = [];
  for (const [name, hl] of registry) if (name.startsWith('chartlight-')) for (const r of hl) all.push(r);
  const byNode = new Map<Node, AbstractRange[]>();
  for (const r of all) {
    for (const n of [r.startContainer, r.endContainer]) {
      let list = byNode.get(n);
      if (!list) byNode.set(n, (list = []));
      if (!list.includes(r)) list.push(r);
    }
  }
  const find = (node: Node, offset: number): AbstractRange | null => {
    const list = byNode.get(node);
    if (!list) return null;
    for (const r of list) {
      if ((node !== r.startContainer || offset >= r.startOffset) && (node !== r.endContainer || offset < r.endOffset))
        return r;
    }
    return null;
  };
  const doc = document as Document & { caretPositionFromPoint(x: number, y: number): CaretPosition | null };
  const times: number[] = [];
  const lookupTimes: number[] = [];
  let hits = 0;
  let tried = 0;
  const step = Math.max(1, Math.floor(all.length / samples));
  for (let i = 0; i < all.length && tried < samples; i += step) {
    const r = all[i]!;
    if (r.startContainer !== r.endContainer) continue;
    const live = document.createRange();
    live.setStart(r.startContainer, r.startOffset);
    live.setEnd(r.endContainer, r.endOffset);
    r.startContainer.parentElement?.scrollIntoView({ block: 'center' });
    const box = live.getBoundingClientRect();
    live.detach();
    if (box.width === 0) continue;
    const x = box.left + Math.min(box.width / 2, 3);
    const y = box.top + box.height / 2;
    tried++;
    const t0 = now();
    const pos = doc.caretPositionFromPoint(x, y);
    const t1 = now();
    const found = pos ? find(pos.offsetNode, pos.offset) : null;
    const t2 = now();
    times.push(t2 - t0);
    lookupTimes.push(t2 - t1);
    if (found) hits++;
  }
  window.scrollTo(0, 0);
  return { times, lookupTimes, hits, tried };
}

/** Total ranges in the extension's highlights (contract 2 names). */
function highlightCount(): number {
  let n = 0;
  const registry = (CSS as unknown as { highlights: Map<string, Set<AbstractRange>> }).highlights;
  for (const [name, hl] of registry) if (name.startsWith('chartlight-')) n += hl.size;
  return n;
}

/** How many findings the engine reports in `text` (expected highlights for appended text). */
function countFindings(text: string): number {
  return analyze(needEngine(), text).length;
}

(globalThis as unknown as { __chartlightBench: unknown }).__chartlightBench = {
  loadLexicon,
  floor,
  replay,
  reregister,
  throughput,
  search,
  hitTest,
  highlightCount,
  countFindings,
};
