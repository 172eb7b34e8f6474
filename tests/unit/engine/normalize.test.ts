import { describe, expect, it } from 'vitest';
import { fold, toFolded, toOriginalEnd, toOriginalStart } from '../../../lib/engine/normalize';
import { tokenize, tokenText } from '../../../lib/engine/tokens';

describe('fold', () => {
  it.each([
    ['ASCII is lower-cased', 'Migraine AURA', 'migraine aura'],
    ['NFKC ligature', 'pro\ufb01le', 'profile'],
    ['full-width letters', '\uff2d\uff49\uff47\uff52\uff41\uff49\uff4e\uff45', 'migraine'],
    ['precomposed accent', 'caf\u00e9', 'cafe'],
    ['combining accent', 'cafe\u0301', 'cafe'],
    ['curly single quotes', '\u2018hungover\u2019', "'hungover'"],
    ['curly double quotes', '\u201caura\u201d', '"aura"'],
    ['no-break space', 'thunderclap\u00a0headache', 'thunderclap headache'],
    ['narrow no-break and thin spaces', 'a\u202fb\u2009c', 'a b c'],
    ['soft hyphen removed', 'pho\u00adtophobia', 'photophobia'],
    ['zero-width space and joiner removed', 'mi\u200bgr\u200daine', 'migraine'],
    ['byte order mark removed', '\ufeffaura', 'aura'],
    ['bidirectional controls removed', '\u202eaura\u202c', 'aura'],
    ['en and em dashes to hyphen', 'L\u2013sided \u2014 HA', 'l-sided - ha'],
    ['minus sign to hyphen', 'G43.9\u2212', 'g43.9-'],
    ['line separator to newline', 'aura\u2028nausea', 'aura\nnausea'],
    ['astral characters kept', 'HA \u{1F915} today', 'ha \u{1F915} today'],
  ])('%s', (_name, input, expected) => {
    expect(fold(input).text).toBe(expected);
  });

  it('keeps no map for ASCII text (the identity)', () => {
    const f = fold('Denies aura.');
    expect(f.starts).toBeNull();
    expect(toOriginalStart(f, 7, 12)).toBe(7);
    expect(toOriginalEnd(f, 11)).toBe(11);
  });

  it.each([
    // input, folded range [a, b), original range it must map to
    ['x \u{1F915} aura', 'aura', 5],
    ['pho\u00adtophobia', 'photophobia', 0],
    ['cafe\u0301 aura', 'aura', 6],
    ['\u00a0\u00a0aura', 'aura', 2],
    ['\ufb01 aura', 'aura', 2],
  ])('maps a folded range in %j back to the original', (input, word, originalStart) => {
    const f = fold(input);
    const a = f.text.indexOf(word);
    const b = a + word.length;
    const s = toOriginalStart(f, a, input.length);
    const e = toOriginalEnd(f, b);
    expect(s).toBe(originalStart);
    expect(fold(input.slice(s, e)).text).toBe(word);
    expect(toFolded(f, s)).toBe(a);
  });

  it('extends a range over the combining marks of its last letter, but not over a removed soft hyphen', () => {
    const marked = 'aura\u0301 x';
    const f1 = fold(marked);
    expect(toOriginalEnd(f1, 4)).toBe(5);
    const hyphen = 'aura\u00ad x';
    const f2 = fold(hyphen);
    expect(toOriginalEnd(f2, 4)).toBe(4);
  });

  it('never ends a range inside a surrogate pair', () => {
    const input = '\u{1F915}\u{1F915}';
    const f = fold(input);
    for (let i = 1; i <= f.text.length; i++) {
      const e = toOriginalEnd(f, i);
      expect(e === input.length || !(input.charCodeAt(e) >= 0xdc00 && input.charCodeAt(e) <= 0xdfff)).toBe(true);
    }
  });
});

describe('tokenize', () => {
  const words = (s: string) => {
    const t = tokenize(fold(s).text);
    return Array.from({ length: t.count }, (_, i) => tokenText(t, i));
  };

  it.each([
    ['letters and digits are words', 'HA x2d', ['ha', 'x2d']],
    ['punctuation is one token each', 'N/V, aura.', ['n', '/', 'v', ',', 'aura', '.']],
    ['hyphens separate', 'pins-and-needles', ['pins', 'and', 'needles']],
    ['an apostrophe is a token', "mother's", ['mother', "'", 's']],
    ['a surrogate pair stays one token', 'a\u{1F915}b', ['a', '\u{1F915}', 'b']],
    ['non-Latin letters are words', 'мигрень aura', ['мигрень', 'aura']],
  ])('%s', (_name, input, expected) => {
    expect(words(input)).toEqual(expected);
  });

  it('gives equal words equal hashes and different words different hashes', () => {
    const t = tokenize('aura aura laura');
    expect(t.hashes[0]).toBe(t.hashes[1]);
    expect(t.hashes[0]).not.toBe(t.hashes[2]);
  });
});
