/**
 * A clinic, a conference or a diary named after headache or migraine is no mention of either: a
 * department's name on every page of a headache service would otherwise mark a headache the
 * patient may not have.
 */
import { describe, expect, it } from 'vitest';
import { read } from './read-findings';

describe('words that hold a finding’s name without speaking of it', () => {
  it('mark nothing', () => {
    expect(read('HEADACHE CLINIC FOLLOW-UP')).toEqual([]);
    expect(read('Discuss at headache conference.')).toEqual([]);
    expect(read('Neurology headache clinics, migraine centre.')).toEqual([]);
  });

  it('leave the finding beside them marked', () => {
    expect(read('Keeps a migraine diary; headache 3 days this week.')).toEqual(['headache affirmed']);
    expect(read('Referred to headache specialist for migraine.')).toEqual(['migraine affirmed']);
    expect(read('Headache at the clinic today.')).toEqual(['Headache affirmed']);
    // Medicine for a headache speaks of one: no stop form for it.
    expect(read('Took headache medicine this morning.')).toEqual(['headache affirmed']);
  });
});
