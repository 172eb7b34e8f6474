/**
 * What must wait until a diagnosis is excluded leaves that diagnosis open: "ruled out" after
 * "until" or "before" is a condition not yet met, not a finding that it was ruled out.
 */
import { describe, expect, it } from 'vitest';
import { classifySpan } from '../../../lib/engine';
import { engine, read } from './read-findings';

describe('a diagnosis to be excluded first', () => {
  it('is open, not excluded', () => {
    expect(read('Hold ketamine until raised ICP is ruled out.')).toContain('raised ICP uncertain');
    expect(read('Do not discharge before SAH has been ruled out.')).toEqual(['SAH uncertain']);
    expect(read('Avoid triptans until SAH excluded.')).not.toContain('SAH negated');
  });

  it('reads the same when the span is given (scan --assertions)', () => {
    const text = 'Do not discharge before SAH has been ruled out.';
    const at = text.indexOf('SAH');
    const { flags } = classifySpan(engine, text, at, at + 3);
    expect(flags).toMatchObject({ negated: false, uncertain: true });
  });

  it('is excluded once it was', () => {
    expect(read('SAH excluded by LP.')).toEqual(['SAH negated']);
    expect(read('SAH ruled out.')).toEqual(['SAH negated']);
  });
});

describe('the first minute of a thunderclap headache and an onset on straining', () => {
  it('are found in the words an ED note uses', () => {
    expect(read('Worst headache of life, onset while lifting, peaked within seconds.')).toContain(
      'peaked within seconds affirmed',
    );
    expect(read('Headache reached maximum intensity in under a minute.')).toContain(
      'maximum intensity in under a minute affirmed',
    );
    expect(read('Headache began while straining at stool.')).toContain('while straining affirmed');
  });

  it('need a headache nearby for a bare "while straining"', () => {
    expect(read('Reports constipation, often while straining.')).not.toContain('while straining affirmed');
  });
});

describe('what a test could not exclude, and what is doubted', () => {
  it('leaves what could not be excluded open, however it is written', () => {
    for (const s of [
      'Can not exclude SAH.',
      'Could not exclude SAH.',
      'SAH not yet excluded.',
      'CT does not exclude SAH.',
    ])
      expect(read(s), s).toEqual(['SAH uncertain']);
  });

  it('reads a doubted or low-concern diagnosis as unlikely, as "unlikely" is read', () => {
    expect(read('Doubt SAH given gradual onset.')).toEqual(['SAH negated']);
    expect(read('Low concern for SAH.')).toEqual(['SAH negated']);
    expect(read('SAH doubtful.')).toEqual(['SAH uncertain']);
    expect(read('No doubt this is migraine.')).toEqual(['migraine affirmed']);
  });

  it('reads features atypical for a diagnosis as putting it in question', () => {
    expect(read('Features atypical for migraine.')).toEqual(['migraine uncertain']);
  });
});

describe('return precautions', () => {
  it('list what to come back for, not what the patient has', () => {
    expect(read('Return precautions given: worst headache, fever, neck stiffness, new weakness.')).toEqual([
      'headache hypothetical',
      'fever hypothetical',
      'neck stiffness hypothetical',
      'new weakness hypothetical',
    ]);
    expect(read('Reasons to return: new weakness or confusion.')).toEqual(['new weakness hypothetical']);
  });
});

describe('a decade of life', () => {
  it('puts what happened in it in the past', () => {
    expect(read('Migraine with aura in her 20s, now without aura.')).toEqual([
      'Migraine with aura historical',
      'aura negated',
    ]);
  });
});

describe('risks counselled and effects watched for', () => {
  it('are not effects the patient has', () => {
    expect(read('Ketamine risks reviewed including dissociation, hypertension and bladder toxicity.')).toEqual([
      'Ketamine affirmed',
      'dissociation hypothetical',
      'hypertension hypothetical',
    ]);
    expect(read('Monitoring for emergence reactions every 15 minutes.')).toEqual(['emergence reactions hypothetical']);
    // Side effects the patient had are the patient's.
    expect(read('Experienced side effects including nausea and dizziness.')).toEqual(['nausea affirmed']);
  });
});
