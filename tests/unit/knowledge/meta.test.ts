/**
 * The knowledge base's meta-test: every data file valid and in its one canonical format, ids and
 * surface forms unique, every citation resolving and every source used, no unverified claim or
 * unqualified "rapid relief", no executable content.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileKnowledge } from '../../../lib/knowledge/compile';
import { ENTRY_CATEGORIES, isHighlightCategory, validateEntry, type Entry } from '../../../lib/knowledge/schema';
import { KNOWLEDGE_DIR, readKnowledgeFiles } from '../../../scripts/load-knowledge';

const ENTRY_DIR = join(KNOWLEDGE_DIR, 'entries');
const files = readdirSync(ENTRY_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const read = (p: string) => readFileSync(p, 'utf8');
const canonical = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

// Key order of the schema's interfaces: the canonical format is this order, 2-space JSON, newline.
const ENTRY_ORDER = [
  'id',
  'category',
  'title',
  'summary',
  'detail',
  'indicator',
  'audience',
  'evidence',
  'citations',
  'surfaceForms',
  'related',
  'lastReviewed',
  'codes',
  'supervision',
  'contraindication',
  'currentOnly',
  'raisedBy',
];
const NESTED_ORDER: Record<string, string[]> = {
  detail: ['text', 'cite'],
  surfaceForms: ['text', 'caseSensitive', 'requires', 'searchOnly', 'stop', 'absent'],
  supervision: ['phase', 'text', 'cite', 'checks'],
};
const SOURCE_ORDER = ['id', 'authors', 'title', 'venue', 'year', 'doi', 'pmid', 'url', 'tier', 'note'];

function ordered(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in o) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  return out;
}

function canonicalEntry(raw: Record<string, unknown>): Record<string, unknown> {
  const e = ordered(raw, ENTRY_ORDER);
  for (const [key, order] of Object.entries(NESTED_ORDER)) {
    if (Array.isArray(e[key])) e[key] = (e[key] as Record<string, unknown>[]).map((x) => ordered(x, order));
  }
  if (e.evidence && typeof e.evidence === 'object')
    e.evidence = ordered(e.evidence as Record<string, unknown>, ['level', 'note']);
  return e;
}

const entries: Entry[] = files.map((f) =>
  validateEntry(JSON.parse(read(join(ENTRY_DIR, f))), `knowledge/entries/${f}`),
);

describe('knowledge meta-test', () => {
  it('has entries in every category a clinician needs', () => {
    const cats = new Set(entries.map((e) => e.category));
    for (const c of ENTRY_CATEGORIES) expect(cats, c).toContain(c);
    expect(entries.filter((e) => e.category === 'trigger').length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)('%s is valid and canonical', (f) => {
    const text = read(join(ENTRY_DIR, f));
    const raw = JSON.parse(text) as Record<string, unknown>;
    expect(() => validateEntry(raw, f)).not.toThrow();
    expect(text).toBe(canonical(canonicalEntry(raw)));
  });

  it('sources.json and the context rules are canonical', () => {
    const sourcesText = read(join(KNOWLEDGE_DIR, 'sources.json'));
    const sources = JSON.parse(sourcesText) as Record<string, unknown>[];
    expect(sourcesText).toBe(canonical(sources.map((s) => ordered(s, SOURCE_ORDER))));
    for (const f of ['rules.json', 'sections.json']) {
      const t = read(join(KNOWLEDGE_DIR, 'context', f));
      expect(t, f).toBe(canonical(JSON.parse(t)));
    }
  });

  it('compiles: ids and surface forms unique, every citation resolves, every source used', () => {
    expect(() => compileKnowledge(readKnowledgeFiles())).not.toThrow();
  });

  it('never shows an unverified item or an unqualified rapid-relief claim as fact', () => {
    for (const e of entries) {
      const texts = [e.title, e.summary, ...e.detail.map((d) => d.text), ...(e.supervision ?? []).map((s) => s.text)];
      for (const t of texts) {
        expect(t, e.id).not.toMatch(/UNVERIFIED/i);
        expect(t, e.id).not.toMatch(/(?<!no |not |may )provides? rapid relief/i);
      }
    }
    const rapid = entries.find((e) => e.id === 'claim-ketamine-rapid-relief');
    expect(rapid?.evidence.level).toBe('negative');
  });

  it('holds no executable content', () => {
    for (const f of [...files.map((x) => join(ENTRY_DIR, x)), join(KNOWLEDGE_DIR, 'sources.json')]) {
      expect(read(f), f).not.toMatch(/<\s*script|javascript:|on[a-z]+\s*=|<\s*iframe/i);
    }
  });

  it('panel-only entries are found by search but never highlighted', () => {
    for (const e of entries) {
      if (!isHighlightCategory(e.category))
        for (const s of e.surfaceForms) expect(s.searchOnly, `${e.id}: ${s.text}`).toBe(true);
    }
  });

  it('gives every red flag the critical indicator and every supervision entry a nurse audience', () => {
    for (const e of entries) {
      if (e.category === 'red-flag') expect(e.indicator, e.id).toBe('critical');
      if (e.category === 'supervision') {
        expect(e.audience, e.id).toContain('nurse');
        expect(e.supervision?.length, e.id).toBeGreaterThan(0);
      }
    }
  });

  it('maps codes only to codes of the ICD-10-CM list, each to one entry', () => {
    const tsv = read(join(KNOWLEDGE_DIR, 'icd10cm-g43-g44.tsv'));
    const valid = new Set(
      tsv
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t')[1]),
    );
    const owner = new Map<string, string>();
    for (const e of entries) {
      for (const c of e.codes ?? []) {
        expect(valid, `${e.id}: ${c}`).toContain(c);
        expect(owner.get(c), `${c} claimed twice`).toBeUndefined();
        owner.set(c, e.id);
      }
    }
  });
});
