/**
 * Scores the context classifier on the development set: precision, recall and F1 per context
 * category, each example's span given (classifySpan, as `scan --assertions` does), for the
 * development part and the own held-out part separately. Writes reports/engine-context.json and the
 * context section of reports/engine.md.
 *
 *   npm run eval:context              score and write the reports
 *   npm run eval:context -- --errors  also list the development part's misclassified examples
 *   npm run eval:context -- --build   rebuild tests/dev-set/context-dev.jsonl from context-dev.txt
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { format } from 'prettier';
import { analyze, classifySpan, createEngine, type ContextFlags, type Engine } from '../lib/engine';
import { ASSERTION_PRECEDENCE } from '../lib/engine/types';
import { KNOWLEDGE_DIR, loadKnowledge } from './load-knowledge';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCE = join(ROOT, 'tests/dev-set/context-dev.txt');
const DATASET = join(ROOT, 'tests/dev-set/context-dev.jsonl');
const REPORT_MD = join(ROOT, 'reports/engine.md');
const REPORT_JSON = join(ROOT, 'reports/engine-context.json');

type Flag = (typeof ASSERTION_PRECEDENCE)[number];
const FLAGS: readonly Flag[] = ['negated', 'uncertain', 'historical', 'hypothetical', 'family'];
const LETTER: Record<string, Flag> = { N: 'negated', U: 'uncertain', H: 'historical', Y: 'hypothetical', F: 'family' };

export interface Example {
  text: string;
  start: number;
  end: number;
  expected: ContextFlags;
  split: 'dev' | 'holdout';
}

/** context-dev.txt → examples: "FLAGS<tab>text with [[target]]". */
export function parseSource(source: string): Example[] {
  const out: Example[] = [];
  let split: Example['split'] = 'dev';
  source.split('\n').forEach((line, i) => {
    if (line.startsWith('## holdout')) split = 'holdout';
    if (!line.trim() || line.startsWith('#')) return;
    const tab = line.indexOf('\t');
    const letters = line.slice(0, tab);
    const raw = line
      .slice(tab + 1)
      .replace(/\\n/g, '\n')
      .replace(/\\t/g, '\t')
      .trimEnd();
    const a = raw.indexOf('[[');
    const b = raw.indexOf(']]');
    if (tab < 1 || a < 0 || b < a || !/^(A|[NUHYF]+)$/.test(letters)) {
      throw new Error(`${SOURCE}:${i + 1}: expected FLAGS<tab>text with one [[target]]`);
    }
    const text = raw.slice(0, a) + raw.slice(a + 2, b) + raw.slice(b + 2);
    const expected: ContextFlags = {
      negated: false,
      uncertain: false,
      historical: false,
      hypothetical: false,
      family: false,
    };
    for (const l of letters) if (l !== 'A') expected[LETTER[l]!] = true;
    out.push({ text, start: a, end: b - 2, expected, split });
  });
  return out;
}

interface Score {
  tp: number;
  fp: number;
  fn: number;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

function score(tp: number, fp: number, fn: number): Score {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, support: tp + fn, precision, recall, f1 };
}

type Category = Flag | 'affirmed';
const CATEGORIES: readonly Category[] = [...FLAGS, 'affirmed'];

function isAffirmed(f: ContextFlags): boolean {
  return FLAGS.every((k) => !f[k]);
}

export function evaluate(examples: Example[], classify: (e: Example) => ContextFlags) {
  const counts = new Map<Category, { tp: number; fp: number; fn: number }>(
    CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]),
  );
  const errors: { example: Example; got: ContextFlags }[] = [];
  let exact = 0;
  for (const e of examples) {
    const got = classify(e);
    let right = true;
    for (const c of CATEGORIES) {
      const want = c === 'affirmed' ? isAffirmed(e.expected) : e.expected[c];
      const has = c === 'affirmed' ? isAffirmed(got) : got[c];
      const k = counts.get(c)!;
      if (want && has) k.tp++;
      else if (has) k.fp++;
      else if (want) k.fn++;
      if (want !== has) right = false;
    }
    if (right) exact++;
    else errors.push({ example: e, got });
  }
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => [c, score(...(Object.values(counts.get(c)!) as [number, number, number]))]),
  );
  return { n: examples.length, exact, scores: scores as Record<Category, Score>, errors };
}

/**
 * The same examples read the way the page reads them (analyze over the whole text), where the
 * target is one of the lexicon's findings: a cue the span classifier keeps can be dropped on the
 * page path (by overlapping a mention, say), and only this shows it.
 */
export function pagePath(
  examples: readonly Example[],
  engine: Engine,
): { n: number; exact: number; disagree: number; misses: string[] } {
  let n = 0;
  let exact = 0;
  let disagree = 0;
  const misses: string[] = [];
  for (const e of examples) {
    const f = analyze(engine, e.text).find((x) => x.start === e.start && x.end === e.end);
    if (!f) continue;
    n++;
    const span = classifySpan(engine, e.text, e.start, e.end).flags;
    if (FLAGS.every((c) => f[c] === e.expected[c])) exact++;
    if (FLAGS.some((c) => f[c] !== span[c])) {
      disagree++;
      misses.push(`page ${flagsText(f)}, span ${flagsText(span)}: ${JSON.stringify(e.text)}`);
    }
  }
  return { n, exact, disagree, misses };
}

function flagsText(f: ContextFlags): string {
  const on = FLAGS.filter((k) => f[k]);
  return on.length ? on.join('+') : 'affirmed';
}

