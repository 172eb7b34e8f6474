/**
 * Build-time compile of knowledge/ into (1) the compact lexicon the content script uses and
 * (2) the panel's data with a prebuilt fuse.js index. Pure: the caller reads the files (the Vite
 * plugin at build time, the CLI in Node), so the same checks run everywhere.
 */
import Fuse from 'fuse.js';
import type {
  CompiledContextRules,
  CompiledLexicon,
  ContextFlag,
  ContextRule,
  LexiconConcept,
  LexiconForm,
  SectionRule,
} from '../engine/types';
import { prebuildEngine } from '../engine/analyze';
import { ASSERTION_PRECEDENCE } from '../engine/types';
import { KnowledgeError, isHighlightCategory, validateEntry, validateSources, type Entry } from './schema';
import { SEARCH_KEYS, type PanelData, type SearchDoc } from './panel-data';
import { searchTerms } from './search';

export interface KnowledgeFiles {
  /** path → parsed JSON of each knowledge/entries/*.json */
  entries: { file: string; json: unknown }[];
  sources: { file: string; json: unknown };
  contextRules: { file: string; json: unknown };
  sections: { file: string; json: unknown };
  /** The ICD-10-CM code list as TSV text (code, code_dotted, description, category). */
  icd10: { file: string; text: string };
}

export interface CompiledKnowledge {
  lexicon: CompiledLexicon;
  panel: PanelData;
}

export const CMS_SOURCE_ID = 'cms-icd10cm-fy2023';

export function compileKnowledge(files: KnowledgeFiles): CompiledKnowledge {
  const sources = validateSources(files.sources.json, files.sources.file);
  const sourceIds = new Set<string>();
  for (const s of sources) {
    if (sourceIds.has(s.id)) throw new KnowledgeError(files.sources.file, s.id, 'duplicate source id');
    sourceIds.add(s.id);
  }
  const entries: Entry[] = [];
  const fileOf = new Map<string, string>();
  for (const { file, json } of files.entries) {
    const e = validateEntry(json, file);
    if (fileOf.has(e.id)) throw new KnowledgeError(file, 'id', `duplicate id (also ${fileOf.get(e.id)})`);
    fileOf.set(e.id, file);
    entries.push(e);
  }
  entries.push(...codeEntries(files.icd10, entries, sourceIds));
  checkReferences(entries, fileOf, sourceIds, files.sources.file);
  const context = compileContext(files.contextRules, files.sections);
  const lexicon = compileLexicon(entries, fileOf, context);
  const version = entries.reduce((max, e) => (e.lastReviewed > max ? e.lastReviewed : max), '0000-00-00');
  const hash = fnv1a(JSON.stringify([entries, sources, context]));
  lexicon.version = version;
  lexicon.hash = hash;
  lexicon.prebuilt = prebuildEngine(lexicon);
  const docs: SearchDoc[] = entries.map(toSearchDoc);
  const index = Fuse.createIndex(SEARCH_KEYS as unknown as string[], docs).toJSON();
  return {
    lexicon,
    panel: { version, hash, entries, sources, docs, index },
  };
}

/** An entry as the searcher sees it; protocol packs build their documents the same way. */
export function toSearchDoc(e: Entry): SearchDoc {
  // Supervision items and the evidence note are what a nurse's question ("what to check before
  // the infusion") is about, so they are searchable with the cited statements.
  const detail = [
    ...e.detail.map((d) => d.text),
    ...(e.supervision ?? []).map((s) => `${s.phase}: ${s.text}`),
    ...(e.evidence.note ? [e.evidence.note] : []),
  ].join(' ');
  return {
    id: e.id,
    title: e.title,
    category: e.category,
    forms: e.surfaceForms.filter((f) => !f.stop).map((f) => f.text),
    codes: e.codes ?? [],
    summary: e.summary,
    terms: searchTerms(e.summary, detail),
    audience: e.audience,
  };
}

