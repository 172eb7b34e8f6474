/**
 * Allergy and intolerance lists: a drug there is a past reaction, not a current medication. A
 * banner's "Allergies: sulfa" heads its own line only (a line-only section), so the note below it
 * keeps its own context.
 */
import { describe, expect, it } from 'vitest';
import { engine, read } from './read-findings';
import { analyze } from '../../../lib/engine';

describe('an allergy or intolerance', () => {
  it('is past, in a list or in a phrase', () => {
    expect(read('Allergies: sumatriptan (chest tightness), codeine.')).toEqual([
      'sumatriptan historical',
      'codeine historical',
    ]);
    expect(read('Allergic to rizatriptan.')).toEqual(['rizatriptan historical']);
    expect(read('Intolerant of propranolol.')).toEqual(['propranolol historical']);
  });

  it('names its header as the basis', () => {
    const [f] = analyze(engine, 'Drug allergies: sumatriptan');
    expect(f!.cues.map((c) => [c.flag, c.kind, c.text])).toEqual([['historical', 'section', 'Drug allergies:']]);
  });
});

describe('a line-only header', () => {
  it('heads its own line, not the note under it', () => {
    expect(read('Allergies: penicillin\nPatient reports migraine with aura and nausea.')).toEqual([
      'migraine with aura affirmed',
      'nausea affirmed',
    ]);
  });

  it('ends with its sentence where the line goes on', () => {
    expect(read('Allergies: sumatriptan. Takes rizatriptan for attacks.')).toEqual([
      'sumatriptan historical',
      'rizatriptan affirmed',
    ]);
  });

  it('alone on its line, heads the list under it as any header does', () => {
    expect(read('ALLERGIES\nSumatriptan (chest pressure)\nCodeine (nausea)\n\nReports photophobia.')).toEqual([
      'Sumatriptan historical',
      'Codeine historical',
      'nausea historical',
      'photophobia affirmed',
    ]);
  });

  it('other headers still head the lines below them', () => {
    // Not past medical history any more: written inline, it ends with its line when the next line
    // starts anew (family-lines.test.ts). A treatment list still heads the lines below.
    expect(read('Prior treatments: propranolol\nTopiramate, stopped for paresthesias.')).toEqual([
      'propranolol historical',
      'Topiramate historical',
    ]);
    expect(read('Past medical history:\nMigraine with aura since age 12.')).toEqual(['Migraine with aura historical']);
  });
});
