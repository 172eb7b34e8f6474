import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type CompiledLexicon } from '../../../lib/engine';
import { findMentions } from '../../../lib/engine/matcher';
import { findings, miniEngine } from './mini-engine';

const concepts = (text: string) => findings(text).map((f) => [f.concept, f.text]);

describe('matching words', () => {
  it.each([
    ['whole words only: no "aura" in "Laura"', 'Laura has a headache', [['headache', 'headache']]],
    ['whole words only: no "HA" in "HAND" or "HAS"', 'HAND pain, HAS a rash', []],
    [
      'case-insensitive forms match any case',
      'MIGRAINE and Aura',
      [
        ['migraine', 'MIGRAINE'],
        ['aura', 'Aura'],
      ],
    ],
    ['a case-sensitive abbreviation matches as written', 'HA x2d', [['headache', 'HA']]],
    ['a case-sensitive abbreviation does not match other cases', 'ha ha, Ha', []],
    [
      'plural of a word',
      'migraines and auras',
      [
        ['migraine', 'migraines'],
        ['aura', 'auras'],
      ],
    ],
    ['plural in -es', 'daily headaches', [['headache', 'headaches']]],
    ['plural of an abbreviation', 'HAs cluster around menses', [['headache', 'HAs']]],
    ['plural of a case-sensitive abbreviation keeps its case rule', 'has', []],
    ['multi-word forms across hyphens', 'pins-and-needles in the hand', [['pins-and-needles', 'pins-and-needles']]],
    [
      'multi-word forms across any spacing',
      'thunderclap\u00a0 headache',
      [['thunderclap-headache', 'thunderclap\u00a0 headache']],
    ],
    ['no match across a line break', 'thunderclap\nheadache', [['headache', 'headache']]],
    [
      'slash abbreviations',
      'HA w/ N/V',
      [
        ['headache', 'HA'],
        ['nausea-vomiting', 'N/V'],
      ],
    ],
    ['a soft hyphen inside a word', 'pho\u00adtophobia', [['photophobia', 'pho\u00adtophobia']]],
    ['a zero-width space inside a word', 'mi\u200bgraine', [['migraine', 'mi\u200bgraine']]],
    ['curly apostrophes and full-width letters', '\uff41\uff55\uff52\uff41', [['aura', '\uff41\uff55\uff52\uff41']]],
    ['accented letters fold', 'na\u0301usea', [['nausea-vomiting', 'na\u0301usea']]],
  ])('%s', (_name, text, expected) => {
    expect(concepts(text)).toEqual(expected);
  });
});

describe('context-dependent abbreviations (requires)', () => {
  it.each([
    ['CM near headache words is chronic migraine', 'CM with daily headache', 'chronic-migraine'],
    ['CM with aura on the line', 'CM w/ aura', 'chronic-migraine'],
    ['CM as a measurement is nothing', '3 CM lesion on the scalp', null],
    ['lower-case cm never matches (case rule)', 'a 3 cm lesion, migraine hx', null],
  ])('%s', (_name, text, concept) => {
    const cm = findings(text).find((f) => f.text === 'CM' || f.text === 'cm');
    expect(cm?.concept ?? null).toBe(concept);
  });

  it('the CM of ICD-10-CM is the code system, not chronic migraine', () => {
    expect(findings('ICD-10-CM codes for migraine').map((f) => f.concept)).toEqual(['migraine']);
  });

  it('looks for the requirement on the same line only', () => {
    expect(findings('3 CM lesion\nmigraine').map((f) => f.concept)).toEqual(['migraine']);
  });

  // A table as the page's extraction writes it: a tab between cells, rows apart by empty lines.
  const cm = (text: string) => findings(text).filter((f) => f.text === 'CM').length;
  it('in a table, looks over the rows and the heading just above them', () => {
    expect(cm('Headache log\n\nDay\tNote\n\n1\tCM flare')).toBe(1); // the heading
    expect(cm('Day\tNote\n\n1\tmigraine day\n\n\n2\tCM flare')).toBe(1); // a row above
    expect(cm('Day\tNote\n\n1\tCM flare\n\n2\tmigraine day')).toBe(1); // a row below
  });

  it('but not past the table, nor from a line that is no row', () => {
    expect(cm('Migraine clinic\nVisit summary\n\nDay\tNote\n\n1\tCM flare')).toBe(0);
    expect(cm('Day\tNote\n\n1\tCM flare\n\nSigned\nmigraine follow-up')).toBe(0);
    expect(cm('migraine\n\n3 CM lesion')).toBe(0);
    const far = Array.from({ length: 250 }, (_, i) => `${i}\tno change`).join('\n');
    expect(cm(`Headache log\n${far}\n251\tCM flare`)).toBe(0); // beyond 2000 characters
  });
});

