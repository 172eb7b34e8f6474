/**
 * The review-of-systems signs: "ROS: -fever, +photophobia", "Nausea -". A hyphen that is a minus
 * sign is a token (so a context rule can stand on it); every other hyphen stays a separator, and a
 * hyphen that opens a line, or stands in a plan, is a bullet.
 */
import { describe, expect, it } from 'vitest';
import { engine, read } from './read-findings';
import { analyze } from '../../../lib/engine';
import { fold } from '../../../lib/engine/normalize';
import { isSignAt, phraseTokens, tokenize, tokenText } from '../../../lib/engine/tokens';

const words = (text: string) => {
  const t = tokenize(fold(text).text);
  return Array.from({ length: t.count }, (_, i) => tokenText(t, i));
};

describe('a minus sign is a token', () => {
  it.each([
    ['ROS: -fever, +HA', ['ros', ':', '-', 'fever', ',', '+', 'ha']],
    ['Nausea -, vomiting +', ['nausea', '-', ',', 'vomiting', '+']],
    ['Aura: -', ['aura', ':', '-']],
    ['Aura (-)', ['aura', '(', '-', ')']],
    ['Photophobia -ve', ['photophobia', '-', 've']],
    ['Nausea \u2212, vomiting +', ['nausea', '-', ',', 'vomiting', '+']], // U+2212, the minus sign
  ])('%s', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it.each([
    ['pins-and-needles', ['pins', 'and', 'needles']],
    ['Nausea - denies', ['nausea', 'denies']],
    ['Migraine - mother', ['migraine', 'mother']],
    ['-Sumatriptan prn', ['sumatriptan', 'prn']],
    ['Meds:\n  -Sumatriptan prn', ['meds', ':', 'sumatriptan', 'prn']],
    ['Nausea +/- vomiting', ['nausea', '+', '/', 'vomiting']],
    ['Temp -5 today', ['temp', '5', 'today']],
    ['HA -> better', ['ha', '>', 'better']],
    ['Nausea -- none', ['nausea', 'none']],
  ])('but not in %j', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it('phraseTokens splits as tokenize does', () => {
    for (const text of ['ros: -fever, +ha', 'nausea -', 'pins-and-needles', '-sumatriptan', 'aura (-)']) {
      expect(phraseTokens(text)).toEqual(words(text));
    }
    expect(isSignAt('a -b', 2)).toBe(true);
    expect(isSignAt('a-b', 1)).toBe(false);
  });
});

describe('what the signs mean, through the page path', () => {
  it('"-x" and "x -" are absent; "+x" is present', () => {
    expect(read('ROS: -fever, +HA, -nausea, -photophobia.')).toEqual([
      'fever negated',
      'HA affirmed',
      'nausea negated',
      'photophobia negated',
    ]);
    expect(read('Nausea -, vomiting +. Photophobia -ve, phonophobia +ve.')).toEqual([
      'Nausea negated',
      'vomiting affirmed',
      'Photophobia negated',
      'phonophobia affirmed',
    ]);
  });

  it('a hyphen that opens a line is a bullet, and in a plan it is a bullet too', () => {
    expect(read('Meds:\n-Sumatriptan 50 mg PRN\n-Ondansetron PRN nausea')).not.toContain('Sumatriptan negated');
    expect(read('Plan: -sumatriptan prn, -rizatriptan as backup.')).toEqual([
      'sumatriptan hypothetical',
      'rizatriptan hypothetical',
    ]);
  });

  it('"+/-" denies nothing', () => {
    expect(read('Nausea +/- vomiting with her migraines.')).toEqual([
      'Nausea affirmed',
      'vomiting affirmed',
      'migraines affirmed',
    ]);
  });
});

describe('a denial that names the family', () => {
  it('is negated and the family\u2019s, though "no one" alone is no negation', () => {
    const flags = (text: string) => analyze(engine, text).map((f) => [f.text, f.negated, f.family]);
    expect(flags('No one in the family has migraines.')).toEqual([['migraines', true, true]]);
    expect(flags('None of her siblings have migraines.')).toEqual([['migraines', true, true]]);
    expect(flags('No one at home is sick; she has migraines.')).toEqual([['migraines', false, false]]);
  });
});

describe('review-of-systems shorthand', () => {
  it('reads a sign before its finding as that finding’s answer', () => {
    expect(read('Neuro ROS: (+) HA, (-) weakness, (-) numbness')).toEqual(['HA affirmed', 'numbness negated']);
    expect(read('+ photophobia, - phonophobia')).toEqual(['photophobia affirmed', 'phonophobia negated']);
    expect(read('Aura (-), photophobia (+).')).toEqual(['Aura negated', 'photophobia affirmed']);
  });

  it('reads answers between bars', () => {
    expect(read('Headache: yes | Aura: no | Nausea: yes')).toEqual([
      'Headache affirmed',
      'Aura negated',
      'Nausea affirmed',
    ]);
  });
});
