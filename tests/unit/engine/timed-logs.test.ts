/**
 * A timed nursing log names its drug once, in its first entry or its heading: the adverse effects
 * in later entries ("09:30 Mild nystagmus noted") are the drug's all the same. Entries before the
 * drug is named, and logs that never name it, stay unmarked.
 */
import { describe, expect, it } from 'vitest';
import { engine, read } from './read-findings';
import { analyze } from '../../../lib/engine';

const concepts = (text: string) => analyze(engine, text).map((f) => `${f.concept}:${f.text}:${f.assertion}`);

const LOG = [
  'Consent obtained. Continuous pulse oximetry in place.',
  '09:00 Ketamine infusion started per protocol.',
  '09:15 BP 142/90. No hallucinations.',
  '',
  '09:30 Mild nystagmus noted. Denies nausea.',
  '10:15 Dissociation resolved.',
].join('\n');

describe('a timed log', () => {
  it('carries the drug its first entry names to the entries after it', () => {
    expect(read(LOG)).toEqual([
      'Ketamine infusion affirmed',
      'hallucinations negated',
      'nystagmus affirmed',
      'nausea negated',
      'Dissociation historical',
    ]);
  });

  it('reads entry times as nurses write them', () => {
    for (const time of ['0930', '9:30 am', 'At 20 min:', 'T+40:', '15 min -', '09:30:00'])
      expect(read(`Ketamine infusion started.\n${time} nystagmus noted`), time).toContain('nystagmus affirmed');
  });

  it('carries it from the heading above the log', () => {
    expect(
      read('Ketamine infusion, 0.5 mg/kg/h\nAt 20 min: mild dissociation\nT+40: diplopia, rate decreased'),
    ).toEqual(['Ketamine infusion affirmed', 'dissociation affirmed', 'diplopia affirmed']);
  });

  it('does not carry it backwards, past a line that is no entry, or into a log that never names it', () => {
    expect(read('09:00 nystagmus noted\n09:30 ketamine started')).toEqual(['ketamine affirmed']);
    expect(read('Ketamine infusion started.\nPatient resting.\n09:30 nystagmus noted')).toEqual([
      'Ketamine infusion affirmed',
    ]);
    expect(read('Triage log\n10:00 headache 8/10\n10:15 nystagmus on exam')).toEqual(['headache affirmed']);
  });

  it('reaches back no further than the page reads before a chunk', () => {
    const filler = Array.from({ length: 40 }, (_, i) => `09:${String(i).padStart(2, '0')} vitals stable, resting`).join(
      '\n',
    );
    expect(read(`Ketamine infusion started.\n${filler}\n10:00 nystagmus noted`)).toEqual([
      'Ketamine infusion affirmed',
    ]);
  });

  it('reads the entry time at the start of the line only, however long the line', () => {
    const long = 'resting comfortably, '.repeat(10);
    expect(read(`Ketamine infusion started.\n09:30 ${long}nystagmus noted`)).toContain('nystagmus affirmed');
    expect(read(`Ketamine infusion started.\nNote: ${long}0930 then nystagmus noted`)).toEqual([
      'Ketamine infusion affirmed',
    ]);
  });

  it('is a ketamine effect, not a brainstem aura', () => {
    expect(concepts('Ketamine infusion started.\nT+40: diplopia')).toContain(
      'ketamine-physical-adverse-effects:diplopia:affirmed',
    );
  });
});

describe('a form of labelled answers', () => {
  const FORM = [
    'Ketamine infusion protocol',
    'Pre-infusion checklist',
    'Baseline BP: 132/84',
    'History of psychosis: no',
    'Escort present for discharge: yes',
    'Intra-infusion',
    'Dissociation: mild',
    'Hallucinations: none',
  ].join('\n');

  it('carries the drug its heading names to its later lines', () => {
    expect(concepts(FORM).filter((c) => c.startsWith('ketamine-psychological-effects'))).toEqual([
      'ketamine-psychological-effects:Dissociation:affirmed',
      'ketamine-psychological-effects:Hallucinations:negated',
    ]);
  });

  it('ends at a line of prose, and carries nothing without the drug', () => {
    const prose =
      'Ketamine infusion\nThe patient tolerated the first part of the visit well and asked about parking.\nDissociation: mild';
    expect(read(prose)).toEqual(['Ketamine infusion affirmed']);
    // Without the drug (or an infusion) named above, the lines are nobody's adverse effects.
    const plain = FORM.replace('Ketamine infusion protocol', 'Clinic checklist')
      .replace('Pre-infusion checklist', 'Before the visit')
      .replace('Intra-infusion', 'During the visit');
    expect(read(plain)).toEqual(['psychosis negated']);
  });

  it('makes no red flag or abbreviation of a line under a headache heading', () => {
    expect(read('Headache intake\nSocial history: lifting weights\nLesion size: 3 CM')).toEqual(['Headache affirmed']);
  });
});
