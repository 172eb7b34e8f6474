/**
 * The search over the knowledge base as shipped: every entry must be reachable by the words that
 * name it. A new entry whose title or surface form leads to another entry fails here, which tells
 * its author to make the name more specific (or the search to improve).
 */
import { describe, expect, it } from 'vitest';
import { createSearcher } from '../../../lib/knowledge/search';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const { panel } = loadKnowledge();
const searcher = createSearcher(panel);
const first = (query: string) => searcher.search(query, {}, 3)[0]?.id;

describe('the shipped knowledge base', () => {
  it('has entries to search', () => {
    expect(panel.entries.length).toBeGreaterThan(100);
  });

  it.each(panel.entries.map((e) => [e.id, e.title]))('%s is found first by its title', (id, title) => {
    expect(first(title)).toBe(id);
  });

  // A form that several entries share (each gated by its own words: "diplopia" of an aura and of
  // ketamine) leads to all of them, first among the results.
  // Stop forms ("headache clinic") are never searched: they only keep a shorter form from matching.
  const owners = new Map<string, string[]>();
  for (const e of panel.entries)
    for (const f of e.surfaceForms)
      if (!f.stop) owners.set(f.text.toLowerCase(), [...(owners.get(f.text.toLowerCase()) ?? []), e.id]);
  it.each(panel.entries.flatMap((e) => e.surfaceForms.filter((f) => !f.stop).map((f) => [e.id, f.text])))(
    '%s is found first by its surface form "%s" (or with the other entries sharing it)',
    (id, form) => {
      const sharing = owners.get(form.toLowerCase())!.length;
      if (sharing === 1) expect(first(form)).toBe(id);
      else expect(searcher.search(form, {}, sharing).map((r) => r.id)).toContain(id);
    },
  );

  it.each(panel.entries.flatMap((e) => (e.category === 'code' && e.codes?.length === 1 ? [[e.id, e.codes[0]!]] : [])))(
    '%s is found first by its code typed without the dot, in lower case',
    (id, code) => {
      expect(first(code.replace('.', '').toLowerCase())).toBe(id);
    },
  );
});