function checkReferences(entries: Entry[], fileOf: Map<string, string>, sourceIds: Set<string>, sourcesFile: string) {
  const ids = new Set(entries.map((e) => e.id));
  const used = new Set<string>();
  for (const e of entries) {
    const file = fileOf.get(e.id) ?? `(compiled) ${e.id}`;
    const check = (id: string, field: string) => {
      if (!sourceIds.has(id)) throw new KnowledgeError(file, field, `cites unknown source "${id}"`);
      used.add(id);
    };
    e.citations.forEach((c, i) => check(c, `citations[${i}]`));
    e.detail.forEach((d, i) => d.cite.forEach((c, k) => check(c, `detail[${i}].cite[${k}]`)));
    e.supervision?.forEach((s, i) => {
      s.cite.forEach((c, k) => check(c, `supervision[${i}].cite[${k}]`));
      s.checks?.forEach((c, k) => {
        if (!ids.has(c)) throw new KnowledgeError(file, `supervision[${i}].checks[${k}]`, `unknown entry "${c}"`);
      });
    });
    e.related.forEach((r, i) => {
      if (!ids.has(r)) throw new KnowledgeError(file, `related[${i}]`, `unknown entry "${r}"`);
    });
    e.raisedBy?.forEach((r, i) => {
      if (!ids.has(r)) throw new KnowledgeError(file, `raisedBy[${i}]`, `unknown entry "${r}"`);
    });
  }
  for (const id of sourceIds) {
    if (!used.has(id)) throw new KnowledgeError(sourcesFile, id, 'source is never cited');
  }
}

/** One entry per ICD-10-CM code of the list, linked to the entry whose `codes` name it. */
function codeEntries(icd: KnowledgeFiles['icd10'], entries: Entry[], sourceIds: Set<string>): Entry[] {
  const owner = new Map<string, string>();
  for (const e of entries) for (const c of e.codes ?? []) owner.set(c, e.id);
  const lines = icd.text.split(/\r?\n/).filter(Boolean);
  const header = lines.shift();
  if (header !== 'code\tcode_dotted\tdescription\tcategory') {
    throw new KnowledgeError(icd.file, 'header', 'expected columns code, code_dotted, description, category');
  }
  if (!sourceIds.has(CMS_SOURCE_ID))
    throw new KnowledgeError(icd.file, 'source', `sources must include "${CMS_SOURCE_ID}"`);
  const lastReviewed = entries.reduce((max, e) => (e.lastReviewed > max ? e.lastReviewed : max), '2026-01-01');
  return lines.map((line, i) => {
    const [code, dotted, description] = line.split('\t');
    if (!code || !dotted || !description || dotted.replace('.', '') !== code) {
      throw new KnowledgeError(icd.file, `line ${i + 2}`, 'malformed row');
    }
    const parent = owner.get(dotted);
    return {
      id: codeId(dotted),
      category: 'code' as const,
      title: `${dotted} ${description}`,
      summary: description.length < 140 ? description : description.slice(0, 136) + '…',
      detail: [{ text: `ICD-10-CM ${dotted}: ${description}.`, cite: [CMS_SOURCE_ID] }],
      indicator: 'info' as const,
      audience: ['neurologist', 'nurse', 'trainee'] as Entry['audience'],
      evidence: { level: 'not-applicable' as const },
      citations: [CMS_SOURCE_ID],
      surfaceForms: [
        { text: dotted, searchOnly: true },
        { text: code, searchOnly: true },
      ],
      related: parent ? [parent] : [],
      lastReviewed,
      codes: [dotted],
    } satisfies Entry;
  });
}

export function codeId(dotted: string): string {
  return 'icd10-' + dotted.toLowerCase().replace('.', '-');
}

const FLAGS = new Set<string>(ASSERTION_PRECEDENCE);
const RULE_KEYS = new Set(['literal', 'category', 'direction', 'pattern', 'maxScope', 'notInSection']);
const DIRECTIONS = new Set(['forward', 'backward', 'both', 'terminate', 'pseudo']);

