/**
 * A preventive the patient stopped, or one that failed or did not help, was tried before: it is
 * history, not a current medication. "Failed DHE" speaks of the DHE, not of the diagnosis before it.
 */
import { describe, expect, it } from 'vitest';
import { read } from './read-findings';

describe('a treatment tried before', () => {
  it('is history when stopped at the start of its sentence', () => {
    expect(read('Stopped topiramate due to paresthesias.')).toEqual(['topiramate historical']);
    expect(read('Pt stopped topiramate.')).toEqual(['topiramate historical']);
  });

  it('is history when it failed, was ineffective or did not help', () => {
    expect(read('Propranolol failed.')).toEqual(['Propranolol historical']);
    expect(read('Propranolol was ineffective.')).toEqual(['Propranolol historical']);
    expect(read('Sumatriptan ineffective for her attacks.')).toEqual(['Sumatriptan historical']);
    // "not help" alone is a pseudo-cue; inside the longer cue it is that cue's words.
    expect(read('Amitriptyline did not help.')).toEqual(['Amitriptyline historical']);
  });

  it('leaves what follows it, and a diagnosis before "failed X", as they were', () => {
    expect(read('Sumatriptan ineffective, now on rizatriptan.')).toEqual([
      'Sumatriptan historical',
      'rizatriptan affirmed',
    ]);
    expect(read('Refractory chronic migraine with status migrainosus, failed DHE.')).toEqual([
      'Refractory affirmed',
      'chronic migraine affirmed',
      'status migrainosus affirmed',
      'DHE historical',
    ]);
    expect(read('Vomiting stopped; headache persists.')).toEqual(['Vomiting historical', 'headache affirmed']);
  });
});
