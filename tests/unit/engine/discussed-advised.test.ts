/**
 * "Not advised with aura" speaks of the patient's aura as a reason, and "discussed with" names who
 * took part: neither denies nor makes hypothetical what follows.
 */
import { describe, expect, it } from 'vitest';
import { read } from './read-findings';

describe('advice and discussion', () => {
  it('leave the condition the advice is about the patient’s', () => {
    expect(read('Discussed that estrogen-containing contraception is not advised with aura.')).toEqual([
      'aura affirmed',
    ]);
    expect(read('Discussed with Dr. Lee, headache likely migraine.')).toEqual([
      'headache affirmed',
      'migraine uncertain',
    ]);
  });

  it('still withhold what is not advised, and leave what is to be considered open', () => {
    expect(read('Triptans not advised.')).toEqual(['Triptans negated']);
    expect(read('Discussed with patient, ketamine infusion to be considered.')).toEqual([
      'ketamine infusion hypothetical',
    ]);
  });
});
