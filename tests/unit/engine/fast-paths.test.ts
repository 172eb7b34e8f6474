/**
 * The engine's fast paths against the plain code they replace: each must give the same answer on
 * every input, not only on the pages measured. Where the plain version is a regular expression or
 * a string operation, it is written out here as the reference.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  CODE_PATTERN,
  codeMatches,
  codeSystemBefore,
  isRegExpSpace,
  isSeparatorUnit,
  requiresPattern,
  writtenAs,
} from '../../../lib/engine/matcher';
import { createContextEngine, findCues, indexSections, sentenceAround } from '../../../lib/engine/context';
import { fold } from '../../../lib/engine/normalize';
import { analyze, createEngine } from '../../../lib/engine';
import {
  hashRange,
  isWordCode,
  mayStart,
  nextStart,
  phraseTokens,
  tokenize,
  tokenText,
  type Tokens,
  type Trie,
} from '../../../lib/engine/tokens';
import { loadKnowledge } from '../../../scripts/load-knowledge';
import { MINI_DIR } from './mini-engine';

// Thousands of property runs take seconds on a loaded two-core machine.
vi.setConfig({ testTimeout: 60_000 });

/** Random text made of the given pieces: the characters and words a fast path looks at. */
const textOf = (pieces: string[], maxLength = 40) =>
  fc.array(fc.constantFrom(...pieces), { maxLength }).map((parts) => parts.join(''));

const EVERY_UNIT = Array.from({ length: 0x10000 }, (_, c) => c);

describe('requires patterns without the "u" flag', () => {
  const sources = [
    ...new Set(
      [...loadKnowledge().lexicon.forms, ...loadKnowledge(MINI_DIR).lexicon.forms].flatMap((f) =>
        f.requires ? [f.requires] : [],
      ),
    ),
  ];

  it('the knowledge base has requires patterns, and every one of them takes the fast form', () => {
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) expect(requiresPattern(s).flags).toBe('i');
  });

  it('keep "u" where the two modes can differ: ".", classes, look-arounds, property escapes', () => {
    for (const s of ['a.b', '[a-z]x', '(?=ha)h', '(?<!x)ha', '\\p{L}', '\\S', '\\W', 'a{2}', '(?<n>a)'])
      expect(requiresPattern(s).flags).toBe('iu');
    expect(() => requiresPattern('(')).toThrow();
  });

  it('answer as the "iu" pattern does on folded text', () => {
    const words = ['migraine', 'headache', 'ha', 'h/a', 'aura', 'moh', 'em', 'cm', 'ketamine', 'attack', 'cephalgia'];
    const pieces = [...words, ' ', '\n', '-', '/', 'x', 'ſ', 'K', 'İ', 'ﬁ', 'é', '😀', '\u00a0', 'Ha', 'HA'];
    fc.assert(
      fc.property(textOf(pieces), (raw) => {
        const text = fold(raw).text;
        for (const s of sources) {
          if (requiresPattern(s).test(text) !== new RegExp(s, 'iu').test(text)) return false;
        }
        return true;
      }),
      { numRuns: 3000 },
    );
  });

  it('folding never leaves the two characters on which "i" and "iu" disagree (long s, Kelvin sign)', () => {
    // The premise, checked: outside ASCII, only these two are word characters under "iu".
    const differ = EVERY_UNIT.filter((c) => c >= 0x80 && /\w/iu.test(String.fromCharCode(c)));
    expect(differ).toEqual([0x17f, 0x212a]);
    // Every assigned code point (unassigned and private-use ones have no decomposition and no
    // case: they fold to themselves).
    const all: string[] = [];
    const plain = /^[\p{Cn}\p{Co}\p{Cs}]$/u;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (!plain.test(ch)) all.push(ch);
    }
    const folded = fold(all.join('')).text;
    expect(folded.includes('\u017f')).toBe(false);
    expect(folded.includes('\u212a')).toBe(false);
  });
});

