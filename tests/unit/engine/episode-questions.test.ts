/**
 * A template's question about a feature of the episode ("Weakness during aura: no") denies the
 * feature and takes the episode as given; a question about the episode's trigger ("Headache after
 * exertion: no") denies the trigger. A finding "with prior attacks" was theirs.
 */
import { describe, expect, it } from 'vitest';
import { read } from './read-findings';

describe('an answer to a question about the episode', () => {
  it('denies the feature, not the episode it happens in', () => {
    expect(read('Weakness during aura: no')).toEqual(['Weakness negated', 'aura affirmed']);
    expect(read('Numbness during the aura - denies')).toEqual(['Numbness negated', 'aura affirmed']);
    expect(read('Visual symptoms before headache: none')).toEqual(['headache affirmed']);
  });

  it('denies the trigger, not the headache it would bring on', () => {
    expect(read('Headache after exertion: no')).toEqual(['Headache affirmed', 'exertion negated']);
    expect(read('Headache after head trauma: no')).toEqual(['Headache affirmed', 'head trauma negated']);
  });

  it('denies the first of two episodes: the aura before the headache', () => {
    expect(read('Aura before headache: no')).toEqual(['Aura negated', 'headache affirmed']);
  });

  it('still denies an episode asked about alone, or with "with"', () => {
    expect(read('Aura: no')).toEqual(['Aura negated']);
    expect(read('Vomiting with headaches: no')).toEqual(['Vomiting negated', 'headaches negated']);
    expect(read('During aura: no weakness.')).toEqual(['aura affirmed', 'weakness negated']);
  });
});

describe('a finding "with prior attacks"', () => {
  it('was a feature of past attacks', () => {
    expect(read('She had scintillating scotoma with prior attacks.')).toEqual(['scintillating scotoma historical']);
    expect(read('Nausea with past migraines.')).toEqual(['Nausea historical', 'migraines affirmed']);
  });

  it('is today\u2019s when compared with them', () => {
    expect(read('Nausea worse than with prior attacks.')).toEqual(['Nausea affirmed']);
    expect(read('Photophobia as in previous attacks.')).toEqual(['Photophobia affirmed']);
  });
});

describe('a denial of something during the episode', () => {
  it('denies that thing and takes the episode as given', () => {
    expect(read('Denies motor weakness during aura.')).toEqual(['weakness negated', 'aura affirmed']);
    expect(read('No headache during aura.')).toEqual(['headache negated', 'aura affirmed']);
    expect(read('Denies numbness before the headache.')).toEqual(['numbness negated', 'headache affirmed']);
  });

  it('still denies the episode itself, and an episode after its trigger', () => {
    expect(read('No aura.')).toEqual(['aura negated']);
    expect(read('Denies headache after exertion.')).toEqual(['headache negated', 'exertion negated']);
  });
});

describe('a question answered yes', () => {
  it('asks nothing any more', () => {
    expect(read('Photophobia? Yes.')).toEqual(['Photophobia affirmed']);
    expect(read('Photophobia?')).toEqual(['Photophobia uncertain']);
    expect(read('Nausea? No.')).toEqual(['Nausea negated']);
  });
});
