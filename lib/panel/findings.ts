/**
 * The page view's model: every finding of a tab, grouped and ordered by clinical weight. Pure (no
 * DOM, no browser), so the grouping rules are tested as tables.
 */
import type { Entry } from '../knowledge/schema';
import type { TabState, WireFinding } from '../messaging/contract';

/** A finding with where it lives, so a click can ask that frame to reveal it. */
export interface LocatedFinding {
  finding: WireFinding;
  frameId: number;
  /** Index into the frame's `findings` array; null for text-field findings (not revealable). */
  index: number | null;
}

export const GROUPS = [
  { id: 'red-flags', label: 'Red flags' },
  { id: 'cautions', label: 'Ketamine contraindications and cautions documented' },
  { id: 'diagnoses', label: 'Diagnoses and codes' },
  { id: 'present', label: 'Symptoms documented present' },
  { id: 'absent', label: 'Documented absent (denied)' },
  { id: 'triggers', label: 'Triggers' },
  { id: 'medications', label: 'Medications and ketamine' },
  { id: 'family', label: 'Family history' },
  { id: 'past', label: 'Past history' },
  // Uncertain mentions ("possible SAH", "r/o SAH") get a group of their own: they are neither
  // documented nor merely conditional, and a differential still to be excluded is worth seeing.
  { id: 'possible', label: 'Possible / to rule out' },
  { id: 'hypothetical', label: 'Hypothetical (return precautions, plans)' },
] as const;
export type GroupId = (typeof GROUPS)[number]['id'];

export interface FindingRow {
  concept: string;
  title: string;
  indicator: Entry['indicator'];
  occurrences: LocatedFinding[];
}

export interface FindingGroup {
  id: GroupId;
  label: string;
  rows: FindingRow[];
}

/**
 * Which group a finding belongs in. What the chart says of a relative is family history, denied or
 * not ("No family history of migraine" says nothing of the patient's own migraine, so it must not
 * sit with the patient's denied symptoms); otherwise the assertion decides first, so a denied red
 * flag ("No fever") sits with what the chart denies and is never counted as present.
 */
export function groupOf(f: WireFinding, entry: Entry | undefined): GroupId {
  if (f.family) return 'family';
  switch (f.assertion) {
    case 'negated':
      return 'absent';
    case 'family':
      return 'family';
    case 'historical':
      return entry?.contraindication && !entry.currentOnly ? 'cautions' : 'past';
    case 'uncertain':
      return 'possible';
    case 'hypothetical':
      return 'hypothetical';
    case 'affirmed':
      break;
  }
  if (entry?.contraindication) return 'cautions';
  switch (f.category) {
    case 'red-flag':
      return 'red-flags';
    case 'diagnosis':
      return 'diagnoses';
    case 'symptom':
    case 'aura':
      return 'present';
    case 'trigger':
      return 'triggers';
    case 'drug':
    case 'ketamine':
      return 'medications';
  }
}

/**
 * How many mentions the panel lists, and how many the page has in all: a frame sends at most
 * MAX_FINDINGS_PER_FRAME and says how many it has when that is more, and the background halves a
 * tab's lists when storage would not hold them.
 */
export function listedOfAll(tab: TabState): { listed: number; all: number } {
  let listed = 0;
  let all = 0;
  for (const fr of tab.frames) {
    const n = fr.findings.length + fr.fields.length;
    listed += n;
    all += Math.max(n, fr.total ?? 0);
  }
  return { listed, all };
}

/** Every finding of the tab (page text and text fields) with its frame and reveal index. */
export function locate(tab: TabState): LocatedFinding[] {
  return tab.frames.flatMap((fr) => [
    ...fr.findings.map((finding, index) => ({ finding, frameId: fr.frameId, index })),
    ...fr.fields.map((finding) => ({ finding, frameId: fr.frameId, index: null })),
  ]);
}

const INDICATOR_WEIGHT: Record<Entry['indicator'], number> = { critical: 0, warning: 1, info: 2 };
const RED_FLAG_FIRST = (r: FindingRow, byId: Map<string, Entry>) =>
  byId.get(r.concept)?.category === 'red-flag' ? 0 : 1;

