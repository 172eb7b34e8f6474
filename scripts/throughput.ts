/**
 * Throughput of the engine (target P9: ≥ 50 MB/s; < 2× slower going from 1k to 10k surface forms),
 * in Node and in Chromium, plus the time to compile the lexicon and to build the engine from it.
 *
 *   npm run throughput                  Node and Chromium; writes reports/engine-throughput.json and
 *                                       the throughput section of reports/engine.md
 *   npm run throughput -- --node-only   skip Chromium
 *
 * The corpus is synthetic chart text: the development set's sentences (every one carries a finding)
 * mixed with finding-free chart lines (vitals, labs, orders) at about one finding per 300
 * characters, with the non-ASCII characters EHR text carries (no-break spaces, curly quotes). The
 * lexicon is the full knowledge base (or knowledge-mini where knowledge/ has no entries yet),
 * padded with synthetic surface forms to 1k and to 10k forms.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { format } from 'prettier';
import { analyze, createEngine, type CompiledLexicon, type LexiconForm } from '../lib/engine';
import { findMentions } from '../lib/engine/matcher';
import { compileKnowledge } from '../lib/knowledge/compile';
import { writeReportSection } from './eval-context';
import { KNOWLEDGE_DIR, readKnowledgeFiles } from './load-knowledge';

const ROOT = resolve(import.meta.dirname, '..');
const CORPUS_CHARS = 4_000_000;
const RUNS = 12;

/** The knowledge directory measured: knowledge/ once it has entries, else the test fixture. */
function knowledgeDir(): string {
  const hasEntries = (dir: string) =>
    existsSync(join(dir, 'sources.json')) &&
    existsSync(join(dir, 'entries')) &&
    readdirSync(join(dir, 'entries')).some((f) => f.endsWith('.json'));
  return hasEntries(KNOWLEDGE_DIR) ? KNOWLEDGE_DIR : join(ROOT, 'tests/fixtures/knowledge-mini');
}

/** A small deterministic generator, so every run measures the same text and lexicon. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 0x100000000;
  };
}

const FILLER = [
  'BP 128/82, HR 76, RR 16, SpO2 98% on room air.',
  'Labs reviewed: CBC and BMP within normal limits.',
  'Patient seen and examined with the resident; agree with the findings above.',
  'Alert and oriented x3, speech fluent, follows commands.',
  'Pupils equal and reactive, extraocular movements full.',
  'Strength 5/5 throughout, reflexes 2+ and symmetric.',
  'Gait steady, tandem walk intact.',
  'Medication reconciliation completed with the pharmacist.',
  'Insurance authorization obtained for the infusion series.',
  'IV placed in the left forearm, 20 gauge, flushes well.',
  'Vitals every 15 minutes per unit protocol.',
  'Discussed the treatment options at length; questions answered.',
  'Total time spent 40 minutes, more than half in counselling.',
  'Follow-up in the clinic in six weeks with a diary.',
  'Signed electronically by the attending physician.',
  'Weight 68 kg, height 165 cm, BMI 25.',
];

/**
 * Synthetic chart text: development-set sentences (each with a finding) among finding-free chart
 * lines. `share` is the fraction of sentences with a finding: 0.25 gives a dense clinical note
 * (about one finding per 300 characters), 0.05 a mixed EHR page of flowsheets, orders and notes.
 */
function corpus(sentences: string[], share: number): string {
  const rnd = random(42);
  const parts: string[] = [];
  let length = 0;
  while (length < CORPUS_CHARS) {
    const pick =
      rnd() < share ? sentences[Math.floor(rnd() * sentences.length)]! : FILLER[Math.floor(rnd() * FILLER.length)]!;
    let s = pick;
    if (rnd() < 0.02) s = s.replace(' ', '\u00a0');
    if (rnd() < 0.01) s = s.replace("'", '\u2019');
    const sep = rnd() < 0.3 ? '\n' : ' ';
    parts.push(s, sep);
    length += s.length + 1;
  }
  return parts.join('');
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'tre',
  'vos',
  'an',
  'del',
  'pu',
  'rix',
  'sen',
  'tor',
  'ul',
  'bre',
  'cha',
  'fin',
  'gol',
];
/** Everyday chart words, so synthetic phrases share first words with the text and walk the trie. */
const SHARED_FIRST = ['left', 'severe', 'daily', 'patient', 'with', 'no', 'the', 'pain', 'headache', 'migraine'];

function padLexicon(base: CompiledLexicon, size: number): CompiledLexicon {
  const rnd = random(size);
  const forms: LexiconForm[] = [...base.forms];
  const word = () =>
    Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => SYLLABLES[Math.floor(rnd() * SYLLABLES.length)]).join('');
  while (forms.length < size) {
    const n = 1 + Math.floor(rnd() * 3);
    const words = Array.from({ length: n }, word);
    if (n > 1 && rnd() < 0.3) words[0] = SHARED_FIRST[Math.floor(rnd() * SHARED_FIRST.length)]!;
    forms.push({ text: words.join(' '), concept: Math.floor(rnd() * base.concepts.length) });
  }
  return { ...base, forms };
}

