/**
 * A label alone on its line with its answer on the next: a definition list (<dt>Aura</dt>
 * <dd>No</dd>), a form laid out in blocks side by side, a typed "Aura:" with "No" below. The page's
 * text puts each on a line of its own; read as prose, every such denied finding was listed as
 * present. Only a finding that is its line's only words, followed by a plain no, is read so.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../lib/engine';
import { engine, read } from './read-findings';

describe('an answer on the line below its label', () => {
  it('denies the finding, with or without a colon, a bullet or blank lines between', () => {
    expect(read('Aura\nNo\nPhotophobia:\nNone.\nNausea?\nnegative')).toEqual([
      'Aura negated',
      'Photophobia negated',
      'Nausea negated',
    ]);
    expect(read('- Neck stiffness\n   \nDenied')).toEqual(['Neck stiffness negated']);
    expect(read('Fever\n\n \nN')).toEqual(['Fever negated']);
  });

  it('is the cue shown for the denial', () => {
    const text = 'Exam\nNeck stiffness:\nNo';
    const [f] = analyze(engine, text, 10);
    expect(f!.cues[0]).toEqual({
      flag: 'negated',
      text: 'No',
      start: 10 + text.lastIndexOf('No'),
      end: 12 + text.lastIndexOf('No'),
      kind: 'phrase',
    });
  });

  it('leaves everything else as it was', () => {
    expect(read('Aura\nYes')).toEqual(['Aura affirmed']);
    expect(read('Aura reported\nNo')).toEqual(['Aura affirmed']);
    expect(read('Aura\nNo known drug allergies')).toEqual(['Aura affirmed']);
    expect(read('Aura\n\n\n\nNo')).toEqual(['Aura affirmed']);
    expect(read('Photophobia and aura\nNo')).toEqual(['Photophobia affirmed', 'aura affirmed']);
    // A row is read by its cells.
    expect(read('Aura\tsince 2019\nNo')).toEqual(['Aura affirmed']);
    // The answer to a question above is not the answer to the line below it.
    expect(read('No\nAura')).toEqual(['Aura affirmed']);
  });

  it('keeps a denial that the line already says', () => {
    const [f] = analyze(engine, 'Denies aura\nNo');
    expect(f!.cues.map((c) => c.text)).toEqual(['Denies']);
  });
});
