/**
 * The knowledge-entry schema: one JSON file per entry in knowledge/entries/, file name = id.
 * Validation is strict (unknown keys are errors) and every message names the file and the field,
 * because a clinician-facing fact with a typo in its citation must fail the build, not ship.
 */
import { HIGHLIGHT_CATEGORIES, type HighlightCategory } from '../engine/types';

/** Knowledge categories: the highlight categories plus entries that only the panel shows. */
export const ENTRY_CATEGORIES = [
  ...HIGHLIGHT_CATEGORIES,
  'phase',
  'criteria',
  'code',
  'supervision',
  'claim',
  'abbreviation',
] as const;
export type EntryCategory = (typeof ENTRY_CATEGORIES)[number];

export const INDICATORS = ['info', 'warning', 'critical'] as const;
export type Indicator = (typeof INDICATORS)[number];

export const AUDIENCES = ['neurologist', 'nurse', 'trainee'] as const;
export type Audience = (typeof AUDIENCES)[number];

/**
 * Evidence levels, shown as a badge. `negative` and `weak` exist so that the panel can say plainly
 * when a claim meets trials that found no effect (architecture.md, "Rules for clinical content").
 */
export const EVIDENCE_LEVELS = [
  'established',
  'guideline',
  'consensus',
  'regulatory',
  'moderate',
  'mixed',
  'weak',
  'negative',
  'not-applicable',
] as const;
export type EvidenceLevel = (typeof EVIDENCE_LEVELS)[number];

export const SUPERVISION_PHASES = ['before', 'during', 'after', 'repeated', 'handling'] as const;
export type SupervisionPhase = (typeof SUPERVISION_PHASES)[number];

export interface SurfaceForm {
  /** As clinicians write it. Matching ignores case unless caseSensitive is true. */
  text: string;
  /** For abbreviations whose lower-case form is a common word ("HA", "CM", "EM"). */
  caseSensitive?: boolean;
  /**
   * A regular expression (case-insensitive) the surrounding sentence must match for this form to
   * count, for abbreviations that need context ("CM" only with headache words).
   */
  requires?: string;
  /** Not matched on pages (still found by search): lay words too common to highlight. */
  searchOnly?: boolean;
  /**
   * Words that hold the entry's name without speaking of it ("headache clinic", "migraine
   * diary"): found on pages so that the shorter form inside them is not, and never marked or
   * searched themselves.
   */
  stop?: boolean;
  /**
   * Words that say the entry's concept is absent ("afebrile", "neck supple"): marked on the page as
   * the concept denied, with these words as the cue.
   */
  absent?: boolean;
}

/** One statement shown to clinicians, with the sources that support it. */
export interface Fact {
  text: string;
  cite: string[];
}

export interface SupervisionItem {
  phase: SupervisionPhase;
  text: string;
  cite: string[];
  /** Entry ids of contraindications/cautions this item checks, to raise page mentions. */
  checks?: string[];
}

export interface Entry {
  id: string;
  category: EntryCategory;
  title: string;
  /** Under 140 characters (CDS Hooks card summary). */
  summary: string;
  /** Cited statements; every one has at least one citation. */
  detail: Fact[];
  indicator: Indicator;
  audience: Audience[];
  evidence: { level: EvidenceLevel; note?: string };
  /** Ids into knowledge/sources.json backing the summary. */
  citations: string[];
  surfaceForms: SurfaceForm[];
  related: string[];
  lastReviewed: string;
  /** ICD-10-CM codes (dotted) that this entry stands for; the code list links them back. */
  codes?: string[];
  /** Ketamine supervision checklist items (category 'supervision'). */
  supervision?: SupervisionItem[];
  /** For contraindication/caution entries: raised as a warning when the page affirms them. */
  contraindication?: 'absolute' | 'relative' | 'caution';
  /**
   * For a contraindication that is a passing state (pregnancy, breastfeeding): a past mention
   * ("worse after her pregnancy") does not raise it, where a past psychosis or a history of
   * hypertension does.
   */
  currentOnly?: boolean;
  /**
   * For a contraindication: other entries whose page mentions raise it too. A form two entries
   * share is read as one of them ("pregnant" beside a headache is the pregnancy red flag), and the
   * caution must not be lost when the page's words put it under the other.
   */
  raisedBy?: string[];
}

export interface Source {
  id: string;
  authors: string;
  title: string;
  venue: string;
  year: number;
  doi?: string;
  pmid?: string;
  url?: string;
  /** Reference tier from the fact sheet: A primary, B abstract, C secondary, D low quality. */
  tier: 'A' | 'B' | 'C' | 'D';
  note?: string;
}