/** Groups in clinical order; within a group, critical entries first, then order on the page. */
export function groupFindings(tab: TabState, byId: Map<string, Entry>): FindingGroup[] {
  const rows = new Map<string, FindingRow & { group: GroupId }>();
  for (const lf of locate(tab)) {
    const entry = byId.get(lf.finding.concept);
    const group = groupOf(lf.finding, entry);
    const key = `${group}|${lf.finding.concept}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        group,
        concept: lf.finding.concept,
        title: entry?.title ?? lf.finding.title,
        indicator: entry?.indicator ?? 'info',
        occurrences: [],
      };
      rows.set(key, row);
    }
    row.occurrences.push(lf);
  }
  return GROUPS.map(({ id, label }) => ({
    id,
    label,
    rows: [...rows.values()]
      .filter((r) => r.group === id)
      .sort(
        (a, b) =>
          RED_FLAG_FIRST(a, byId) - RED_FLAG_FIRST(b, byId) ||
          INDICATOR_WEIGHT[a.indicator] - INDICATOR_WEIGHT[b.indicator] ||
          0,
      )
      .map(({ concept, title, indicator, occurrences }) => ({ concept, title, indicator, occurrences })),
  })).filter((g) => g.rows.length > 0);
}

const CUE_LABEL: Record<string, string> = {
  negated: 'denied',
  family: 'family',
  historical: 'past history',
  hypothetical: 'hypothetical',
  uncertain: 'uncertain',
};

const CUE_KIND_LABEL: Record<WireFinding['cues'][number]['kind'], string> = {
  phrase: '',
  section: 'section ',
  column: 'column ',
};

/** The context cues as the basis for an assertion: "denied: 'denies'", "family: section 'Family History'". */
export function cueText(f: WireFinding): string[] {
  return f.cues.map(
    (c) =>
      `${CUE_LABEL[c.flag] ?? c.flag}: ${CUE_KIND_LABEL[c.kind]}'${c.text}'${c.kind === 'column' ? ' in every row' : ''}`,
  );
}

/**
 * The sentence split around the matched words, from the finding's offsets. Offsets that fall
 * outside the sentence (a stale or hostile message) leave the sentence unmarked rather than wrong.
 */
export function markSentence(f: WireFinding): { before: string; match: string; after: string } {
  const a = f.start - f.sentenceStart;
  const b = f.end - f.sentenceStart;
  if (a < 0 || b > f.sentence.length || b <= a) return { before: f.sentence, match: '', after: '' };
  return { before: f.sentence.slice(0, a), match: f.sentence.slice(a, b), after: f.sentence.slice(b) };
}

export interface SentencePart {
  text: string;
  kind: 'plain' | 'match' | 'cue';
}

/**
 * The sentence cut into plain text, the matched words and the context cue's words (when the cue is
 * a phrase inside the same sentence), so the panel can show both halves of the basis in place.
 */
export function sentenceParts(f: WireFinding): SentencePart[] {
  const n = f.sentence.length;
  const spans: { a: number; b: number; kind: 'match' | 'cue' }[] = [];
  const { match } = markSentence(f);
  if (match) spans.push({ a: f.start - f.sentenceStart, b: f.end - f.sentenceStart, kind: 'match' });
  for (const c of f.cues) {
    if (c.kind !== 'phrase') continue;
    const a = c.start - f.sentenceStart;
    const b = c.end - f.sentenceStart;
    if (a < 0 || b > n || b <= a) continue;
    if (spans.some((s) => a < s.b && b > s.a)) continue; // never overlap the match or another cue
    spans.push({ a, b, kind: 'cue' });
  }
  spans.sort((x, y) => x.a - y.a);
  const parts: SentencePart[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.a > at) parts.push({ text: f.sentence.slice(at, s.a), kind: 'plain' });
    parts.push({ text: f.sentence.slice(s.a, s.b), kind: s.kind });
    at = s.b;
  }
  if (at < n) parts.push({ text: f.sentence.slice(at), kind: 'plain' });
  return parts;
}
