/**
 * A family-history or past-history header written with its content beside it ("FHx: negative for migraine.")
 * heads that line and the lines that carry it on, not the next line that starts anew: the note's
 * own findings after it are the patient's, not the family's.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../lib/engine';
import { engine, read } from './read-findings';

describe('an inline family header', () => {
  it('leaves a line that starts anew to the patient', () => {
    expect(read('FHx: negative for migraine.\nHeadache worse today with photophobia.')).toEqual([
      'migraine negated',
      'Headache affirmed',
      'photophobia affirmed',
    ]);
    expect(read('Family History: Mother with migraine.\nPatient reports aura with each attack.')).toEqual([
      'migraine family',
      'aura affirmed',
    ]);
  });

  it('heads the lines that carry it on: lower case, a bullet, an indented lower-case line', () => {
    expect(read('Family history: mother with migraine,\nalso cluster headache')).toEqual([
      'migraine family',
      'cluster headache family',
    ]);
    expect(read('FH: mother - migraine\n- also cluster headache')).toEqual([
      'migraine family',
      'cluster headache family',
    ]);
    expect(read('FHx: mother with migraine\n  cluster headache at 40')).toEqual([
      'migraine family',
      'cluster headache family',
    ]);
  });

  it('heads the whole of its own line, past a full stop', () => {
    expect(read('FH: migraine in mother. Cluster headache in brother.')).toEqual([
      'migraine family',
      'Cluster headache family',
    ]);
  });

  it('leaves a header alone on its line after it to head its own list', () => {
    expect(read('FHx: mother with migraine.\nPast medical history:\nMigraine with aura\nCluster headache')).toEqual([
      'migraine family',
      'Migraine with aura historical',
      'Cluster headache historical',
    ]);
  });

  it('reads an indented line by its first word: a page keeps blanks the browser does not show', () => {
    expect(read('FHx: negative for migraine.\n  Headache worse today.')).toEqual([
      'migraine negated',
      'Headache affirmed',
    ]);
  });

  it('alone on its line, heads the list under it', () => {
    expect(read('Family History:\nMigraine\nCluster headache\n\nHPI: photophobia today.')).toEqual([
      'Migraine family',
      'Cluster headache family',
      'photophobia affirmed',
    ]);
  });

  it('reads the case of the text as written, past folded characters', () => {
    // Soft hyphens before the line are folded away: folded offsets fall behind the original ones.
    expect(read('FHx: migraine in mother.\u00ad\u00ad\u00ad\nNausea today.')).toEqual([
      'migraine family',
      'Nausea affirmed',
    ]);
    expect(read('FHx: migraine in mother.\u00ad\u00ad\u00ad\nnausea too.')).toEqual([
      'migraine family',
      'nausea family',
    ]);
  });
});

describe('an inline past-history header', () => {
  it('leaves a line that starts anew to the present', () => {
    expect(read('PMH: depression\nNew photophobia and neck stiffness today.')).toEqual([
      'photophobia affirmed',
      'neck stiffness affirmed',
    ]);
    expect(read('Past medical history: HTN, migraine.\nToday reports thunderclap onset.')).toEqual([
      'HTN historical',
      'migraine historical',
      'thunderclap affirmed',
    ]);
  });

  it('heads the lines that carry it on, and the list under it when alone on its line', () => {
    expect(read('PMH: migraine since age 12,\naura in her twenties')).toEqual([
      'migraine historical',
      'aura historical',
    ]);
    expect(read('Past medical history:\nMigraine with aura\nCluster headache')).toEqual([
      'Migraine with aura historical',
      'Cluster headache historical',
    ]);
  });

  it('is not the rule of a treatment list, whose items often start with a capital', () => {
    expect(read('Prior medications: topiramate (paresthesias)\nPropranolol (fatigue)')).toEqual([
      'topiramate historical',
      'Propranolol historical',
      'fatigue historical',
    ]);
  });
});

describe('a relative’s labelled line', () => {
  const flags = (text: string) =>
    analyze(engine, text).map((f) => `${f.text}${f.negated ? ' negated' : ''}${f.family ? ' family' : ''}`);

  it('keeps a denial on it the relative’s', () => {
    expect(flags('Father - HTN, no headaches.')).toEqual(['HTN family', 'headaches negated family']);
    expect(flags('Mother: migraine, no aura.')).toEqual(['migraine family', 'aura negated family']);
  });
});