describe('code system before an abbreviation', () => {
  const reference = (ft: string, at: number) => /icd-?(?:9|10)-?$/.test(ft.slice(Math.max(0, at - 8), at));

  it('equals the regular expression on the eight characters before', () => {
    fc.assert(
      fc.property(textOf(['i', 'c', 'd', 'icd', '-', '9', '1', '0', '10', 'x', ' ', 'cm'], 12), (ft) => {
        for (let at = 0; at <= ft.length; at++) if (codeSystemBefore(ft, at) !== reference(ft, at)) return false;
        return true;
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['icd-10-', true],
    ['icd10', true],
    ['icd-9', true],
    ['icd9-', true],
    ['icd-1', false],
    ['xicd10-', true],
    ['icd-10--', false],
  ])('%s → %s', (ft, expected) => {
    expect(codeSystemBefore(ft, ft.length)).toBe(expected);
  });
});

describe('an abbreviation as written', () => {
  const SEPARATORS = /[\s\-\u2010-\u2015\u2212\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069]/;

  it('separator units are exactly those the separator pattern removes', () => {
    const differ = EVERY_UNIT.filter((c) => isSeparatorUnit(c) !== SEPARATORS.test(String.fromCharCode(c)));
    expect(differ).toEqual([]);
  });

  it('compares as stripping the separators and comparing the strings', () => {
    const strip = (s: string) => s.replace(new RegExp(SEPARATORS.source, 'g'), '');
    const pieces = ['H', 'A', 'a', 's', 'S', 'M', 'w', 'C', ' ', '-', '\u00ad', '\u200b', '\u2013', '\n', 'x', '😀'];
    fc.assert(
      fc.property(
        textOf(pieces, 8),
        fc.constantFrom('HA', 'MwA', 'CM', 'H/A', 'A'),
        fc.boolean(),
        (text, exact, plural) => {
          for (let s = 0; s <= text.length; s++) {
            for (let e = s; e <= text.length; e++) {
              const expected = strip(text.slice(s, e)) === (plural ? exact + 's' : exact);
              if (writtenAs(text, s, e, exact, plural) !== expected) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('ICD-10-CM codes', () => {
  it('white space units are exactly those of \\s', () => {
    const differ = EVERY_UNIT.filter((c) => isRegExpSpace(c) !== /\s/u.test(String.fromCharCode(c)));
    expect(differ).toEqual([]);
  });

  const matchAll = (ft: string) => [...ft.matchAll(CODE_PATTERN)].map((m) => [m.index, m.index + m[0].length, m[1]]);
  const fast = (ft: string) => {
    const out: [number, number, string][] = [];
    codeMatches(ft, (start, end, code) => out.push([start, end, code]));
    return out;
  };

  it('are found as the pattern finds them over the whole text', () => {
    const pieces = [
      'g4',
      'g43',
      'g44',
      '.',
      '9',
      '0',
      '1',
      'a',
      'x',
      '-',
      ' ',
      '\u00a0',
      '\n',
      ':',
      '#',
      'icd',
      'icd-10',
      'icd10-cm',
      '-cm',
      'cm',
      'é',
      '😀',
      '(',
      ')',
    ];
    fc.assert(
      fc.property(textOf(pieces), (ft) => JSON.stringify(fast(ft)) === JSON.stringify(matchAll(ft))),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['icd-10-cm: g43.909', [[0, 18, 'g43.909']]],
    [
      'icd icd10 g43.1 and g44',
      [
        [4, 15, 'g43.1'],
        [20, 23, 'g44'],
      ],
    ],
    ['xg43 g43-', [[5, 9, 'g43']]],
  ])('%s', (ft, expected) => {
    expect(fast(ft)).toEqual(expected);
    expect(matchAll(ft)).toEqual(expected);
  });
});

describe('cues remembered by sentence text', () => {
  // analyze() searches each distinct sentence once per text and reuses the cues wherever the same
  // words recur. That holds only if a sentence's cues depend on its own text alone: checked here
  // on sentences that recur among different neighbours, at different offsets.
  const context = createContextEngine(loadKnowledge().lexicon.context);
  const SENTENCES = [
    'Start topiramate 25 mg',
    'start ketamine',
    'Aura: no',
    'Photophobia? No',
    'Headache (-)',
    'Mother: migraines',
    'per her mother, aura in 2019',
    'No fever, no neck stiffness, no thunderclap headache',
    'History of chronic migraine',
    'denies aura - yes nausea',
    'Family history of migraine in a sister',
    'If the headache recurs, return',
    'possible MOH',
    'in 2019',
  ];
  const SEPARATORS = ['. ', '.\n', '\n', '; ', ': ', ' - ', ' ', '\n\n', '? ', '\t'];
  const texts = fc
    .array(fc.tuple(fc.constantFrom(...SENTENCES), fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 12 })
    .map((parts) => parts.map(([s, sep]) => s + sep).join(''));

  it('give the same cues wherever the same sentence recurs', () => {
    const seen = new Map<string, string>();
    fc.assert(
      fc.property(texts, (raw) => {
        const ft = fold(raw).text;
        const tokens = tokenize(ft);
        const marks = indexSections(context, tokens, () => false);
        for (let i = 0; i < tokens.count; i++) {
          const s = sentenceAround(tokens, marks, i, i);
          const key = ft.slice(tokens.starts[s.firstToken]!, tokens.ends[s.lastToken]!);
          const cues = findCues(context, tokens, s).map((c) => [
            c.rule.literal,
            c.firstToken - s.firstToken,
            c.lastToken - s.firstToken,
          ]);
          const relative = JSON.stringify(cues);
          const before = seen.get(key);
          if (before !== undefined && before !== relative) return false;
          seen.set(key, relative);
        }
        return true;
      }),
      { numRuns: 1500 },
    );
    // Sentences did recur, and some had cues: the check above compared something.
    expect(seen.size).toBeGreaterThan(SENTENCES.length);
    expect([...seen.values()].some((v) => v !== '[]')).toBe(true);
  });
});

describe('the tokeniser', () => {
  it('grows its arrays when punctuation outnumbers a quarter of the characters', () => {
    const text = 'a.'.repeat(700) + '😀'.repeat(300) + ' end';
    const t = tokenize(text);
    expect(t.count).toBe(1701);
    expect(Array.from({ length: t.count }, (_, i) => tokenText(t, i))).toEqual(phraseTokens(text));
    for (let i = 0; i < t.count; i++) expect(t.hashes[i]).toBe(hashRange(text, t.starts[i]!, t.ends[i]!));
  });

  it('splits as phraseTokens does, and hashes each token as hashRange does', () => {
    const pieces = [
      'ab',
      'Z',
      '9',
      ' ',
      '  ',
      '-',
      '\t',
      '\n',
      '\r',
      '/',
      '.',
      ',',
      'é',
      'ß',
      '😀',
      '\ud83d',
      '\ude00',
      '¿',
      '٣',
      'x',
    ];
    fc.assert(
      fc.property(textOf(pieces, 30), (text) => {
        const t = tokenize(text);
        const words = phraseTokens(text);
        if (t.count !== words.length) return false;
        for (let i = 0; i < t.count; i++) {
          if (tokenText(t, i) !== words[i]) return false;
          if (t.hashes[i] !== hashRange(text, t.starts[i]!, t.ends[i]!)) return false;
          if (t.kinds[i] !== (isWordCode(text.charCodeAt(t.starts[i]!)) ? 1 : 0)) return false;
        }
        return true;
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the next token that may start a phrase', () => {
  it('is the first token from `from` that mayStart lets through', () => {
    const engine = createEngine(loadKnowledge().lexicon);
    const tries: Trie<unknown>[] = [engine.matcher.trie, engine.context.trie, engine.context.sections];
    const pieces = ['migraine', 'aura', 'no', 'denies', 'history', 'of', 'family', 'the', 'xq', ' ', '.', '\n', 'ha'];
    fc.assert(
      fc.property(textOf(pieces, 30), fc.nat(40), fc.nat(40), (raw, a, b) => {
        const tokens = tokenize(fold(raw).text);
        const from = Math.min(a, tokens.count);
        const to = Math.min(Math.max(from, b), tokens.count);
        for (const trie of tries) {
          let expected = from;
          while (expected < to && !mayStart(trie, tokens, expected)) expected++;
          if (nextStart(trie, tokens, from, to) !== expected) return false;
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('token arrays lent from one analysis to the next', () => {
  it('leave no trace: the same tokens, and the same findings, whatever came before', () => {
    const engine = createEngine(loadKnowledge().lexicon);
    const long = 'Denies aura, photophobia or phonophobia. HA daily. Mother: migraines. G43.909\n'.repeat(40);
    const short = 'Migraine without aura; no nausea.';
    const fresh = tokenize(fold(short).text);
    const before = analyze(engine, short);
    analyze(engine, long);
    tokenize(fold(long).text, true);
    const lent = tokenize(fold(short).text, true);
    expect(lent.count).toBe(fresh.count);
    for (const k of ['starts', 'ends', 'hashes', 'kinds'] as const)
      expect(Array.from(lent[k].subarray(0, lent.count))).toEqual(Array.from(fresh[k].subarray(0, fresh.count)));
    expect(analyze(engine, short)).toEqual(before);
    const same = (x: Tokens, y: Tokens) =>
      x.count === y.count &&
      (['starts', 'ends', 'hashes', 'kinds'] as const).every((k) =>
        x[k].subarray(0, x.count).every((v, i) => v === y[k][i]),
      );
    const pieces = ['Denies aura', '. ', '\n', 'a.', '😀', 'HA', ' ', 'x'.repeat(40), '.'.repeat(300)];
    fc.assert(
      fc.property(fc.array(textOf(pieces, 60), { maxLength: 8 }), (texts) =>
        texts.every((t) => same(tokenize(t, true), tokenize(t))),
      ),
      { numRuns: 300 },
    );
    // Findings do not depend on what was analysed before: the same texts in two orders.
    const chart = ['Denies aura; HA daily.', 'Mother: migraines (G43.909).', 'x '.repeat(700), 'No fever.\n'];
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...chart), { maxLength: 40 }), { maxLength: 5 }), (parts) => {
        const texts = parts.map((p) => p.join(''));
        const forward = texts.map((t) => JSON.stringify(analyze(engine, t)));
        const backward = [...texts].reverse().map((t) => JSON.stringify(analyze(engine, t)));
        return forward.every((r, i) => r === backward[texts.length - 1 - i]);
      }),
      { numRuns: 60 },
    );
  });
});