function compileContext(
  rulesFile: KnowledgeFiles['contextRules'],
  sectionsFile: KnowledgeFiles['sections'],
): CompiledContextRules {
  const r = rulesFile.json as { rules?: unknown };
  if (!r || !Array.isArray(r.rules)) throw new KnowledgeError(rulesFile.file, 'rules', 'must be an array');
  const seen = new Set<string>();
  const rules = r.rules.map((raw, i): ContextRule => {
    const where = `rules[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new KnowledgeError(rulesFile.file, where, 'must be an object');
    const o = raw as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!RULE_KEYS.has(k)) throw new KnowledgeError(rulesFile.file, `${where}.${k}`, 'unknown field');
    if (typeof o.literal !== 'string' || !o.literal)
      throw new KnowledgeError(rulesFile.file, `${where}.literal`, 'must be a non-empty string');
    const cat = o.category;
    if (typeof cat !== 'string' || !(FLAGS.has(cat) || cat === 'terminate' || cat === 'pseudo')) {
      throw new KnowledgeError(rulesFile.file, `${where}.category`, 'must be a context flag, terminate or pseudo');
    }
    if (typeof o.direction !== 'string' || !DIRECTIONS.has(o.direction)) {
      throw new KnowledgeError(
        rulesFile.file,
        `${where}.direction`,
        'must be forward, backward, both, terminate or pseudo',
      );
    }
    const key = `${cat}|${o.direction}|${o.literal.toLowerCase()}`;
    if (seen.has(key)) throw new KnowledgeError(rulesFile.file, `${where}.literal`, `duplicate rule "${o.literal}"`);
    seen.add(key);
    const rule: ContextRule = {
      literal: o.literal,
      category: cat as ContextRule['category'],
      direction: o.direction as ContextRule['direction'],
    };
    if (o.pattern !== undefined) {
      if (typeof o.pattern !== 'string')
        throw new KnowledgeError(rulesFile.file, `${where}.pattern`, 'must be a string');
      try {
        new RegExp(o.pattern, 'iu');
      } catch {
        throw new KnowledgeError(rulesFile.file, `${where}.pattern`, 'is not a valid regular expression');
      }
      rule.pattern = o.pattern;
    }
    if (o.maxScope !== undefined) {
      if (typeof o.maxScope !== 'number' || !Number.isInteger(o.maxScope) || o.maxScope < 0) {
        throw new KnowledgeError(rulesFile.file, `${where}.maxScope`, 'must be a whole number ≥ 0');
      }
      rule.maxScope = o.maxScope;
    }
    if (o.notInSection !== undefined) {
      const list = o.notInSection;
      if (!Array.isArray(list) || list.length === 0 || !list.every((f) => typeof f === 'string' && FLAGS.has(f))) {
        throw new KnowledgeError(rulesFile.file, `${where}.notInSection`, 'must be a non-empty list of context flags');
      }
      rule.notInSection = list as ContextFlag[];
    }
    return rule;
  });
  const s = sectionsFile.json as { sections?: unknown };
  if (!s || !Array.isArray(s.sections)) throw new KnowledgeError(sectionsFile.file, 'sections', 'must be an array');
  const sections = s.sections.map((raw, i): SectionRule => {
    const o = raw as Record<string, unknown>;
    const where = `sections[${i}]`;
    if (typeof o?.literal !== 'string' || !o.literal)
      throw new KnowledgeError(sectionsFile.file, `${where}.literal`, 'must be a non-empty string');
    if (o.category !== null && !(typeof o.category === 'string' && FLAGS.has(o.category))) {
      throw new KnowledgeError(sectionsFile.file, `${where}.category`, 'must be a context flag or null');
    }
    if (o.lineOnly !== undefined && typeof o.lineOnly !== 'boolean')
      throw new KnowledgeError(sectionsFile.file, `${where}.lineOnly`, 'must be true or false');
    if (o.inlineEndsWithLine !== undefined && typeof o.inlineEndsWithLine !== 'boolean')
      throw new KnowledgeError(sectionsFile.file, `${where}.inlineEndsWithLine`, 'must be true or false');
    const section: SectionRule = { literal: o.literal, category: o.category as SectionRule['category'] };
    if (o.lineOnly === true) section.lineOnly = true;
    if (o.inlineEndsWithLine === true) section.inlineEndsWithLine = true;
    return section;
  });
  return { rules, sections };
}

/** Regular plural of the last word, so "migraine" also finds "migraines" ("HA" → "HAs"). */
export function pluralVariants(text: string): string[] {
  const m = /([A-Za-z]{2,})$/.exec(text);
  if (!m) return [];
  const word = m[1]!;
  const stem = text.slice(0, text.length - word.length);
  const lower = word.toLowerCase();
  const upper = word === word.toUpperCase();
  const s = upper && word.length <= 4 ? 's' : upper ? 'S' : 's';
  if (/(?:s|x|z|ch|sh)$/.test(lower)) return lower.endsWith('is') ? [] : [stem + word + (upper ? 'ES' : 'es')];
  if (/[^aeiou]y$/.test(lower)) return [stem + word.slice(0, -1) + (upper ? 'IES' : 'ies')];
  return [stem + word + s];
}

function compileLexicon(entries: Entry[], fileOf: Map<string, string>, context: CompiledContextRules): CompiledLexicon {
  const concepts: LexiconConcept[] = [];
  const forms: LexiconForm[] = [];
  const indexOf = new Map<string, number>();
  /** Who reads each form so far: one entry may read it everywhere, any others only beside their words. */
  const seenForms = new Map<string, { id: string; ungated: string | null }>();
  for (const e of entries) {
    if (!isHighlightCategory(e.category)) continue;
    const pageForms = e.surfaceForms.filter((f) => !f.searchOnly);
    if (pageForms.length === 0 && !e.codes?.length) continue;
    const idx = concepts.length;
    concepts.push({ id: e.id, category: e.category, title: e.title });
    indexOf.set(e.id, idx);
    for (const f of pageForms) {
      for (const text of [f.text, ...pluralVariants(f.text)]) {
        const key = f.caseSensitive ? `=${text.replace(/[\s-]+/g, ' ')}` : text.toLowerCase().replace(/[\s-]+/g, ' ');
        const other = seenForms.get(key);
        // Entries may share a form where each counts it beside its own words ("diplopia" beside an
        // aura, or beside ketamine), and one of them may also count it everywhere else ("pregnant"
        // is a ketamine caution, and beside a headache a red flag): the matcher takes the one whose
        // words stand nearest, and the one without words only where no other's are near.
        const clash = other && other.id !== e.id && !f.requires && other.ungated !== null && other.ungated !== e.id;
        if (clash) {
          if (text !== f.text) continue; // a generated plural that is also a real form elsewhere
          throw new KnowledgeError(
            fileOf.get(e.id) ?? e.id,
            'surfaceForms',
            `"${f.text}" is also a surface form of "${other.ungated}" (entries may share a form only where all but one give it a requires pattern)`,
          );
        }
        if (!other) seenForms.set(key, { id: e.id, ungated: f.requires ? null : e.id });
        else if (!f.requires) other.ungated = e.id;
        const form: LexiconForm = { text, concept: idx };
        if (f.stop) form.stop = true;
        if (f.absent) form.absent = true;
        if (f.caseSensitive) form.caseSensitive = true;
        if (f.requires) form.requires = f.requires;
        forms.push(form);
      }
    }
  }
  // ICD-10-CM codes: each billable code is its own concept (its own description on hover); the
  // headings ("G43.9-") map to the entry that owns every code under them.
  const codes: Record<string, number> = {};
  const owners = new Map<string, Set<string>>();
  for (const e of entries) {
    if (e.category !== 'code' || !e.codes?.[0]) continue;
    const dotted = e.codes[0];
    const plain = dotted.replace('.', '');
    const idx = concepts.length;
    concepts.push({ id: e.id, category: 'diagnosis', title: e.title });
    codes[plain] = idx;
    const owner = e.related[0];
    for (let len = 3; len < plain.length; len++) {
      const prefix = plain.slice(0, len);
      let set = owners.get(prefix);
      if (!set) owners.set(prefix, (set = new Set()));
      set.add(owner ?? '');
    }
  }
  for (const [prefix, set] of owners) {
    if (codes[prefix] !== undefined || set.size !== 1) continue;
    const [owner] = [...set];
    const idx = owner ? indexOf.get(owner) : undefined;
    if (idx !== undefined) codes[prefix] = idx;
  }
  return { version: '', hash: '', concepts, forms, codes, context };
}

/** FNV-1a, 32-bit: a short content hash shown in the panel so a reviewer can tell versions apart. */
export function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
