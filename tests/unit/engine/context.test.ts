import { describe, expect, it } from 'vitest';
import { classifySpan, type Assertion, type ContextFlags } from '../../../lib/engine';
import { findingFor, findings, miniEngine } from './mini-engine';

type Row = [sentence: string, phrase: string, assertion: Assertion];

/** The five flags of `phrase` in `sentence`, the span given (as `scan --assertions` does). */
function spanFlags(sentence: string, phrase: string): ContextFlags {
  const start = sentence.indexOf(phrase);
  if (start < 0) throw new Error(`"${phrase}" not in "${sentence}"`);
  return classifySpan(miniEngine(), sentence, start, start + phrase.length).flags;
}

const on = (f: ContextFlags) =>
  (['negated', 'uncertain', 'historical', 'hypothetical', 'family'] as const).filter((k) => f[k]).join('+') ||
  'affirmed';

describe('each context category', () => {
  it.each<Row>([
    ['Denies aura.', 'aura', 'negated'],
    ['No photophobia or phonophobia today.', 'phonophobia', 'negated'],
    ['HA without N/V.', 'N/V', 'negated'],
    ['Pt did not have nausea.', 'nausea', 'negated'],
    ['Aura: none.', 'Aura', 'negated'],
    ['Photophobia: no', 'Photophobia', 'negated'],
    ['Any aura? No.', 'aura', 'negated'],
    ['Fever (-)', 'Fever', 'negated'],
    ['Aura\tNo', 'Aura', 'negated'],
    ['Possible migraine.', 'migraine', 'uncertain'],
    ['R/o thunderclap headache.', 'thunderclap headache', 'uncertain'],
    ['Cannot exclude fever as a cause.', 'fever', 'uncertain'],
    ['Migraine vs tension headache.', 'Migraine', 'uncertain'],
    ['? aura before the headache.', 'aura', 'uncertain'],
    ['Aura?', 'Aura', 'uncertain'],
    ['H/o migraine.', 'migraine', 'historical'],
    ['History of migraine with aura.', 'migraine with aura', 'historical'],
    ['Prior ketamine infusion in 2022.', 'ketamine', 'historical'],
    ['Aura resolved.', 'Aura', 'historical'],
    ['Migraines as a child.', 'Migraines', 'historical'],
    ['Return if fever.', 'fever', 'hypothetical'],
    ['Should she develop fever, call.', 'fever', 'hypothetical'],
    ['If nausea persists, call.', 'nausea', 'hypothetical'],
    ['Will start ketamine next week.', 'ketamine', 'hypothetical'],
    ['Mother with migraines.', 'migraines', 'family'],
    ['FHx: father w/ MwA.', 'MwA', 'family'],
    ['Migraine in her mother.', 'Migraine', 'family'],
    ['Family history of migraine.', 'migraine', 'family'],
    ['Pt c/o L-sided throbbing HA x2d.', 'HA', 'affirmed'],
  ])('%j: %s is %s', (sentence, phrase, assertion) => {
    const f = findingFor(sentence, phrase);
    expect(f.assertion).toBe(assertion);
    expect(on(spanFlags(sentence, phrase))).toBe(assertion);
  });
});

describe('the cue that set the context is kept', () => {
  it.each([
    ['Denies aura.', 'aura', 'negated', 'Denies', 'phrase'],
    ['No photophobia, phonophobia or nausea.', 'nausea', 'negated', 'No', 'phrase'],
    ['Aura: none.', 'Aura', 'negated', ': none', 'phrase'],
    ['Mother with migraines.', 'migraines', 'family', 'Mother', 'phrase'],
    ['Family History:\nmigraine', 'migraine', 'family', 'Family History:', 'section'],
  ])('%j', (sentence, phrase, flag, cue, kind) => {
    const f = findingFor(sentence, phrase);
    expect(f.cues).toContainEqual(expect.objectContaining({ flag, text: cue, kind }));
    const c = f.cues.find((x) => x.flag === flag)!;
    expect(sentence.slice(c.start, c.end)).toBe(cue);
  });
});

describe('several flags and their precedence (contract 2)', () => {
  it.each<[string, string, string, Assertion]>([
    ['No family history of migraine.', 'migraine', 'negated+family', 'negated'],
    ['Possible history of migraine.', 'migraine', 'uncertain+historical', 'uncertain'],
    ['Mother with possible migraines.', 'migraines', 'uncertain+family', 'family'],
    ['Mother had migraines as a child.', 'migraines', 'historical+family', 'family'],
    ['If fever, possible meningitis.', 'fever', 'hypothetical', 'hypothetical'],
  ])('%j', (sentence, phrase, flags, assertion) => {
    const f = findingFor(sentence, phrase);
    expect(on(f)).toBe(flags);
    expect(f.assertion).toBe(assertion);
  });

  it.each([
    ['No history of migraine.', 'migraine'],
    ['Denies prior migraine.', 'migraine'],
    ['No h/o fever.', 'fever'],
  ])('a denied history is negated, not historical: %j', (sentence, phrase) => {
    expect(on(findingFor(sentence, phrase))).toBe('negated');
  });
});

