/**
 * A denial (or a family, past or uncertain cue) reads a comma-separated list item by item, but a
 * part after the comma that has an onset or a course of its own is a new clause: "No
 * anticoagulants, thunderclap headache this morning" reports the headache. A red flag read as
 * denied is the error that hides most from the clinician, so these are kept apart from the list
 * tests.
 */
import { describe, expect, it } from 'vitest';
import { read } from './read-findings';

describe('a part after a comma with its own onset or course', () => {
  it('is not one more item of the denied list', () => {
    expect(read('No anticoagulants, thunderclap headache this morning.')).toEqual([
      'anticoagulants negated',
      'thunderclap headache affirmed',
    ]);
    expect(read('Denies fever, worst headache of her life started at noon.')).toEqual([
      'fever negated',
      'worst headache of her life affirmed',
    ]);
    expect(read('No fever or chills, headache began two days ago.')).toEqual(['fever negated', 'headache affirmed']);
    expect(read('Not taking topiramate, headache persists.')).toEqual(['topiramate negated', 'headache affirmed']);
  });

  it('counts the words on either side of the mention within its part', () => {
    expect(read('No neck stiffness, headache is worse lying flat.')).toEqual([
      'neck stiffness negated',
      'headache affirmed',
      'worse lying flat affirmed',
    ]);
  });

  it('ends a past or family cue as it ends a denial', () => {
    expect(read('History of migraine, headache started this morning.')).toEqual([
      'migraine historical',
      'headache affirmed',
    ]);
    expect(read('No family history of migraine, headache started at age 12.')).toEqual([
      'migraine negated',
      'headache affirmed',
    ]);
  });

  it('leaves a condition covering its whole consequence', () => {
    expect(read('If no relief, headache persists, return to the ED.')).not.toContain('headache affirmed');
  });
});

describe('a list item after a comma', () => {
  it('stays denied with a participle that closes the whole list', () => {
    expect(read('No rash, petechiae or neck stiffness noted.')).toEqual(['neck stiffness negated']);
    expect(read('Denies fever, chills, or neck stiffness.')).toEqual(['fever negated', 'neck stiffness negated']);
  });

  it('stays denied with a time of the whole list', () => {
    expect(read('Denies headache, nausea today.')).toEqual(['headache negated', 'nausea negated']);
    expect(read('No headache, nausea or vomiting this morning.')).toEqual([
      'headache negated',
      'nausea negated',
      'vomiting negated',
    ]);
  });

  it('stays denied without a comma between the cue and it', () => {
    expect(read('No headache started after the fall.')).toEqual(['headache negated']);
  });
});

describe('a part before a comma with its own onset or course', () => {
  it('is not reached by an answer after the comma', () => {
    expect(read('Thunderclap headache began at noon, neck stiffness: denied.')).toEqual([
      'Thunderclap headache affirmed',
      'neck stiffness negated',
    ]);
    expect(read('Headache worse today, weakness during aura - none.')).toEqual([
      'Headache affirmed',
      'weakness negated',
      'aura affirmed',
    ]);
    expect(read('Photophobia persists, nausea absent.')).toEqual(['Photophobia affirmed', 'nausea negated']);
  });

  it('is still an item of a list the answer closes', () => {
    expect(read('Headache, nausea absent.')).toEqual(['Headache negated', 'nausea negated']);
  });
});

describe('a "since" after a comma', () => {
  it('dates a clause of its own, not an item of a list', () => {
    expect(read('No fever, headache since Tuesday.')).toEqual(['fever negated', 'headache affirmed']);
    expect(read('Denies fever, chills or nausea since discharge.')).toEqual(['fever negated', 'nausea negated']);
  });
});

describe('a medicine taken after a comma', () => {
  it('is taken, whatever the part before the comma denied', () => {
    expect(read('Not on anticoagulation, takes aspirin daily.')).toEqual(['aspirin affirmed']);
    expect(read('Not taking topiramate, using sumatriptan twice weekly.')).toEqual([
      'topiramate negated',
      'sumatriptan affirmed',
    ]);
    expect(read('No triptans, ibuprofen or naproxen.')).toEqual([
      'triptans negated',
      'ibuprofen negated',
      'naproxen negated',
    ]);
  });
});

describe('a comparison after a comma', () => {
  it('makes a clause of the one item after the cue', () => {
    expect(read('No fever, headache worse with light.')).toEqual(['fever negated', 'headache affirmed']);
  });

  it('is an item’s own words further down a list, or before "than"', () => {
    expect(read('Denies chest pain, palpitations, headache worse than baseline.')).toEqual(['headache negated']);
    expect(read('Denies fever, headache worse than usual.')).toEqual(['fever negated', 'headache negated']);
  });
});