/**
 * The floor: one pass over the text that finds every word and hashes it, and nothing else. The
 * engine cannot beat it; its ratio to the engine is what stays put when the machine is busy.
 * (The page gets the same function as source text in BROWSER_ENTRY.)
 */
function floorPass(text: string): number {
  let h = 0;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const w = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
    if (w) h = Math.imul(h ^ c, 16777619);
    else if (inWord) words++;
    inWord = w;
  }
  return h + words;
}

/**
 * Least disturbed CPU milliseconds per call over `runs` runs after a warm-up. CPU time rather than
 * wall time: the machine is shared, and a preempted run says nothing about the engine.
 */
function best(fn: () => unknown, runs = RUNS): number {
  fn();
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    min = Math.min(min, (c.user + c.system) / 1000);
  }
  return min;
}

interface Row {
  corpus: string;
  forms: number;
  buildMs: number;
  matchMBs: number;
  analyzeMBs: number;
  floorMBs: number;
  findings: number;
}

interface Corpus {
  name: string;
  text: string;
}

function measureNode(lexicons: CompiledLexicon[], corpora: Corpus[]): Row[] {
  const rows: Row[] = [];
  for (const { name, text } of corpora) {
    const mb = text.length / 1e6;
    const floorMBs = mb / (best(() => floorPass(text)) / 1000);
    for (const lex of lexicons) {
      const buildMs = best(() => createEngine(lex), 3);
      const engine = createEngine(lex);
      rows.push({
        corpus: name,
        forms: lex.forms.length,
        buildMs,
        matchMBs: mb / (best(() => findMentions(engine.matcher, text)) / 1000),
        analyzeMBs: mb / (best(() => analyze(engine, text)) / 1000),
        floorMBs,
        findings: analyze(engine, text).length,
      });
    }
  }
  return rows;
}

const BROWSER_ENTRY = `
import { analyze, createEngine } from './lib/engine';
import { findMentions } from './lib/engine/matcher';
const floor = ${floorPass.toString()};
const state = { lexicons: [], corpora: [], engine: null };
globalThis.chartlight = {
  setup(lexicons, corpora) { state.lexicons = lexicons; state.corpora = corpora; },
  run(op, c, l) {
    const text = state.corpora[c].text;
    if (op === 'floor') return floor(text);
    if (op === 'build') { state.engine = createEngine(state.lexicons[l]); return 0; }
    if (op === 'match') return findMentions(state.engine.matcher, text).mentions.length;
    return analyze(state.engine, text).length;
  },
};
`;

interface PageApi {
  setup(lexicons: CompiledLexicon[], corpora: Corpus[]): void;
  run(op: string, corpus: number, lexicon: number): number;
}

/**
 * The same measurements in Chromium. Time is the renderer main thread's CPU time, from the
 * DevTools protocol (Performance.getMetrics "ThreadTime"), around one call at a time.
 */
async function measureChromium(
  lexicons: CompiledLexicon[],
  corpora: Corpus[],
): Promise<{ version: string; rows: Row[] }> {
  const { build } = await import('esbuild');
  const { chromium } = await import('playwright-core');
  const bundle = await build({
    stdin: { contents: BROWSER_ENTRY, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    minify: true,
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    await page.evaluate(([l, c]) => (globalThis as unknown as { chartlight: PageApi }).chartlight.setup(l, c), [
      lexicons,
      corpora,
    ] as const);
    const threadTime = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'ThreadTime')!.value * 1000;
    };
    const call = (op: string, c: number, l: number) =>
      page.evaluate(([o, ci, li]) => (globalThis as unknown as { chartlight: PageApi }).chartlight.run(o, ci, li), [
        op,
        c,
        l,
      ] as const);
    const measure = async (op: string, c: number, l: number, runs = RUNS) => {
      await call(op, c, l);
      let min = Infinity;
      for (let i = 0; i < runs; i++) {
        const t0 = await threadTime();
        await call(op, c, l);
        min = Math.min(min, (await threadTime()) - t0);
      }
      return min;
    };
    const rows: Row[] = [];
    for (let c = 0; c < corpora.length; c++) {
      const mb = corpora[c]!.text.length / 1e6;
      const floorMBs = mb / ((await measure('floor', c, 0)) / 1000);
      for (let l = 0; l < lexicons.length; l++) {
        const buildMs = await measure('build', c, l, 3);
        rows.push({
          corpus: corpora[c]!.name,
          forms: lexicons[l]!.forms.length,
          buildMs,
          matchMBs: mb / ((await measure('match', c, l)) / 1000),
          analyzeMBs: mb / ((await measure('analyze', c, l)) / 1000),
          floorMBs,
          findings: await call('analyze', c, l),
        });
      }
    }
    return { version: browser.version(), rows };
  } finally {
    await browser.close();
  }
}

const f1 = (x: number) => x.toFixed(1);