describe('longest match', () => {
  it.each([
    [
      'migraine with aura beats migraine and aura',
      'migraine with aura',
      [['migraine-with-aura', 'migraine with aura']],
    ],
    [
      'migraine without aura beats migraine and aura',
      'Migraine without aura',
      [['migraine-without-aura', 'Migraine without aura']],
    ],
    [
      'thunderclap headache beats headache',
      'a thunderclap headache',
      [['thunderclap-headache', 'thunderclap headache']],
    ],
    ['worst headache of life', 'worst headache of life', [['thunderclap-headache', 'worst headache of life']]],
    [
      'a longer form where it fits, shorter ones elsewhere',
      'migraine, migraine with aura',
      [
        ['migraine', 'migraine'],
        ['migraine-with-aura', 'migraine with aura'],
      ],
    ],
    [
      'a diagnosis running on into another is one mention (no separate aura)',
      'Chronic migraine without aura',
      [['chronic-migraine', 'Chronic migraine without aura']],
    ],
    [
      'ICD-10 title qualifiers are part of the diagnosis',
      'Migraine without aura, not intractable, without status migrainosus',
      [['migraine-without-aura', 'Migraine without aura, not intractable, without status migrainosus']],
    ],
  ])('%s', (_name, text, expected) => {
    expect(concepts(text)).toEqual(expected);
  });
});

describe('ICD-10-CM codes as charts write them', () => {
  it.each([
    ['dotted', 'Dx G43.909', 'icd10-g43-909', 'G43.909'],
    ['undotted', 'Dx G43909', 'icd10-g43-909', 'G43909'],
    ['with an ICD10: prefix', 'ICD10:G43.709', 'icd10-g43-709', 'ICD10:G43.709'],
    ['with an ICD-10-CM prefix', 'ICD-10-CM: G43.109', 'icd10-g43-109', 'ICD-10-CM: G43.109'],
    ['lower case', 'g43.009 noted', 'icd10-g43-009', 'g43.009'],
    ['a heading with a trailing dash', 'coded G43.9- today', 'migraine', 'G43.9-'],
    ['a heading with an en dash', 'coded G43.9\u2013 today', 'migraine', 'G43.9\u2013'],
    ['a G44 code', 'G44.209 tension-type', 'icd10-g44-209', 'G44.209'],
  ])('%s', (_name, text, concept, written) => {
    const f = findings(text).find((x) => x.text === written);
    expect(f?.concept).toBe(concept);
    expect(f?.category).toBe('diagnosis');
  });

  it.each([['G43.909x1'], ['XG43.909'], ['G45.9'], ['AG43']])('ignores %s', (text) => {
    expect(findings(text)).toEqual([]);
  });
});

