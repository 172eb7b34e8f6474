/**
 * Readings whose error would invert what a clinician is shown, with the whole knowledge base and
 * its context rules, through the page's path (analyze): a contraindication shown as denied, a
 * denied drug shown as given.
 */
import { describe, expect, it } from 'vitest';
import { analyze, createEngine } from '../../../lib/engine';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const engine = createEngine(loadKnowledge().lexicon);
const read = (text: string) => analyze(engine, text).map((f) => `${f.concept} ${f.assertion}`);

describe('readings that must not invert', () => {
  it('"given" ends a cue: the reason after it is present, not denied or in doubt', () => {
    expect(read('Not a candidate for ketamine given uncontrolled hypertension.')).toEqual([
      'ketamine negated',
      'ketamine-ci-uncontrolled-hypertension affirmed',
    ]);
    expect(read('Possible SAH given thunderclap onset.')).toEqual([
      'subarachnoid-haemorrhage uncertain',
      'thunderclap-headache affirmed',
    ]);
  });

  it('"Allergic to ketamine" is the label contraindication, not a mere mention of ketamine', () => {
    expect(read('No known drug allergies. Allergic to ketamine (rash).')).toEqual([
      'ketamine-ci-hypersensitivity affirmed',
    ]);
  });

  it('"migraine w/o aura" is the diagnosis, and its "w/o" denies nothing after it', () => {
    expect(read('HPI: 28F with migraine w/o aura, 12 HA days/month.')).toEqual([
      'migraine-without-aura affirmed',
      'headache affirmed',
    ]);
  });

  it('"was not given ketamine" denies the ketamine; "Ketamine was not given" still does', () => {
    expect(read('Was not given ketamine today.')).toEqual(['ketamine negated']);
    expect(read('Ketamine was not given.')).toEqual(['ketamine negated']);
    expect(read('Ketamine not given, metoclopramide started.')).toEqual([
      'ketamine negated',
      'metoclopramide affirmed',
    ]);
  });

  it('marks migraine preventives, and a failed one as past', () => {
    expect(read('Failed topiramate due to paresthesias. Now on Aimovig; Botox q12 weeks.')).toEqual([
      'topiramate historical',
      'cgrp-targeting-therapies affirmed',
      'onabotulinumtoxina affirmed',
    ]);
    expect(read('Considering Depakote.')).toEqual(['valproate uncertain']);
  });

  it('"Mother: no migraines" is the mother\u2019s denial, not the patient\u2019s', () => {
    const flags = (text: string) => analyze(engine, text).map((f) => [f.text, f.negated, f.family]);
    expect(flags('Mother: no migraines.')).toEqual([['migraines', true, true]]);
    expect(flags('Siblings: none with headaches.')).toEqual([['headaches', true, true]]);
    expect(flags('Father with migraines, no aura.')).toEqual([
      ['migraines', false, true],
      ['aura', true, false],
    ]);
  });
});