function table(rows: Row[]): string {
  return [
    '| text | surface forms | engine build (ms) | matcher (MB/s) | matcher + classifier (MB/s) | floor (MB/s) | engine / floor | findings |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.corpus} | ${r.forms} | ${f1(r.buildMs)} | ${f1(r.matchMBs)} | ${f1(r.analyzeMBs)} | ${f1(r.floorMBs)} | ${(r.analyzeMBs / r.floorMBs).toFixed(2)} | ${r.findings} |`,
    ),
  ].join('\n');
}

/** How much slower matcher + classifier get from about 1k forms to ten times as many, per text. */
function slowdown(rows: Row[], small: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    if (r.forms !== small) continue;
    const big = rows.find((x) => x.corpus === r.corpus && x.forms === 10 * small);
    if (big) out[r.corpus] = Number((r.analyzeMBs / big.analyzeMBs).toFixed(2));
  }
  return out;
}

const slowText = (s: Record<string, number>) =>
  Object.entries(s)
    .map(([k, v]) => `${v}× (${k})`)
    .join(', ');

async function main() {
  const nodeOnly = process.argv.includes('--node-only');
  const dir = knowledgeDir();
  const files = readKnowledgeFiles(dir);
  const compileMs = best(() => compileKnowledge(files), 3);
  const base = compileKnowledge(files).lexicon;
  const dataset = readFileSync(join(ROOT, 'tests/dev-set/context-dev.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const corpora: Corpus[] = [
    { name: 'clinic note', text: corpus(dataset, 0.25) },
    { name: 'mixed page', text: corpus(dataset, 0.05) },
  ];
  // The full lexicon and ten times its size; a lexicon under 1k forms is first padded to 1k.
  const small = Math.max(base.forms.length, 1000);
  const sizes = [...new Set([base.forms.length, small, 10 * small])];
  const lexicons = sizes.map((n) => (n === base.forms.length ? base : padLexicon(base, n)));
  const mb = corpora[0]!.text.length / 1e6;
  console.log(
    `knowledge: ${relative(ROOT, dir)} (${base.forms.length} surface forms, ${base.concepts.length} concepts)`,
  );
  console.log(`texts: ${corpora.length} × ${mb.toFixed(2)} MB; knowledge compile ${f1(compileMs)} ms`);
  const node = measureNode(lexicons, corpora);
  console.log(`\nNode ${process.version}\n${table(node)}`);
  let browser: { version: string; rows: Row[] } | null = null;
  if (!nodeOnly) {
    browser = await measureChromium(lexicons, corpora);
    console.log(`\nChromium ${browser.version}\n${table(browser.rows)}`);
  }
  const result = {
    knowledge: relative(ROOT, dir),
    baseForms: base.forms.length,
    corpusMB: mb,
    compileMs,
    node: { version: process.version, rows: node, slowdown1kTo10k: slowdown(node, small) },
    chromium: browser && { ...browser, slowdown1kTo10k: slowdown(browser.rows, small) },
  };
  writeFileSync(join(ROOT, 'reports/engine-throughput.json'), await format(JSON.stringify(result), { parser: 'json' }));
  const where = relative(ROOT, dir);
  const density = (name: string) => {
    const r = node.find((x) => x.corpus === name && x.forms === base.forms.length);
    return r && r.findings > 0 ? Math.round((mb * 1e6) / r.findings) : 0;
  };
  const body = [
    '## Throughput',
    '',
    `Measured by \`npm run throughput\`: two synthetic texts of ${mb.toFixed(1)} MB each (MB = a million UTF-16 code units of page text) — a dense "clinic note" (development-set sentences among finding-free chart lines: one finding per ${density('clinic note')} characters with this lexicon) and a "mixed page" (one sentence in twenty from the development set, the rest vitals, labs and orders: one finding per ${density('mixed page')} characters) — both with the no-break spaces and curly quotes EHR text carries. Each figure is the least CPU time of ${RUNS} runs after a warm-up (Node: process.cpuUsage; Chromium: the renderer main thread's CPU time from the DevTools protocol), so that a busy shared machine slows the figures less. Lexicon: ${where} (${base.forms.length} surface forms) padded with synthetic forms (a third of multi-word ones start with common chart words, so the trie is walked, not just probed). "Floor" is one pass that finds and hashes every word and does nothing else, measured in the same run: the engine/floor ratio says how close the engine comes to the cost of merely reading the text. Compiling the knowledge base (lexicon, context rules and the panel's search index) took ${f1(compileMs)} ms.`,
    '',
    `**Node ${process.version}** — matcher + classifier slowdown from ${small} to ${10 * small} forms: ${slowText(result.node.slowdown1kTo10k)}`,
    '',
    table(node),
    ...(browser
      ? [
          '',
          `**Chromium ${browser.version}** (the engine bundled with esbuild, run in a page) — slowdown from ${small} to ${10 * small} forms: ${slowText(result.chromium!.slowdown1kTo10k)}`,
          '',
          table(browser.rows),
        ]
      : []),
  ].join('\n');
  await writeReportSection('throughput', body);
}

await main();
