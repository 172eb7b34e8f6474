/**
 * The engine's tries are made when the knowledge is compiled, so that a frame does not fold, split
 * and hash every surface form on start. Made from them, the engine must be the very engine the
 * lexicon's text gives: these tests compare the two node for node, for the real knowledge base and
 * the test one, and show that prebuilt data is used, and that data which does not fit is not.
 */
import { describe, expect, it } from 'vitest';
import { analyze, createEngine } from '../../../lib/engine';
import { prebuildEngine, prebuiltEngine } from '../../../lib/engine/analyze';
import { rulePhrases, sectionPhrases } from '../../../lib/engine/context';
import { formPhrases } from '../../../lib/engine/matcher';
import type { CompiledLexicon } from '../../../lib/engine/types';
import { hashKey, hashRange, newTrie, prebuildTrie, trieFrom, trieInsert } from '../../../lib/engine/tokens';
import { loadKnowledge } from '../../../scripts/load-knowledge';
import { MINI_DIR } from './mini-engine';

const NOTE =
  'Migraine with aura; denies photophobia. Mother has migraines. Possible medication overuse headache. ' +
  'ICD-10: G43.109. Started topiramate; ketamine infusion considered. Family History: aura.';

function withoutPrebuilt(lexicon: CompiledLexicon): CompiledLexicon {
  const { prebuilt: _unused, ...rest } = lexicon;
  return rest;
}

describe.each([
  ['knowledge', 'knowledge'],
  ['the test knowledge', MINI_DIR],
])('the prebuilt engine of %s', (_name, dir) => {
  const lexicon = loadKnowledge(dir).lexicon;

  it('is made with the compiled lexicon, for that lexicon', () => {
    expect(lexicon.prebuilt?.hash).toBe(lexicon.hash);
    expect(lexicon.prebuilt?.forms.at).toHaveLength(lexicon.forms.length);
    expect(lexicon.prebuilt).toEqual(prebuildEngine(withoutPrebuilt(lexicon)));
    // Plain data: it travels to each frame as JSON.
    expect(JSON.parse(JSON.stringify(lexicon.prebuilt))).toEqual(lexicon.prebuilt);
  });

  it('gives the engine the text gives, node for node, and the same findings', () => {
    const fromText = createEngine(withoutPrebuilt(lexicon));
    const fromData = createEngine(JSON.parse(JSON.stringify(lexicon)) as CompiledLexicon);
    expect(fromData.matcher.trie).toEqual(fromText.matcher.trie);
    expect(fromData.context.trie).toEqual(fromText.context.trie);
    expect(fromData.context.sections).toEqual(fromText.context.sections);
    expect(fromData.context.headerLastWords).toEqual(fromText.context.headerLastWords);
    expect(fromData.context.patterns.map((p) => [p.re.source, p.re.flags, p.group])).toEqual(
      fromText.context.patterns.map((p) => [p.re.source, p.re.flags, p.group]),
    );
    expect(fromData.context.combined?.source).toBe(fromText.context.combined?.source);
    expect(analyze(fromData, NOTE)).toEqual(analyze(fromText, NOTE));
  });

  it('loads as the tries inserting each phrase makes, node for node', () => {
    // The engine from text is made through the same data (prebuildTrie, then trieFrom): this is
    // what holds that data to the tries the phrases make when inserted one by one.
    for (const phrases of [formPhrases(lexicon), rulePhrases(lexicon.context), sectionPhrases(lexicon.context)]) {
      const inserted = newTrie<number>();
      phrases.forEach((words, i) => {
        if (words.length > 0) trieInsert(inserted, words, i);
      });
      expect(trieFrom(prebuildTrie(phrases), (i) => i)).toEqual(inserted);
    }
  });

  it('is all the content script makes its engine from: none without it, or with one that does not fit', () => {
    const own = prebuiltEngine(JSON.parse(JSON.stringify(lexicon)) as CompiledLexicon);
    expect(own).not.toBeNull();
    expect(analyze(own!, NOTE)).toEqual(analyze(createEngine(lexicon), NOTE));
    expect(prebuiltEngine(withoutPrebuilt(lexicon))).toBeNull();
    expect(prebuiltEngine({ ...lexicon, prebuilt: { ...lexicon.prebuilt!, hash: 'other' } })).toBeNull();
    const pre = lexicon.prebuilt!;
    expect(prebuiltEngine({ ...lexicon, prebuilt: { ...pre, rules: { ...pre.rules, at: [] } } })).toBeNull();
  });

  it('is used when it fits the lexicon, and set aside when it does not', () => {
    const pre = lexicon.prebuilt!;
    const first = pre.forms.words[0]!;
    // A changed word shows in the engine: the prebuilt tries are what it is made from.
    const altered: CompiledLexicon = {
      ...lexicon,
      prebuilt: { ...pre, forms: { ...pre.forms, words: [`${first}x`, ...pre.forms.words.slice(1)] } },
    };
    const fromText = createEngine(withoutPrebuilt(lexicon));
    expect(createEngine(altered).matcher.trie).not.toEqual(fromText.matcher.trie);
    // Made for another lexicon (another hash), or malformed: not used, the engine is the same.
    expect(createEngine({ ...altered, prebuilt: { ...altered.prebuilt!, hash: 'other' } }).matcher.trie).toEqual(
      fromText.matcher.trie,
    );
    const broken: CompiledLexicon = {
      ...lexicon,
      prebuilt: { ...pre, forms: { ...pre.forms, parents: pre.forms.parents.map((p) => p + 1_000_000) } },
    };
    expect(createEngine(broken).matcher.trie).toEqual(fromText.matcher.trie);
    const noGroups: CompiledLexicon = { ...lexicon, prebuilt: { ...pre, groups: [] } };
    const groups = (l: CompiledLexicon) => createEngine(l).context.patterns.map((p) => p.group);
    expect(groups(noGroups)).toEqual(groups(withoutPrebuilt(lexicon)));
  });
});

describe('a prebuilt trie', () => {
  it('keeps words whose hashes collide apart, as inserting them does', () => {
    const key = (w: string) => hashKey(hashRange(w, 0, w.length));
    // Found by search: two pairs of words with one key each.
    expect(key('mwm')).toBe(key('90ba'));
    expect(key('mws')).toBe(key('90bc'));
    const phrases = [['mwm'], ['90ba', 'aura'], ['mws', 'mwm'], ['90bc', '90ba'], [], ['mwm', 'aura']];
    const inserted = newTrie<number>();
    phrases.forEach((words, i) => trieInsert(inserted, words, i));
    const rebuilt = trieFrom(prebuildTrie(phrases), (i) => i);
    expect(rebuilt).toEqual(inserted);
    expect(rebuilt.root.next!.get(key('mwm'))!.alt!.word).toBe('90ba');
  });
});
