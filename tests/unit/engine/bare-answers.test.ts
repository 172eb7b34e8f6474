/**
 * A form typed out as "Nausea no, vomiting yes" answers each item straight after it, and the
 * words that say how a history was taken ("Unable to obtain history") place nothing in the past.
 */
import { describe, expect, it } from 'vitest';
import { read } from './read-findings';

describe('an answer written straight after its item', () => {
  it('is that item’s, whichever answer comes first', () => {
    expect(read('Nausea no, vomiting yes.')).toEqual(['Nausea negated', 'vomiting affirmed']);
    expect(read('Vomiting yes, nausea no.')).toEqual(['Vomiting affirmed', 'nausea negated']);
    expect(read('Fever no, neck stiffness no, photophobia yes.')).toEqual([
      'Fever negated',
      'neck stiffness negated',
      'photophobia affirmed',
    ]);
  });

  it('a "No" set off by a comma denies nothing ahead of it; "No photophobia" still does', () => {
    expect(read('No photophobia.')).toEqual(['photophobia negated']);
    expect(read('No, headache is not better.')).toEqual(['headache affirmed']);
  });
});

describe('how the history was taken', () => {
  it('is no history cue', () => {
    expect(read('Unable to obtain history, found with neck stiffness and fever.')).toEqual([
      'neck stiffness affirmed',
      'fever affirmed',
    ]);
    expect(read('History limited by aphasia, found with neck stiffness.')).toEqual(['neck stiffness affirmed']);
    expect(read('History per EMS: found down with neck stiffness.')).toEqual(['neck stiffness affirmed']);
  });

  it('leaves a history of something in the past', () => {
    expect(read('History of migraine per EMS.')).toEqual(['migraine historical']);
  });
});

describe('an answer that a thing is possible', () => {
  it('after a colon or a dash, leaves that thing open', () => {
    expect(read('Caffeine withdrawal - possible.')).toEqual(['Caffeine withdrawal uncertain']);
    expect(read('Aura: likely, photophobia: yes.')).toEqual(['Aura uncertain', 'photophobia affirmed']);
  });
});

describe('an answer that a thing was not assessed or is unknown', () => {
  it('leaves it open rather than present', () => {
    expect(read('Neck stiffness: not assessed. Fever: none.')).toEqual(['Neck stiffness uncertain', 'Fever negated']);
    expect(read('Papilledema: unable to assess (pupils dilated).')).toEqual(['Papilledema uncertain']);
    expect(read('Aura\tUnknown\nPhotophobia\tYes')).toEqual(['Aura uncertain', 'Photophobia affirmed']);
  });

  it('is no column denial: a column of "not assessed" denies nothing', () => {
    const sheet = 'Time\tNeck stiffness\n09:00\tNot assessed\n10:00\tNo\nEnd.';
    expect(read(sheet)).toEqual(['Neck stiffness affirmed']);
  });
});

describe('a problem marked inactive', () => {
  it('is a past problem, in a problem list row or after a comma', () => {
    expect(read('Problem list\nHypertension (I10)\tInactive\nChronic migraine (G43.709)\tActive')).toEqual([
      'Hypertension historical',
      'Chronic migraine affirmed',
      'G43.709 affirmed',
    ]);
    expect(read('Migraine, inactive since 2019.')).toEqual(['Migraine historical']);
  });
});

describe('a trigger that does not trigger', () => {
  it('is denied, and the headaches it does not trigger stay the patient’s', () => {
    expect(read('Chocolate does not trigger her headaches.')).toEqual(['Chocolate negated', 'headaches affirmed']);
    expect(read('Bright lights never trigger her migraines.')).toEqual(['Bright lights negated', 'migraines affirmed']);
    expect(read('Skipped meals did not provoke an attack.')).toEqual(['Skipped meals negated']);
  });
});

describe('none since', () => {
  it('leaves what happened before it as it was', () => {
    expect(read('Vomiting x3 prior to arrival, none since.')).toEqual(['Vomiting affirmed']);
    expect(read('No vomiting since arrival.')).toEqual(['vomiting negated']);
  });
});
