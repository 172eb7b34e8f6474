/**
 * Checkbox templates, as EHR smart forms print them: "Aura: [ ] Yes [x] No". The ticked box is the
 * answer, whichever side of its label the box stands on; an unticked box before a finding in a
 * checklist leaves that finding unchecked. The cue the card names is the boxes as written.
 */
import { describe, expect, it } from 'vitest';
import { engine, read } from './read-findings';
import { analyze } from '../../../lib/engine';

describe('a yes/no pair of boxes', () => {
  it.each([
    ['Vomiting: [ ] Yes [x] No', 'Vomiting negated'],
    ['Vomiting: [x] Yes [ ] No', 'Vomiting affirmed'],
    ['Aura: \u2610 Yes \u2612 No', 'Aura negated'],
    ['Aura: \u2612 Yes \u2610 No', 'Aura affirmed'],
    ['Phonophobia: Yes [ ] No [X]', 'Phonophobia negated'],
    ['Phonophobia: Yes [X] No [ ]', 'Phonophobia affirmed'],
    ['Psychosis: Y [ ] N [x]', 'Psychosis negated'],
    ['Pregnant: (x) No ( ) Yes', 'Pregnant negated'],
    ['Aura: ( ) No (x) Yes', 'Aura affirmed'],
    ['Fever: \u2612 No', 'Fever negated'],
  ])('%s', (text, expected) => {
    expect(read(text)).toEqual([expected]);
  });

  it('names the boxes as the cue', () => {
    const [f] = analyze(engine, 'Vomiting: [ ] Yes [x] No');
    expect(f!.cues.map((c) => [c.flag, c.text])).toEqual([['negated', '[ ] Yes [x] No']]);
  });

  it('answers for its own line only', () => {
    expect(read('Nausea: [x] Yes [ ] No\nVomiting: [ ] Yes [x] No\nAura: [x] Yes [ ] No')).toEqual([
      'Nausea affirmed',
      'Vomiting negated',
      'Aura affirmed',
    ]);
  });
});

describe('a checklist of findings', () => {
  it('an unticked box leaves its own finding unchecked, not the next', () => {
    expect(read('Associated symptoms: [x] Nausea [ ] Vomiting [x] Photophobia [ ] Neck stiffness')).toEqual([
      'Nausea affirmed',
      'Vomiting negated',
      'Photophobia affirmed',
      'Neck stiffness negated',
    ]);
  });

  it('brackets that are not boxes deny nothing', () => {
    expect(read('Migraine [G43.909] with nausea (see note) and photophobia.')).toEqual([
      'Migraine affirmed',
      'G43.909 affirmed',
      'nausea affirmed',
      'photophobia affirmed',
    ]);
  });
});

describe('"N/A" against a finding', () => {
  it('is an answer of absent, like "No"', () => {
    expect(read('Uncontrolled hypertension: N/A')).toEqual(['Uncontrolled hypertension negated']);
    expect(read('Pregnancy: not applicable.')).toEqual(['Pregnancy negated']);
  });
});