describe('pseudo-triggers', () => {
  it.each([
    ['No increase in headache frequency.', 'headache'],
    ['Not only photophobia but also phonophobia.', 'photophobia'],
    ['No change in aura.', 'aura'],
    ['Headache not relieved by ketamine.', 'ketamine'],
    ['Counseled no driving for 24h after ketamine.', 'ketamine'],
    ['Ketamine infusion without difficulty.', 'Ketamine'],
    ['Mother reports headaches in the morning.', 'headaches'],
    ['Here with her mother for migraine follow-up.', 'migraine'],
    ['Nausea: yes', 'Nausea'],
    ['Tried ketamine in the past without benefit; headache persisted.', 'headache'],
  ])('%j leaves %s affirmed', (sentence, phrase) => {
    expect(findingFor(sentence, phrase).assertion).toBe('affirmed');
  });
});

describe('scope ends', () => {
  it.each([
    ['Denies aura but reports photophobia.', 'photophobia'],
    ['No aura; photophobia with attacks.', 'photophobia'],
    ['No aura. Photophobia with attacks.', 'Photophobia'],
    ['No aura, has photophobia.', 'photophobia'],
    ['Denies fever, however reports nausea.', 'nausea'],
    ['No fever\nnausea', 'nausea'],
    ['No aura with the first attack in years, and now the worst headache of life.', 'worst headache of life'],
  ])('%j: %s is outside the negation', (sentence, phrase) => {
    expect(findingFor(sentence, phrase).negated).toBe(false);
  });

  it('a cue of another kind after a clause takes over: "denies fever, possible aura"', () => {
    expect(on(findingFor('Denies fever, possible aura.', 'aura'))).toBe('uncertain');
    expect(on(findingFor('Possible migraine, no aura.', 'aura'))).toBe('negated');
  });

  it('a condition covers its consequence', () => {
    expect(findingFor('If headache persists, consider ketamine.', 'ketamine').hypothetical).toBe(true);
  });
});

describe('terminators for one kind of cue', () => {
  it.each<[string, string, string]>([
    ['No fever, has headache.', 'headache', 'affirmed'],
    ['Possible migraine, has aura.', 'aura', 'affirmed'],
    ['Father, 62, has migraines.', 'migraines', 'family'],
    ['H/o migraine, currently no aura.', 'aura', 'negated'],
    ['She is not currently taking ketamine.', 'ketamine', 'negated'],
  ])('%j: %s is %s', (sentence, phrase, flags) => {
    expect(on(findingFor(sentence, phrase))).toBe(flags);
  });
});

describe('overlapping cues', () => {
  it.each<[string, string, string]>([
    ['It is unclear whether her headaches relate to fever.', 'fever', 'uncertain'],
    ['The patient is negative for photophobia.', 'photophobia', 'negated'],
    ['Family history significant for migraine.', 'migraine', 'family'],
    ['She does not report any aura.', 'aura', 'negated'],
    ['Not sure if aura.', 'aura', 'uncertain'],
  ])('%j: %s is %s', (sentence, phrase, flags) => {
    expect(on(findingFor(sentence, phrase))).toBe(flags);
  });
});

describe('as-needed medication', () => {
  it.each([['Ondansetron as needed for nausea.'], ['Sumatriptan prn migraine.']])('%j is hypothetical', (sentence) => {
    const f = findings(sentence).at(-1)!;
    expect(f.assertion).toBe('hypothetical');
  });
});

describe('lists', () => {
  it.each([
    ['No photophobia, phonophobia or nausea.', ['photophobia', 'phonophobia', 'nausea']],
    ['Neither nausea nor vomiting.', ['nausea', 'vomiting']],
    [
      'Denies fever, chills, weight loss, night sweats, vision changes, photophobia, phonophobia, nausea, or vomiting.',
      ['fever', 'photophobia', 'phonophobia', 'nausea', 'vomiting'],
    ],
    ['Negative for fever, photophobia, and aura.', ['fever', 'photophobia', 'aura']],
  ])('%j negates every item', (sentence, phrases) => {
    for (const p of phrases) expect(findingFor(sentence, p).assertion).toBe('negated');
  });

  it('a long clause without list commas is beyond a cue\u2019s reach', () => {
    const s = 'No fever at the start of the visit when she came in to the clinic this morning with a headache.';
    expect(findingFor(s, 'headache').negated).toBe(false);
  });
});

describe('text without sentence ends', () => {
  it('is read in windows that agree with each other: every item of a long run-on list is negated', () => {
    const text = 'no aura, photophobia, '.repeat(400);
    const all = findings(text);
    expect(all).toHaveLength(800);
    expect(all.filter((f) => f.assertion !== 'negated')).toEqual([]);
    for (const f of all) expect(f.cues[0]?.text).toBe('no');
  });

  it('keeps a cue from reaching across a window it cannot see', () => {
    const text = 'denies aura ' + 'x '.repeat(300) + 'photophobia';
    expect(findingFor(text, 'photophobia').assertion).toBe('affirmed');
  });
});