export class KnowledgeError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field}: ${message}`);
    this.name = 'KnowledgeError';
  }
}

const ENTRY_KEYS = new Set([
  'id',
  'category',
  'title',
  'summary',
  'detail',
  'indicator',
  'audience',
  'evidence',
  'citations',
  'surfaceForms',
  'related',
  'lastReviewed',
  'codes',
  'supervision',
  'contraindication',
  'currentOnly',
  'raisedBy',
]);
const OPTIONAL_ENTRY_KEYS = new Set(['codes', 'supervision', 'contraindication', 'currentOnly', 'raisedBy']);
const FORM_KEYS = new Set(['text', 'caseSensitive', 'requires', 'searchOnly', 'stop', 'absent']);
const SOURCE_KEYS = new Set(['id', 'authors', 'title', 'venue', 'year', 'doi', 'pmid', 'url', 'tier', 'note']);
export const SUMMARY_MAX = 140;
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^G4[34](?:\.[0-9A-Z]{1,3})?$/;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(o: Obj, allowed: Set<string>, file: string, where: string) {
  for (const k of Object.keys(o)) {
    if (!allowed.has(k)) throw new KnowledgeError(file, where ? `${where}.${k}` : k, 'unknown field');
  }
}

function str(o: Obj, key: string, file: string, where = key): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') throw new KnowledgeError(file, where, 'must be a non-empty string');
  return v;
}

function strArray(o: Obj, key: string, file: string, where = key): string[] {
  const v = o[key];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === '')) {
    throw new KnowledgeError(file, where, 'must be an array of non-empty strings');
  }
  return v as string[];
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], file: string, where: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new KnowledgeError(file, where, `must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

function regex(v: unknown, file: string, where: string): string {
  if (typeof v !== 'string' || v === '') throw new KnowledgeError(file, where, 'must be a non-empty string');
  try {
    new RegExp(v, 'iu');
  } catch (e) {
    throw new KnowledgeError(file, where, `is not a valid regular expression (${(e as Error).message})`);
  }
  return v;
}

function cites(v: unknown, file: string, where: string): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || !ID.test(x))) {
    throw new KnowledgeError(file, where, 'must be a non-empty array of source ids');
  }
  return v as string[];
}

