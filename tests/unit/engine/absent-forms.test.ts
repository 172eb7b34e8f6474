/**
 * Exam words that say a finding is absent ("afebrile", "neck supple", "nonfocal") deny it by
 * themselves, as the fact sheet's worked example 18 reads "Fundi: no papilledema. Neck supple,
 * afebrile.": papilledema, neck stiffness and fever all documented absent.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../lib/engine';
import { engine, read } from './read-findings';

describe('words that say a finding is absent', () => {
  it('deny it, as the worked example reads them', () => {
    expect(read('Fundi: no papilledema. Neck supple, afebrile.')).toEqual([
      'papilledema negated',
      'Neck supple negated',
      'afebrile negated',
    ]);
    expect(analyze(engine, 'Neck supple, afebrile.').map((f) => f.concept)).toEqual([
      'neck-stiffness',
      'red-flag-fever-systemic',
    ]);
    expect(read('Neuro exam nonfocal.')).toEqual(['nonfocal negated']);
  });

  it('are the cue shown for the denial', () => {
    const [f] = analyze(engine, 'Pt afebrile overnight.', 100);
    expect(f!.cues[0]).toMatchObject({ flag: 'negated', text: 'afebrile', start: 103, end: 111, kind: 'phrase' });
  });

  it('keep the rest of their context: a condition stays a condition', () => {
    const [f] = analyze(engine, 'If afebrile for 24 hours, may discharge.');
    expect(f).toMatchObject({ negated: true, hypothetical: true });
  });

  it('leave the finding itself, named, as it was', () => {
    expect(read('Patient was afebrile until today, now febrile 38.9.')).toEqual([
      'afebrile negated',
      'febrile affirmed',
    ]);
  });
});