describe('sections', () => {
  it.each<[string, string, Assertion]>([
    ['Family History:\nMother: migraine\nSister - migraine with aura', 'migraine with aura', 'family'],
    ['FAMILY HISTORY\nmigraine in aunt', 'migraine', 'family'],
    ['Past Medical History:\nMigraine without aura\nDepression', 'Migraine without aura', 'historical'],
    ['PMH: migraine, asthma', 'migraine', 'historical'],
    ['Plan:\n1. Ketamine infusion per protocol', 'Ketamine', 'hypothetical'],
    ['Differential Diagnosis:\nmigraine\nthunderclap headache', 'thunderclap headache', 'uncertain'],
    ['ROS: negative for fever.', 'fever', 'negated'],
    ['ROS:\nNeuro: positive for headache.', 'headache', 'affirmed'],
    ['Denies aura. Family History: mother with migraine.', 'migraine', 'family'],
  ])('%j: %s is %s', (text, phrase, assertion) => {
    expect(findingFor(text, phrase).assertion).toBe(assertion);
  });

  it.each([
    ['a known header', 'Family History:\nMother: migraine\nHPI:\nPatient reports aura.'],
    ['an unknown header', 'Family History:\nMother: migraine\nVitals:\nBP 120/80, aura today'],
    ['a blank line', 'Family History:\nMother: migraine\n\nPatient reports aura.'],
  ])('%s ends the section above', (_name, text) => {
    expect(findingFor(text, 'aura').assertion).toBe('affirmed');
  });

  it('a relative or a finding at a line start is content, not a header that ends the section', () => {
    const text = 'Family History:\nFather: hypertension\nMigraine: mother and sister';
    expect(findingFor(text, 'Migraine').assertion).toBe('family');
  });

  it('a header on its own line with no content after it keeps its section over the blank line', () => {
    expect(findingFor('Family History:\n\nMother - migraine', 'migraine').family).toBe(true);
  });
});

describe('a relative, then a history cue', () => {
  it('"Father: hx of migraines" stays the father\u2019s: family, and past', () => {
    const f = findingFor('Father: hx of migraines.', 'migraines');
    expect([f.family, f.historical, f.assertion]).toEqual([true, true, 'family']);
  });
});

describe('answers after a dash', () => {
  // The page's reading (analyze), not only the span classifier: a cue that began on the dash was
  // stretched back over the finding's own word and then dropped as part of the finding.
  it('"Nausea - denies", "Photophobia - no": the answer negates the item before the dash', () => {
    expect(findingFor('Nausea - denies. Photophobia - yes.', 'Nausea').assertion).toBe('negated');
    expect(findingFor('Nausea - denies. Photophobia - yes.', 'Photophobia').assertion).toBe('affirmed');
    expect(findingFor('Photophobia - no', 'Photophobia').assertion).toBe('negated');
  });

  it('"Migraine - mother": the relative after the dash makes it family history', () => {
    expect(findingFor('Migraine - mother.', 'Migraine').assertion).toBe('family');
  });
});

describe('compound diagnoses and codes', () => {
  const text = 'Chronic migraine without aura (ICD10:G43.709)';

  it('"without" inside a diagnosis negates neither the diagnosis nor its code', () => {
    expect(findingFor(text, 'Chronic migraine without aura').assertion).toBe('affirmed');
    expect(findingFor(text, 'ICD10:G43.709').assertion).toBe('affirmed');
  });

  it('the code takes its diagnosis\u2019 context, negated or family', () => {
    expect(findingFor('No migraine (G43.909).', 'G43.909').assertion).toBe('negated');
    expect(findingFor('Mother: migraine with aura (G43.109)', 'G43.109').assertion).toBe('family');
  });

  it('the span classifier does the same for a code', () => {
    expect(on(spanFlags(text, 'ICD10:G43.709'))).toBe('affirmed');
    expect(
      on(spanFlags('Migraine without aura, not intractable, without status migrainosus (G43.009)', 'G43.009')),
    ).toBe('affirmed');
  });

  it('a span inside a longer lexicon phrase is classified as itself: "aura" of "migraine without aura"', () => {
    expect(on(spanFlags('Migraine without aura.', 'aura'))).toBe('negated');
    expect(on(spanFlags('Migraine without aura.', 'Migraine without aura'))).toBe('affirmed');
  });
});

describe('classifySpan', () => {
  it.each([
    ['a span that is no lexicon term', 'Denies jaw claudication.', 'jaw claudication', 'negated'],
    ['a span in a long text', 'Stable. Denies aura. Mother with migraines.', 'migraines', 'family'],
    ['a span that cuts a word', 'Denies photophobia.', 'photo', 'negated'],
  ])('%s', (_name, sentence, phrase, flags) => {
    expect(on(spanFlags(sentence, phrase))).toBe(flags);
  });

  it('returns nothing set for empty text', () => {
    expect(on(classifySpan(miniEngine(), '', 0, 0).flags)).toBe('affirmed');
  });

  it('reports the trigger phrases used', () => {
    const r = classifySpan(miniEngine(), 'No family history of stroke.', 21, 27);
    expect(r.cues.map((c) => c.text).sort()).toEqual(['No', 'family history of']);
  });
});