/** Validates one parsed entry file. `file` is the path shown in errors. */
export function validateEntry(raw: unknown, file: string): Entry {
  if (!isObj(raw)) throw new KnowledgeError(file, '(root)', 'must be a JSON object');
  checkKeys(raw, ENTRY_KEYS, file, '');
  for (const k of ENTRY_KEYS) {
    if (!OPTIONAL_ENTRY_KEYS.has(k) && !(k in raw)) throw new KnowledgeError(file, k, 'is required');
  }
  const id = str(raw, 'id', file);
  if (!ID.test(id)) throw new KnowledgeError(file, 'id', 'must be lower-case words joined by hyphens');
  const expected = file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
  if (expected !== id) throw new KnowledgeError(file, 'id', `must equal the file name ("${expected}")`);
  const category = oneOf(raw.category, ENTRY_CATEGORIES, file, 'category');
  const title = str(raw, 'title', file);
  const summary = str(raw, 'summary', file);
  if (summary.length >= SUMMARY_MAX) {
    throw new KnowledgeError(file, 'summary', `must be under ${SUMMARY_MAX} characters (has ${summary.length})`);
  }
  if (!Array.isArray(raw.detail)) throw new KnowledgeError(file, 'detail', 'must be an array of facts');
  const detail = raw.detail.map((f, i): Fact => {
    const where = `detail[${i}]`;
    if (!isObj(f)) throw new KnowledgeError(file, where, 'must be an object {text, cite}');
    checkKeys(f, new Set(['text', 'cite']), file, where);
    return { text: str(f, 'text', file, `${where}.text`), cite: cites(f.cite, file, `${where}.cite`) };
  });
  const indicator = oneOf(raw.indicator, INDICATORS, file, 'indicator');
  if (!Array.isArray(raw.audience) || raw.audience.length === 0) {
    throw new KnowledgeError(file, 'audience', 'must be a non-empty array');
  }
  const audience = raw.audience.map((a, i) => oneOf(a, AUDIENCES, file, `audience[${i}]`));
  if (!isObj(raw.evidence)) throw new KnowledgeError(file, 'evidence', 'must be an object {level, note?}');
  checkKeys(raw.evidence, new Set(['level', 'note']), file, 'evidence');
  const evidence: Entry['evidence'] = { level: oneOf(raw.evidence.level, EVIDENCE_LEVELS, file, 'evidence.level') };
  if ('note' in raw.evidence) evidence.note = str(raw.evidence, 'note', file, 'evidence.note');
  const citations = cites(raw.citations, file, 'citations');
  if (!Array.isArray(raw.surfaceForms)) throw new KnowledgeError(file, 'surfaceForms', 'must be an array');
  const surfaceForms = raw.surfaceForms.map((f, i): SurfaceForm => {
    const where = `surfaceForms[${i}]`;
    if (!isObj(f)) throw new KnowledgeError(file, where, 'must be an object {text, caseSensitive?, requires?}');
    checkKeys(f, FORM_KEYS, file, where);
    const form: SurfaceForm = { text: str(f, 'text', file, `${where}.text`) };
    if ('caseSensitive' in f) {
      if (typeof f.caseSensitive !== 'boolean')
        throw new KnowledgeError(file, `${where}.caseSensitive`, 'must be true or false');
      form.caseSensitive = f.caseSensitive;
    }
    if ('searchOnly' in f) {
      if (typeof f.searchOnly !== 'boolean')
        throw new KnowledgeError(file, `${where}.searchOnly`, 'must be true or false');
      form.searchOnly = f.searchOnly;
    }
    if ('stop' in f) {
      if (typeof f.stop !== 'boolean') throw new KnowledgeError(file, `${where}.stop`, 'must be true or false');
      if (f.stop && (form.searchOnly || 'requires' in f))
        throw new KnowledgeError(file, `${where}.stop`, 'a stop form is neither searchOnly nor gated by requires');
      form.stop = f.stop;
    }
    if ('absent' in f) {
      if (typeof f.absent !== 'boolean') throw new KnowledgeError(file, `${where}.absent`, 'must be true or false');
      if (f.absent && form.stop) throw new KnowledgeError(file, `${where}.absent`, 'a stop form is no mention');
      form.absent = f.absent;
    }
    if ('requires' in f) form.requires = regex(f.requires, file, `${where}.requires`);
    return form;
  });
  const related = strArray(raw, 'related', file);
  const lastReviewed = str(raw, 'lastReviewed', file);
  if (!DATE.test(lastReviewed) || Number.isNaN(Date.parse(lastReviewed))) {
    throw new KnowledgeError(file, 'lastReviewed', 'must be a date YYYY-MM-DD');
  }
  const entry: Entry = {
    id,
    category,
    title,
    summary,
    detail,
    indicator,
    audience,
    evidence,
    citations,
    surfaceForms,
    related,
    lastReviewed,
  };
  if ('codes' in raw) {
    entry.codes = strArray(raw, 'codes', file);
    entry.codes.forEach((c, i) => {
      if (!CODE.test(c)) throw new KnowledgeError(file, `codes[${i}]`, 'must be a dotted ICD-10-CM G43/G44 code');
    });
  }
  if ('supervision' in raw) {
    if (!Array.isArray(raw.supervision)) throw new KnowledgeError(file, 'supervision', 'must be an array');
    entry.supervision = raw.supervision.map((s, i): SupervisionItem => {
      const where = `supervision[${i}]`;
      if (!isObj(s)) throw new KnowledgeError(file, where, 'must be an object {phase, text, cite, checks?}');
      checkKeys(s, new Set(['phase', 'text', 'cite', 'checks']), file, where);
      const item: SupervisionItem = {
        phase: oneOf(s.phase, SUPERVISION_PHASES, file, `${where}.phase`),
        text: str(s, 'text', file, `${where}.text`),
        cite: cites(s.cite, file, `${where}.cite`),
      };
      if ('checks' in s) item.checks = strArray(s, 'checks', file, `${where}.checks`);
      return item;
    });
  }
  if ('contraindication' in raw) {
    entry.contraindication = oneOf(
      raw.contraindication,
      ['absolute', 'relative', 'caution'] as const,
      file,
      'contraindication',
    );
  }
  if ('currentOnly' in raw) {
    if (raw.currentOnly !== true) throw new KnowledgeError(file, 'currentOnly', 'must be true when present');
    if (!entry.contraindication) throw new KnowledgeError(file, 'currentOnly', 'applies to contraindications only');
    entry.currentOnly = true;
  }
  if ('raisedBy' in raw) {
    const list = raw.raisedBy;
    if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string' && x))
      throw new KnowledgeError(file, 'raisedBy', 'must be a non-empty list of entry ids');
    if (!entry.contraindication) throw new KnowledgeError(file, 'raisedBy', 'applies to contraindications only');
    entry.raisedBy = list as string[];
  }
  return entry;
}

export function validateSources(raw: unknown, file: string): Source[] {
  if (!Array.isArray(raw)) throw new KnowledgeError(file, '(root)', 'must be a JSON array of sources');
  return raw.map((s, i): Source => {
    const where = `[${i}]`;
    if (!isObj(s)) throw new KnowledgeError(file, where, 'must be an object');
    checkKeys(s, SOURCE_KEYS, file, where);
    const src: Source = {
      id: str(s, 'id', file, `${where}.id`),
      authors: str(s, 'authors', file, `${where}.authors`),
      title: str(s, 'title', file, `${where}.title`),
      venue: str(s, 'venue', file, `${where}.venue`),
      year: typeof s.year === 'number' && Number.isInteger(s.year) ? s.year : badYear(file, where),
      tier: oneOf(s.tier, ['A', 'B', 'C', 'D'] as const, file, `${where}.tier`),
    };
    if (!ID.test(src.id)) throw new KnowledgeError(file, `${where}.id`, 'must be lower-case words joined by hyphens');
    for (const k of ['doi', 'pmid', 'url', 'note'] as const) {
      if (k in s) src[k] = str(s, k, file, `${where}.${k}`);
    }
    if (!src.doi && !src.pmid && !src.url) {
      throw new KnowledgeError(file, where, 'needs at least one of doi, pmid or url');
    }
    return src;
  });
}

function badYear(file: string, where: string): never {
  throw new KnowledgeError(file, `${where}.year`, 'must be a whole number');
}

export function isHighlightCategory(c: EntryCategory): c is HighlightCategory {
  return (HIGHLIGHT_CATEGORIES as readonly string[]).includes(c);
}
