/**
 * ICHD-3 criteria coverage: which elements of 1.1, 1.2 and 1.3 the page documents, denies or does
 * not mention. The criteria text and its citation come from the knowledge base's criteria entries;
 * this table only says which concepts stand for which element. An element counts as documented
 * only from an affirmed finding; denied from a negated one that is not a relative's (and none
 * affirmed). Family, past, hypothetical and uncertain mentions document nothing about this
 * patient's attacks.
 *
 * Elements that term matching cannot establish (attack counts, durations, day counts) are listed
 * as "check in the note" rather than guessed.
 */
import type { Entry } from '../knowledge/schema';
import type { LocatedFinding } from './findings';

export interface CriterionElement {
  /** The criterion letter in ICHD-3 ("C"). */
  criterion: string;
  label: string;
  /** Concept ids that document the element; the first that exists in the knowledge base is used. */
  concepts: string[];
}

export interface CriteriaSet {
  /** The criteria entry in the knowledge base. */
  entryId: string;
  code: string;
  name: string;
  elements: CriterionElement[];
}

// Concept ids cover both the bundled knowledge base and the small test set; unknown ids are ignored.
export const CRITERIA: CriteriaSet[] = [
  {
    entryId: 'ichd3-1-1-criteria',
    code: '1.1',
    name: 'Migraine without aura',
    elements: [
      { criterion: 'A', label: 'At least 5 attacks', concepts: [] },
      { criterion: 'B', label: 'Attacks last 4–72 hours', concepts: [] },
      { criterion: 'C', label: 'Unilateral location', concepts: ['unilateral-headache', 'unilateral-location'] },
      { criterion: 'C', label: 'Pulsating quality', concepts: ['pulsating-headache', 'pulsating-quality'] },
      { criterion: 'C', label: 'Moderate or severe intensity', concepts: ['moderate-severe-pain', 'severe-headache'] },
      {
        criterion: 'C',
        label: 'Aggravated by routine physical activity',
        concepts: ['activity-aggravated-headache', 'aggravated-by-activity'],
      },
      { criterion: 'D', label: 'Nausea and/or vomiting', concepts: ['nausea-vomiting', 'nausea', 'vomiting'] },
      { criterion: 'D', label: 'Photophobia (with phonophobia)', concepts: ['photophobia'] },
      { criterion: 'D', label: 'Phonophobia (with photophobia)', concepts: ['phonophobia'] },
    ],
  },
  {
    entryId: 'ichd3-1-2-criteria',
    code: '1.2',
    name: 'Migraine with aura',
    elements: [
      { criterion: 'A', label: 'At least 2 attacks', concepts: [] },
      { criterion: 'B', label: 'Aura (any fully reversible aura symptom)', concepts: ['aura'] },
      {
        criterion: 'B',
        label: 'Visual aura',
        concepts: ['visual-aura', 'scintillating-scotoma', 'fortification-spectrum'],
      },
      { criterion: 'B', label: 'Sensory aura', concepts: ['sensory-aura', 'pins-and-needles', 'paresthesia'] },
      { criterion: 'B', label: 'Speech and/or language aura', concepts: ['speech-language-aura', 'speech-aura'] },
      { criterion: 'B', label: 'Motor aura', concepts: ['motor-aura', 'hemiplegic-migraine'] },
      {
        criterion: 'B',
        label: 'Brainstem aura',
        concepts: ['brainstem-aura', 'migraine-with-brainstem-aura', 'brainstem-aura-symptoms'],
      },
      { criterion: 'B', label: 'Retinal aura', concepts: ['retinal-aura', 'retinal-migraine'] },
      {
        criterion: 'C',
        label: 'Spread, succession, 5–60 min, unilateral, positive, headache within 60 min',
        concepts: [],
      },
    ],
  },
  {
    entryId: 'ichd3-1-3-criteria',
    code: '1.3',
    name: 'Chronic migraine',
    elements: [
      { criterion: 'A', label: 'Headache on ≥15 days/month for >3 months', concepts: [] },
      { criterion: 'A', label: 'Headache documented', concepts: ['headache'] },
      {
        criterion: 'B',
        label: 'Prior migraine diagnosis (1.1 and/or 1.2)',
        concepts: ['migraine-without-aura', 'migraine-with-aura', 'migraine'],
      },
      { criterion: 'C', label: 'Migraine features on ≥8 days/month (1.1 C+D or 1.2 B+C)', concepts: [] },
      {
        criterion: 'C',
        label: 'Relieved by a triptan or ergot',
        concepts: ['triptans', 'triptan', 'sumatriptan', 'ergots', 'dihydroergotamine'],
      },
      {
        criterion: 'D',
        label: 'Medication overuse (code both when present)',
        concepts: ['medication-overuse-headache'],
      },
    ],
  },
];

export type ElementStatus = 'documented' | 'denied' | 'not-mentioned' | 'not-detectable';

export interface ElementCoverage {
  element: CriterionElement;
  /** The concept ids of the element that exist in the knowledge base. */
  known: string[];
  status: ElementStatus;
  /** The finding behind the status (affirmed, else negated). */
  basis: LocatedFinding | null;
}

export function coverage(set: CriteriaSet, located: LocatedFinding[], byId: Map<string, Entry>): ElementCoverage[] {
  return set.elements.map((element) => {
    const known = element.concepts.filter((c) => byId.has(c));
    if (known.length === 0) return { element, known, status: 'not-detectable', basis: null };
    const mine = located.filter((l) => known.includes(l.finding.concept));
    const affirmed = mine.find((l) => l.finding.assertion === 'affirmed');
    if (affirmed) return { element, known, status: 'documented', basis: affirmed };
    // "No family history of aura" denies nothing of the patient's own attacks.
    const negated = mine.find((l) => l.finding.assertion === 'negated' && !l.finding.family);
    if (negated) return { element, known, status: 'denied', basis: negated };
    return { element, known, status: 'not-mentioned', basis: null };
  });
}

/** The criteria entry's fact for a letter: facts written "C. …", "C: …" or "Criterion C …". */
export function criterionFact(entry: Entry | undefined, letter: string): Entry['detail'][number] | undefined {
  const re = new RegExp(`^\\s*(?:criterion\\s+)?${letter}\\s*[.:)\\-–]`, 'i');
  return entry?.detail.find((d) => re.test(d.text));
}