describe('offsets', () => {
  const tricky = [
    '\u{1F915} Denies aura. \u{1F915}',
    'e\u0301e\u0301 migraine\u0301 with aura',
    'pho\u00adto\u00adphobia and na\u200busea',
    '\u202eHA\u202c x2d, \ufb01ne',
    'Mother\u00a0with\u00a0migraines\u2028No fever',
    '\u{1D400}\u{1D401} thunderclap\u2014headache',
  ];
  it.each(tricky)('finding text equals text.slice(start, end) in %j', (text) => {
    const all = findings(text);
    expect(all.length).toBeGreaterThan(0);
    for (const f of all) {
      expect(f.text).toBe(text.slice(f.start, f.end));
      expect(f.sentence).toBe(text.slice(f.sentenceStart, f.sentenceStart + f.sentence.length));
      for (const c of f.cues) expect(c.text).toBe(text.slice(c.start, c.end));
    }
  });

  const isLowSurrogate = (s: string, i: number) => s.charCodeAt(i) >= 0xdc00 && s.charCodeAt(i) <= 0xdfff;
  const isMark = (s: string, i: number) => /\p{M}/u.test(s[i] ?? '');

  it('never splits a character, whatever the text (property)', () => {
    const pieces = fc.constantFrom(
      'aura',
      'migraine',
      'HA',
      'N/V',
      'denies',
      'no',
      ' ',
      '\u00a0',
      '\u00ad',
      '\u200b',
      '\u0301',
      '\u{1F915}',
      '\u{1D400}',
      '.',
      ',',
      '\n',
      'x',
      'G43.909',
      'Laura',
      '\u2019s',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        for (const f of findings(text)) {
          expect(f.text).toBe(text.slice(f.start, f.end));
          expect(f.start).toBeLessThan(f.end);
          expect(isLowSurrogate(text, f.start)).toBe(false);
          expect(isLowSurrogate(text, f.end)).toBe(false);
          expect(isMark(text, f.end)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds the same concepts when invisible characters are sprinkled in (property)', () => {
    const base = 'Denies aura. Mother with migraines. HA w/ N/V and photophobia. G43.909';
    const expected = findings(base).map((f) => f.concept);
    fc.assert(
      fc.property(
        fc.array(fc.nat(base.length), { maxLength: 6 }),
        fc.constantFrom('\u00ad', '\u200b', '\ufeff'),
        (at, ch) => {
          // Only inside words: between two letters an invisible character never changes a word.
          const cut = [...new Set(at)]
            .filter((i) => /[a-z]/i.test(base[i - 1] ?? '') && /[a-z]/i.test(base[i] ?? ''))
            .sort((a, b) => b - a);
          let text = base;
          for (const i of cut) text = text.slice(0, i) + ch + text.slice(i);
          expect(findings(text).map((f) => f.concept)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('matcher on a lexicon built here', () => {
  const lexicon = (forms: CompiledLexicon['forms']): CompiledLexicon => ({
    version: 'test',
    hash: 'test',
    concepts: [
      { id: 'a', category: 'symptom', title: 'A' },
      { id: 'b', category: 'symptom', title: 'B' },
    ],
    forms,
    codes: {},
    context: { rules: [], sections: [] },
  });

  it('takes plurals it was not given (allergies → allergy, rashes → rash)', () => {
    const engine = createEngine(
      lexicon([
        { text: 'allergy', concept: 0 },
        { text: 'rash', concept: 1 },
      ]),
    );
    const found = findMentions(engine.matcher, 'allergies and rashes').mentions.map((m) => m.concept);
    expect(found).toEqual([0, 1]);
  });

  it('does not take the plural in the middle of a phrase', () => {
    const engine = createEngine(lexicon([{ text: 'light sensitivity', concept: 0 }]));
    expect(findMentions(engine.matcher, 'lights sensitivity').mentions).toEqual([]);
  });

  it('matches whole words only, not words that share letters with a form', () => {
    const engine = createEngine(lexicon([{ text: 'aura', concept: 0 }]));
    expect(findMentions(engine.matcher, 'aurb aur auras aura').mentions.map((m) => m.start)).toEqual([9, 15]);
  });

  it('runs the mini engine without a lexicon mention', () => {
    expect(findMentions(miniEngine().matcher, '').mentions).toEqual([]);
  });
});
