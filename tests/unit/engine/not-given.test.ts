/**
 * A treatment deferred, postponed or found not appropriate is not given; the words reach only the
 * treatment they follow, not a condition named before it. A positive screen is a result, not a
 * test still to be done.
 */
import { describe, expect, it } from 'vitest';
import { read } from './read-findings';

describe('a treatment not given now', () => {
  it('is read as not given', () => {
    expect(read('Ketamine infusion deferred due to elevated blood pressure.')).toEqual(['Ketamine infusion negated']);
    expect(read('Ketamine infusion was postponed.')).toEqual(['Ketamine infusion negated']);
    expect(read('Ketamine, esketamine not suitable.')).toEqual(['Ketamine negated', 'esketamine negated']);
  });

  it('leaves the contraindication before it as it was', () => {
    expect(read('History of schizophrenia - ketamine not appropriate.')).toEqual([
      'schizophrenia historical',
      'ketamine negated',
    ]);
  });
});

describe('a screen', () => {
  it('that was positive is a result', () => {
    expect(read('Positive urine drug screen for ketamine.')).toEqual(['ketamine affirmed']);
  });

  it('still to be done leaves what it looks for open', () => {
    expect(read('Screen for psychosis before ketamine.')).toContain('psychosis uncertain');
  });
});

describe('a spaced dash after an item', () => {
  it('ends the reach of the cue before it', () => {
    expect(read('No fever - headache improving.')).toEqual(['fever negated', 'headache affirmed']);
    expect(read('Hx of migraine - well controlled on topiramate.')).toEqual([
      'migraine historical',
      'topiramate affirmed',
    ]);
  });

  it('right after the cue is its label', () => {
    expect(read('Family history - migraine in mother.')).toEqual(['migraine family']);
    expect(read('ROS negative - fever, chills, photophobia.')).toEqual(['fever negated', 'photophobia negated']);
  });
});
