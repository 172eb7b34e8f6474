/**
 * The fact sheet's worked examples 29 and 30: a headache while anticoagulated and a headache in
 * pregnancy are red flags on the page, beside the headache itself.
 */
import { describe, expect, it } from 'vitest';
import { analyze, createEngine } from '../../../lib/engine';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const knowledge = loadKnowledge();
const engine = createEngine(knowledge.lexicon);
const read = (text: string) => analyze(engine, text).map((f) => `${f.text}:${f.concept}:${f.assertion}`);
const entry = (id: string) => knowledge.panel.entries.find((e) => e.id === id)!;

describe('red flags of the worked examples', () => {
  it('"On apixaban; new severe HA" flags the anticoagulation, as weakly sourced', () => {
    expect(read('On apixaban; new severe HA — CT head ordered.')).toEqual([
      'apixaban:red-flag-anticoagulation:affirmed',
      'HA:headache:affirmed',
    ]);
    expect(entry('red-flag-anticoagulation').evidence.level).toBe('weak');
  });

  it('an anticoagulant with no headache near it is no flag', () => {
    expect(read('Medications: apixaban 5 mg BID, metformin.')).toEqual([]);
  });

  it('"32 wks pregnant, HA" flags the pregnancy', () => {
    expect(read('32 wks pregnant, HA w/ BP 158/102 — r/o preeclampsia.')).toEqual([
      'pregnant:headache-in-pregnancy:affirmed',
      'HA:headache:affirmed',
      'preeclampsia:preeclampsia:uncertain',
    ]);
  });

  it('"pregnant" with no headache near it is the ketamine caution', () => {
    expect(read('Ketamine infusion planned. Not pregnant.')).toContain('pregnant:ketamine-ci-pregnancy:negated');
  });
});

describe('red flags in the words charts use', () => {
  it.each([
    ['Fell and hit her head yesterday; headache since.', 'hit her head:red-flag-post-traumatic:affirmed'],
    ['Concussion 2 weeks ago, daily headache since.', 'Concussion:red-flag-post-traumatic:affirmed'],
    ['No head strike.', 'head strike:red-flag-post-traumatic:negated'],
    ['Headache unlike prior headaches.', 'unlike prior headaches:red-flag-pattern-change:affirmed'],
    ['This is not her usual headache.', 'not her usual headache:red-flag-pattern-change:affirmed'],
    [
      'Sudden severe headache that started while lifting weights.',
      'started while lifting:red-flag-cough-exertion-headache:affirmed',
    ],
    ['Headache while lifting weights at the gym.', 'while lifting weights:red-flag-cough-exertion-headache:affirmed'],
    ['Sudden severe headache, onset while lifting.', 'onset while lifting:red-flag-cough-exertion-headache:affirmed'],
    ['Headache began when coughing.', 'when coughing:red-flag-cough-exertion-headache:affirmed'],
    ['Thunderclap headache, onset with exertion.', 'onset with exertion:red-flag-cough-exertion-headache:affirmed'],
    ['No focal weakness or numbness.', 'focal weakness:focal-neurological-deficit:negated'],
    ['New facial droop and headache.', 'facial droop:focal-neurological-deficit:affirmed'],
    ['No cranial nerve deficit or sensory deficit.', 'sensory deficit:focal-neurological-deficit:negated'],
    ['Aura resolved; no residual deficits.', 'residual deficits:focal-neurological-deficit:negated'],
    ['New headache with confusion since this morning.', 'confusion:red-flag-cognitive-change:affirmed'],
    ['Arrived with altered mental status.', 'altered mental status:focal-neurological-deficit:affirmed'],
    ['Refractory, with probable medication overuse.', 'medication overuse:red-flag-painkiller-overuse:uncertain'],
    [
      'Headache reached maximum intensity in under a minute.',
      'maximum intensity in under a minute:thunderclap-headache:affirmed',
    ],
    ['Headache began while straining at stool.', 'while straining:red-flag-cough-exertion-headache:affirmed'],
    ['Sudden onset severe headache at 14:00.', 'Sudden onset severe headache:thunderclap-headache:affirmed'],
    ['Abrupt onset of severe headache.', 'Abrupt onset of severe headache:thunderclap-headache:affirmed'],
  ])('%s', (text, expected) => {
    expect(read(text)).toContain(expected);
  });
});

describe('confusion with no headache near it', () => {
  it('is no red flag', () => {
    expect(read('Confusion resolved.')).toEqual([]);
  });
});

describe('exertion with no headache near it', () => {
  it('is no red flag', () => {
    expect(read('Social history: enjoys lifting weights and running.')).toEqual([]);
  });
});

describe('a headache described as the worst, or as never had before', () => {
  it.each([
    ['Pt states headache is the worst of her life.', 'worst of her life:worst-headache-of-life:affirmed'],
    [
      'Describes it as the worst headache she has ever had.',
      'worst headache she has ever had:worst-headache-of-life:affirmed',
    ],
    // "never" is part of the phrase: the headache is new, not denied.
    [
      'She has never had a headache like this before.',
      'never had a headache like this before:red-flag-pattern-change:affirmed',
    ],
    [
      'Headache started at noon; she has never had anything like this.',
      'never had anything like this:red-flag-pattern-change:affirmed',
    ],
  ])('%s', (text, expected) => {
    expect(read(text)).toContain(expected);
  });

  it('is no red flag without a headache near it', () => {
    expect(read('Her divorce was the worst of her life; she has never had anything like this.')).toEqual([]);
  });

  it('can still be denied', () => {
    expect(read('Denies worst headache of her life.')).toContain(
      'worst headache of her life:worst-headache-of-life:negated',
    );
  });
});

describe('a finding that did not occur or recur', () => {
  it('is denied', () => {
    expect(read('Aura did not occur this time.')).toEqual(['Aura:aura:negated']);
    expect(read('Headache has not recurred since discharge.')).toEqual(['Headache:headache:negated']);
    expect(read('Neck stiffness: not elicited.')).toEqual(['Neck stiffness:neck-stiffness:negated']);
  });
});

describe('meningeal signs on examination', () => {
  it('are the meningism flag, denied or found', () => {
    expect(read('Kernig and Brudzinski signs negative.')).toEqual([
      'Kernig:neck-stiffness:negated',
      'Brudzinski signs:neck-stiffness:negated',
    ]);
    expect(read('Positive Kernig sign.')).toEqual(['Kernig sign:neck-stiffness:affirmed']);
    expect(read('Meningeal signs: none.')).toEqual(['Meningeal signs:neck-stiffness:negated']);
  });

  it('"Neck: supple" documents the neck stiffness absent', () => {
    expect(read('Neck: supple, no meningismus.')).toEqual([
      'Neck: supple:neck-stiffness:negated',
      'meningismus:neck-stiffness:negated',
    ]);
  });
});
