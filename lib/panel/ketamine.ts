/**
 * The ketamine supervision model: the checklist from the knowledge base's supervision entries, and
 * what the page itself says about each contraindication or caution. Pure, so it is tested alone
 * and the plain-text copy is the same text the panel shows.
 */
import type { PanelData } from '../knowledge/panel-data';
import type { Entry, Source, SupervisionPhase } from '../knowledge/schema';
import type { WireFinding } from '../messaging/contract';
import type { LocatedFinding } from './findings';

export const PHASES: { id: SupervisionPhase; label: string }[] = [
  { id: 'before', label: 'Before: screening and contraindications' },
  { id: 'during', label: 'During: monitoring' },
  { id: 'after', label: 'After: observation, discharge, driving, escort' },
  { id: 'repeated', label: 'Repeated use: urinary symptoms, liver tests, misuse' },
  { id: 'handling', label: 'Handling' },
];

export type Role = 'nurse' | 'neurologist';

/**
 * A nurse starts from what to watch during and after the dose; a neurologist from the evidence
 * and whether this patient should have it at all.
 */
export const PHASE_ORDER: Record<Role, SupervisionPhase[]> = {
  nurse: ['during', 'after', 'before', 'repeated', 'handling'],
  neurologist: ['before', 'repeated', 'during', 'after', 'handling'],
};

/** Ketamine, esketamine and their forms ("ketamine-intranasal", "esketamine"), not its cautions. */
export function isKetamineMention(f: WireFinding, entry: Entry | undefined): boolean {
  if (f.category !== 'ketamine' || entry?.contraindication) return false;
  return /(^|-)(es)?ketamine($|-)/.test(f.concept) || /ketamine|ketalar|spravato/i.test(entry?.title ?? f.title);
}

export interface ChecklistItem {
  phase: SupervisionPhase;
  text: string;
  cite: string[];
  checks: string[];
  /** The supervision entry the item comes from. */
  from: string;
}

export function checklistItems(data: PanelData): ChecklistItem[] {
  return data.entries
    .filter((e) => e.category === 'supervision' && e.supervision?.length)
    .flatMap((e) =>
      e.supervision!.map((s) => ({ phase: s.phase, text: s.text, cite: s.cite, checks: s.checks ?? [], from: e.id })),
    );
}

export type CautionStatus = 'present' | 'denied' | 'other' | 'not-mentioned';

export interface CautionMention {
  entry: Entry;
  status: CautionStatus;
  /** The page's mentions of it, strongest first (present, then denied, then anything else). */
  mentions: LocatedFinding[];
}

/**
 * Present means affirmed or documented as history ("history of hypertension on lisinopril": a
 * chronic condition charted as history still applies today); denied means negated. Family,
 * hypothetical and uncertain mentions are shown but raise nothing: "no family history of
 * psychosis" denies nothing of the patient's own.
 */
function statusOf(f: WireFinding, entry: Entry): CautionStatus {
  if (f.family) return 'other';
  if (f.assertion === 'affirmed' || (f.assertion === 'historical' && !entry.currentOnly)) return 'present';
  if (f.assertion === 'negated') return 'denied';
  return 'other';
}

const STATUS_WEIGHT: Record<CautionStatus, number> = { present: 0, denied: 1, other: 2, 'not-mentioned': 3 };

export function cautionMentions(data: PanelData, located: LocatedFinding[]): CautionMention[] {
  const cautions = data.entries.filter((e) => e.contraindication);
  return cautions
    .map((entry) => {
      const mentions = located
        .filter((l) => l.finding.concept === entry.id || entry.raisedBy?.includes(l.finding.concept))
        .sort((a, b) => STATUS_WEIGHT[statusOf(a.finding, entry)] - STATUS_WEIGHT[statusOf(b.finding, entry)]);
      const status: CautionStatus = mentions[0] ? statusOf(mentions[0].finding, entry) : 'not-mentioned';
      return { entry, status, mentions };
    })
    .sort((a, b) => STATUS_WEIGHT[a.status] - STATUS_WEIGHT[b.status]);
}

/** "Cohen SP et al. 2018": the short form shown beside each item. */
export function shortCite(s: Source | undefined, id: string): string {
  if (!s) return id;
  const first = s.authors.split(/,\s*/)[0]!;
  const many = s.authors.includes(',');
  return `${first}${many ? ' et al.' : ''} ${s.year}`;
}

export function fullCite(s: Source | undefined, id: string): string {
  if (!s) return id;
  const ids = [s.doi ? `doi:${s.doi}` : '', s.pmid ? `PMID ${s.pmid}` : '', s.url ?? ''].filter(Boolean).join(' · ');
  return `${s.authors}. ${s.title}. ${s.venue}. ${s.year}.${ids ? ` ${ids}` : ''}`;
}

const STATUS_TEXT: Record<CautionStatus, string> = {
  present: 'MENTIONED AS PRESENT',
  denied: 'documented as denied',
  other: 'mentioned, not as present',
  'not-mentioned': 'not mentioned on this page',
};

/** The checklist as plain text for a note: items by phase, each with its sources, then the references. */
export function checklistText(data: PanelData, role: Role, cautions: CautionMention[]): string {
  const sources = new Map(data.sources.map((s) => [s.id, s]));
  const items = checklistItems(data);
  const used: string[] = [];
  const ref = (id: string) => {
    if (!used.includes(id)) used.push(id);
    return `[${used.indexOf(id) + 1}]`;
  };
  const lines = ['Ketamine supervision checklist (Chartlight, decision support, not a diagnosis)', ''];
  const flagged = cautions.filter((c) => c.status !== 'not-mentioned');
  if (flagged.length) {
    lines.push('Contraindications and cautions on this page:');
    for (const c of flagged) {
      const quote = c.mentions[0]?.finding.sentence;
      lines.push(
        `- ${c.entry.title}: ${STATUS_TEXT[c.status]}${quote ? ` ("${quote}")` : ''} ${c.entry.citations.map(ref).join('')}`,
      );
    }
    lines.push('');
  }
  for (const phase of PHASE_ORDER[role]) {
    const list = items.filter((i) => i.phase === phase);
    if (!list.length) continue;
    lines.push(PHASES.find((p) => p.id === phase)!.label);
    for (const i of list) lines.push(`[ ] ${i.text} ${i.cite.map(ref).join('')}`);
    lines.push('');
  }
  lines.push('References:');
  used.forEach((id, n) => lines.push(`${n + 1}. ${fullCite(sources.get(id), id)}`));
  return lines.join('\n');
}
