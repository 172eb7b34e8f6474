/**
 * The context rules are data: these checks keep them loadable, cited, in one canonical copy, and
 * keep the development set honest (in sync with its source, every category well represented, and
 * scored above a floor so a rule change that breaks it fails here, not in the report only).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifySpan, createEngine } from '../../../lib/engine';
import { evaluate, pagePath, parseSource, type Example } from '../../../scripts/eval-context';
import { loadKnowledge } from '../../../scripts/load-knowledge';
import { miniEngine } from './mini-engine';

const ROOT = resolve(import.meta.dirname, '../../..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

describe('knowledge/context', () => {
  it.each(['rules.json', 'sections.json'])('%s is the same in knowledge/ and in knowledge-mini', (file) => {
    expect(read(`tests/fixtures/knowledge-mini/context/${file}`)).toBe(read(`knowledge/context/${file}`));
  });

  it('records the references it drew on', () => {
    const { source } = JSON.parse(read('knowledge/context/rules.json')) as { source: string };
    for (const ref of ['NegEx', 'ConText', 'pyConTextNLP', 'medspaCy']) expect(source).toContain(ref);
  });

  it('has no pattern that opens with a lookbehind', () => {
    // All patterns run as one alternation over each sentence: a branch that opens with a lookbehind
    // is tried at every character, where one that opens with its own text is skipped at once. A
    // lookbehind after the text it guards says the same ("\?(?<![a-z]\?)"): the "?" rules cost
    // about 4 ms of the 20k-node page's 39 ms of analysis written the first way.
    const { rules } = JSON.parse(read('knowledge/context/rules.json')) as { rules: { pattern?: string }[] };
    expect(rules.filter((r) => r.pattern?.startsWith('(?<')).map((r) => r.pattern)).toEqual([]);
  });

  it('has every kind of rule the classifier uses', () => {
    const { rules } = JSON.parse(read('knowledge/context/rules.json')) as { rules: { category: string }[] };
    const kinds = new Set(rules.map((r) => r.category));
    for (const k of ['negated', 'uncertain', 'historical', 'hypothetical', 'family', 'terminate', 'pseudo'])
      expect(kinds).toContain(k);
  });
});

describe('development set', () => {
  const examples = read('tests/dev-set/context-dev.jsonl')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Example);

  it('is the compiled form of context-dev.txt', () => {
    expect(examples).toEqual(parseSource(read('tests/dev-set/context-dev.txt')));
  });

  it('has at least 300 examples and 40 of each category', () => {
    expect(examples.length).toBeGreaterThanOrEqual(300);
    for (const flag of ['negated', 'uncertain', 'historical', 'hypothetical', 'family'] as const) {
      expect(examples.filter((e) => e.expected[flag]).length).toBeGreaterThanOrEqual(40);
    }
    const affirmed = examples.filter((e) => Object.values(e.expected).every((v) => !v));
    expect(affirmed.length).toBeGreaterThanOrEqual(40);
  });

  it('every span lies inside its text', () => {
    for (const e of examples) {
      expect(e.start).toBeGreaterThanOrEqual(0);
      expect(e.end).toBeGreaterThan(e.start);
      expect(e.end).toBeLessThanOrEqual(e.text.length);
    }
  });

  it('reads every development target on the page\u2019s path as the span classifier does', () => {
    // With the whole knowledge base, so that its own terms and rules meet (a rule "no new" and a
    // red flag "new weakness" once lost the negation on the page's path only).
    const r = pagePath(
      examples.filter((e) => e.split === 'dev'),
      createEngine(loadKnowledge().lexicon),
    );
    expect(r.n).toBeGreaterThan(200);
    expect(r.misses).toEqual([]);
  });

  it('scores above the floor on both parts (negation F1 ≥ 0.95)', () => {
    const classify = (e: Example) => classifySpan(miniEngine(), e.text, e.start, e.end).flags;
    for (const split of ['dev', 'holdout'] as const) {
      const r = evaluate(
        examples.filter((e) => e.split === split),
        classify,
      );
      expect(r.scores.negated.f1).toBeGreaterThanOrEqual(0.95);
      for (const c of ['uncertain', 'historical', 'hypothetical', 'family'] as const)
        expect(r.scores[c].f1).toBeGreaterThanOrEqual(0.85);
    }
  });
});