function table(title: string, r: ReturnType<typeof evaluate>): string {
  const rows = CATEGORIES.map((c) => {
    const s = r.scores[c];
    return `| ${c} | ${s.support} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${s.f1.toFixed(3)} | ${s.tp} / ${s.fp} / ${s.fn} |`;
  });
  return [
    `**${title}** — ${r.n} examples, ${r.exact} with all five flags right (${((100 * r.exact) / r.n).toFixed(1)} %).`,
    '',
    '| category | support | precision | recall | F1 | TP / FP / FN |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` in reports/engine.md. */
export async function writeReportSection(name: string, body: string): Promise<void> {
  mkdirSync(join(ROOT, 'reports'), { recursive: true });
  const startMark = `<!-- ${name}:start -->`;
  const endMark = `<!-- ${name}:end -->`;
  let md = existsSync(REPORT_MD) ? readFileSync(REPORT_MD, 'utf8') : '# Engine report\n';
  const block = `${startMark}\n\n${body.trim()}\n\n${endMark}`;
  const a = md.indexOf(startMark);
  const b = md.indexOf(endMark);
  md = a >= 0 && b > a ? md.slice(0, a) + block + md.slice(b + endMark.length) : `${md.trimEnd()}\n\n${block}\n`;
  writeFileSync(REPORT_MD, await format(md, { parser: 'markdown', printWidth: 120, singleQuote: true }));
}

async function main() {
  const args = new Set(process.argv.slice(2));
  if (args.has('--build')) {
    const examples = parseSource(readFileSync(SOURCE, 'utf8'));
    writeFileSync(
      DATASET,
      examples
        .map((e) => JSON.stringify({ text: e.text, start: e.start, end: e.end, expected: e.expected, split: e.split }))
        .join('\n') + '\n',
    );
    console.log(`${examples.length} examples → ${DATASET}`);
    return;
  }
  const examples: Example[] = readFileSync(DATASET, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Example);
  const engine = createEngine(loadKnowledge().lexicon);
  const classify = (e: Example) => classifySpan(engine, e.text, e.start, e.end).flags;
  const devExamples = examples.filter((e) => e.split !== 'holdout');
  const holdoutExamples = examples.filter((e) => e.split === 'holdout');
  const dev = evaluate(devExamples, classify);
  const holdout = evaluate(holdoutExamples, classify);
  const all = evaluate(examples, classify);
  const devPage = pagePath(devExamples, engine);
  const holdoutPage = pagePath(holdoutExamples, engine);
  const supportOf = (c: Flag) => examples.filter((e) => e.expected[c]).length;
  const summary = {
    knowledge: relative(ROOT, KNOWLEDGE_DIR) || '.',
    examples: examples.length,
    support: Object.fromEntries([
      ...FLAGS.map((c) => [c, supportOf(c)]),
      ['affirmed', examples.filter((e) => isAffirmed(e.expected)).length],
    ]),
    development: { n: dev.n, exact: dev.exact, scores: dev.scores },
    holdout: { n: holdout.n, exact: holdout.exact, scores: holdout.scores },
    all: { n: all.n, exact: all.exact, scores: all.scores },
    pagePath: {
      development: { n: devPage.n, exact: devPage.exact, disagree: devPage.disagree },
      holdout: { n: holdoutPage.n, exact: holdoutPage.exact, disagree: holdoutPage.disagree },
    },
  };
  mkdirSync(join(ROOT, 'reports'), { recursive: true });
  writeFileSync(REPORT_JSON, await format(JSON.stringify(summary), { parser: 'json' }));
  for (const [name, r] of [
    ['development', dev],
    ['held-out', holdout],
  ] as const) {
    console.log(`\n${name}: ${r.n} examples, ${r.exact} exact`);
    for (const c of CATEGORIES) {
      const s = r.scores[c];
      console.log(
        `  ${c.padEnd(12)} n=${String(s.support).padStart(3)}  P=${s.precision.toFixed(3)}  R=${s.recall.toFixed(3)}  F1=${s.f1.toFixed(3)}`,
      );
    }
  }
  for (const [name, r] of [
    ['development', devPage],
    ['held-out', holdoutPage],
  ] as const) {
    console.log(
      `\npage path, ${name}: ${r.n} targets are lexicon findings, ${r.exact} exact, ${r.disagree} read otherwise than by the span`,
    );
    for (const m of r.misses) console.log(`  ${m}`);
  }
  if (args.has('--errors') || args.has('--all-errors')) {
    const list = args.has('--all-errors') ? all.errors : dev.errors;
    console.log(`\n${list.length} misclassified:`);
    for (const { example: e, got } of list) {
      const shown = e.text.slice(0, e.start) + '[[' + e.text.slice(e.start, e.end) + ']]' + e.text.slice(e.end);
      console.log(
        `  want ${flagsText(e.expected).padEnd(22)} got ${flagsText(got).padEnd(22)} ${JSON.stringify(shown)}`,
      );
    }
  }
  const body = [
    '## Context classifier',
    '',
    `Measured by \`npm run eval:context\` on tests/dev-set/context-dev.jsonl (${examples.length} composed chart sentences, span given, through \`classifySpan\`). Support per category over the whole set: ${FLAGS.map((c) => `${c} ${supportOf(c)}`).join(', ')}, affirmed ${summary.support.affirmed}. Figures also in reports/engine-context.json.`,
    '',
    table('Development part', dev),
    '',
    table('Own held-out part', holdout),
    '',
    `**The page's path** — the same sentences read as the page reads them (\`analyze\` over the whole sentence), where the target is one of the lexicon's findings: development ${devPage.n}, of which ${devPage.exact} have all five flags right and ${devPage.disagree} are read otherwise than by \`classifySpan\`; held-out ${holdoutPage.n}, ${holdoutPage.exact} right, ${holdoutPage.disagree} read otherwise.`,
  ].join('\n');
  await writeReportSection('context', body);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
