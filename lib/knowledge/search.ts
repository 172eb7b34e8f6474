/**
 * The knowledge-base search of the side panel and the CLI (`npm run search`). Clinicians type
 * the way they chart: misspelt ("fotophobia"), abbreviated ("MOH", "N/V", "w/ aura"), in lay words
 * ("light sensitivity"), as a question ("can patient drive after ketamine") or as a code
 * ("G43909"). A query is scored in four ways and the scores are added:
 *
 * 1. exact: the whole query equals an entry's id, title, surface form or ICD-10 code (ignoring
 *    case, spaces and punctuation), or its content words equal a name's words; these come first.
 * 2. words: each content word (stop words dropped, chart shorthand spelt out) is matched against
 *    the knowledge base's vocabulary: exactly, as another inflection, as a prefix (typing in
 *    progress), by sound ("ph"/"f", "ae"/"e") or within a small edit distance (typos), and
 *    through a small thesaurus of clinical equivalents ("BP" → "blood pressure"). A word counts
 *    by its rarity (IDF), the quality of the match and the field that holds it.
 * 3. names: how much of a title or surface form the query covers and how much of the query it
 *    accounts for; and whether adjacent query words stand adjacent in a name or summary.
 * 4. fuse: fuse.js's score over titles and forms, from the index prebuilt at build time
 *    (compile.ts), as a rescue for a word the vocabulary does not know.
 *
 * The term index is derived once per searcher from the panel data, never per query; the words a
 * user types are memoised, so each keystroke re-scores only what changed.
 */
import Fuse, { type IFuseOptions } from 'fuse.js';
import type { EntryCategory, Audience } from './schema';
import { SEARCH_KEYS, type PanelData, type SearchDoc } from './panel-data';

export interface SearchFilters {
  category?: EntryCategory | null;
  audience?: Audience | null;
}

/** Which part of an entry a hit was found through. */
export type MatchField = 'title' | 'form' | 'code' | 'id' | 'summary' | 'detail' | 'fuzzy';

export interface SearchHit {
  id: string;
  title: string;
  category: EntryCategory;
  /** Relevance, higher is better; 1 or more means the query named this entry exactly. */
  score: number;
  /** Character ranges [start, end) of the title that matched, for marking. */
  titleMatches: [number, number][];
  /** Where the strongest match was. */
  field: MatchField;
  /**
   * When the title itself did not match but a surface form or code did ("light sensitivity" for
   * Photophobia): that text and its matched ranges, so the panel can say why the entry came up.
   */
  via?: { text: string; ranges: [number, number][] };
  /** Only with SearcherOptions.explain. */
  explain?: Explanation;
}

export interface Searcher {
  search(query: string, filters?: SearchFilters, limit?: number): SearchHit[];
}

export interface SearcherOptions {
  /** Add each hit's score components (`explain`), for tuning and the measurement script. */
  explain?: boolean;
}

/** A hit's score components: exact, words, names, phrase and fuse (see the file comment). */
export interface Explanation {
  exact: number;
  words: number;
  name: number;
  phrase: number;
  fuse: number;
}

/** Longer input is cut: no clinician's question needs more, and it bounds the time per query. */
export const MAX_QUERY_CHARS = 200;
/** Content words scored per query; the rest of a pasted paragraph is ignored. */
const MAX_QUERY_WORDS = 12;
/** Fuse's bitap cost grows with the pattern; a word and its neighbours fit in 20 characters. */
const MAX_FUSE_CHARS = 20;
/** Below this many letters fuse matches almost anything ("ha" is inside "pharmacy"). */
const MIN_FUSE_CHARS = 4;
/** Per-searcher memo of word → vocabulary matches; typing re-sends the same words. */
const WORD_CACHE_SIZE = 2000;

const FUSE_OPTIONS: IFuseOptions<SearchDoc> = {
  keys: SEARCH_KEYS as unknown as IFuseOptions<SearchDoc>['keys'],
  includeScore: true,
  ignoreLocation: true,
  threshold: 0.34,
  minMatchCharLength: 2,
};

/** Field weights for a word match: names count most, the long detail text least. */
const FIELD_WEIGHT: Record<Exclude<MatchField, 'fuzzy'>, number> = {
  title: 1,
  form: 0.95,
  code: 0.95,
  id: 0.8,
  summary: 0.55,
  detail: 0.25,
};

/** How the four scores combine (see the file comment); exact matches add up to 1. */
const W_WORDS = 0.6;
const W_NAME = 0.25;
const W_PHRASE = 0.1;
const W_FUSE = 0.12;
/**
 * A code entry's title repeats the concept words ("Migraine, unspecified, …") of the entry that
 * owns it; for a word query the concept entry should lead, for a code query the code entry.
 */
const CODE_ENTRY_DAMPING = 0.8;
/** Hits scoring under this share of the best one are noise, not alternatives. */
const RELATIVE_CUTOFF = 0.2;

/**
 * Words that carry no meaning for this knowledge base. Words that do — negations (not, no,
 * without), phases (before, during, after) and comparisons (over, under) — are kept.
 */
const STOP_WORDS = new Set(
  (
    'a an the and or of for to in on at by as is are was were be been being it its this that these those ' +
    'what whats which who whom whose why how when where do does did done can could should would will shall ' +
    'may might must i me my we our us you your he she his her they their them pt pts patient patients ' +
    'about there any some vs versus than then if so get gets give given tell mean means meaning define ' +
    'definition please doing have has had s'
  ).split(' '),
);

/**
 * Words clinicians use for the same thing: chart abbreviations, lay words, British and American
 * terms and brand names, each group a set of equivalents. A query word in a group also looks for
 * the group's other phrases (at EXPANSION_QUALITY), so "BP" finds "blood pressure" in an entry's
 * text and "side effects" finds "adverse effects". Entry-specific wording belongs in the entries'
 * surface forms instead; this list is for words that occur across many entries' texts.
 */
const THESAURUS: string[][] = [
  // Chart abbreviations.
  ['ha', 'headache'],
  ['bp', 'blood pressure'],
  ['hr', 'heart rate', 'pulse'],
  ['rr', 'respiratory rate', 'breathing'],
  ['pulse ox', 'pulse oximetry', 'spo2', 'sats', 'oxygen saturation', 'o2 sat'],
  ['ecg', 'ekg', 'electrocardiogram'],
  ['lft', 'lfts', 'liver function tests', 'liver tests', 'liver enzymes'],
  ['labs', 'blood tests', 'bloodwork', 'laboratory'],
  ['iv', 'intravenous'],
  ['im', 'intramuscular'],
  ['po', 'oral', 'by mouth'],
  ['ed', 'er', 'emergency department', 'emergency room'],
  ['ct', 'computed tomography'],
  ['mri', 'magnetic resonance'],
  ['lp', 'lumbar puncture', 'spinal tap'],
  ['htn', 'hypertension', 'high blood pressure'],
  ['cvd', 'cardiovascular disease', 'heart disease'],
  ['hx', 'history'],
  ['fhx', 'fh', 'family history'],
  ['sx', 'symptom'],
  ['tx', 'treatment', 'therapy', 'management'],
  ['dx', 'diagnosis'],
  ['ddx', 'differential diagnosis'],
  ['ae', 'adverse effect', 'side effect', 'adverse event'],
  ['loc', 'loss of consciousness'],
  ['icp', 'intracranial pressure'],
  ['iop', 'intraocular pressure'],
  ['otc', 'over the counter'],
  ['nsaid', 'anti inflammatory'],
  // Lay, Latin and clinical words for the same thing.
  ['liver', 'hepatic'],
  ['kidney', 'renal'],
  ['bladder', 'urinary', 'urine'],
  ['heart', 'cardiac', 'cardiovascular'],
  ['nasal', 'intranasal'],
  ['breastfeeding', 'lactation', 'lactating'],
  ['throwing up', 'throw up', 'puking', 'vomiting'],
  ['sick to stomach', 'queasy', 'nausea'],
  ['dizzy', 'dizziness', 'vertigo'],
  ['double vision', 'diplopia'],
  ['blurry vision', 'blurred vision'],
  ['tingling', 'paresthesia'],
  ['seizure', 'convulsion'],
  ['bleed', 'bleeding', 'haemorrhage'],
  ['stroke', 'cerebral infarction'],
  ['sleepy', 'drowsy', 'drowsiness', 'sedation', 'somnolence'],
  ['trip', 'tripping', 'dissociation'],
  ['addiction', 'addicted', 'dependence', 'misuse', 'abuse'],
  ['lying down', 'lying flat', 'standing up', 'upright', 'positional', 'postural', 'orthostatic'],
  ['child', 'children', 'kids', 'pediatric', 'paediatric', 'adolescent'],
  ['elderly', 'older', 'older age'],
  ['women', 'woman', 'female'],
  ['period', 'menses', 'menstruation', 'menstrual'],
  ['hormone', 'hormonal', 'estrogen'],
  ['prevention', 'preventive', 'preventative', 'prophylaxis'],
  ['acute', 'abortive', 'rescue'],
  ['stop', 'stopping', 'withdrawal', 'discontinue'],
  // The words of questions and the words the entries answer them with.
  ['approved', 'approval', 'labelled', 'labeled', 'indication', 'off label'],
  ['safe', 'safety', 'contraindication', 'caution', 'precaution', 'warning'],
  ['effective', 'effectiveness', 'efficacy', 'evidence'],
  ['observe', 'observation', 'monitor', 'watch'],
  ['check', 'screen', 'screening'],
  ['image', 'imaging', 'scan', 'neuroimaging'],
  ['pre', 'before', 'prior to', 'baseline'],
  ['post', 'after'],
  // Brand and generic names.
  ['tylenol', 'acetaminophen', 'paracetamol'],
  ['advil', 'motrin', 'ibuprofen'],
  ['aleve', 'naproxen'],
  ['toradol', 'ketorolac'],
  ['zofran', 'ondansetron'],
  ['benadryl', 'diphenhydramine'],
  ['topamax', 'topiramate'],
  ['depakote', 'valproate'],
];
/** The weight of a query word that matches nothing (a typical word's IDF here is 1–5). */
const UNMATCHED_WORD_WEIGHT = 1;
/** Two query words that together spell a vocabulary word ("post drome"). */
const JOINED_QUALITY = 0.9;
/** A thesaurus word stands in for the query's word, a little below the word itself. */
const EXPANSION_QUALITY = 0.85;

// ---------------------------------------------------------------------------------------------
// Text normalisation

/** Lower case without diacritics ("Ménière" → "meniere"); keeps string length for ASCII input. */
export function fold(text: string): string {
  // Most text is ASCII; skipping Unicode normalisation for it halves the cost of indexing.
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

const ASCII = /^[\x00-\x7f]*$/;

/** Letters and digits only: "N/V" → "nv", "G43.909" → "g43909", "Migraine with aura" → "migrainewithaura". */
export function compact(text: string): string {
  return fold(text).replace(/[^a-z0-9]/g, '');
}

const CODE_TOKEN = /^g4[34](?:\.?[0-9a-z]{1,3})?$/;

/**
 * A light English stemmer: plural, -ing, -ed, -ly, -ion after s/t, and a final e, so that
 * "driving"/"drive", "monitoring"/"monitored", "migraines"/"migraine", "infusion"/"infused" meet.
 * Deliberately weaker than Porter: clinical words are long and Latinate, and over-stemming merges
 * terms a clinician keeps apart.
 */
export function stem(word: string): string {
  let w = stemmed.get(word);
  if (w === undefined) {
    if (stemmed.size >= STEM_MEMO_SIZE) stemmed.clear();
    stemmed.set(word, (w = stemUncached(word)));
  }
  return w;
}

/** Entry texts repeat a few thousand distinct words; stemming each once keeps indexing fast. */
const STEM_MEMO_SIZE = 50000;
const stemmed = new Map<string, string>();

function stemUncached(word: string): string {
  if (word.length <= 3 || /[0-9]/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed') && !w.endsWith('eed')) w = w.slice(0, -2);
  else if (w.length > 5 && w.endsWith('ly')) w = w.slice(0, -2);
  else if (w.length > 5 && /[st]ion$/.test(w)) w = w.slice(0, -3);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/**
 * A spelling key for typo matching: "ph" sounds as "f", British "ae"/"oe" as "e", "y" inside a
 * word as "i", doubled letters once ("fotophobia", "haemorrhage"/"hemorage", "allodinia").
 */
export function soundKey(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let c = s[i]!;
    const next = s[i + 1];
    if (c === 'p' && next === 'h') {
      c = 'f';
      i++;
    } else if ((c === 'a' || c === 'o') && next === 'e') {
      c = 'e';
      i++;
    } else if (c === 'y' && i > 0) {
      c = 'i';
    }
    if (out[out.length - 1] !== c) out += c;
  }
  return out;
}

interface Token {
  /** The folded word as typed (codes without their dot). */
  word: string;
  stem: string;
  start: number;
  end: number;
  code: boolean;
  /** The query's last word, possibly still being typed. */
  last?: boolean;
}

/**
 * Words of a text with their offsets in it. A dotted or undotted ICD-10 code stays one token
 * ("g43.909" → "g43909"); other dots and all punctuation split words. Offsets index the original
 * text as long as folding kept its length (true for the ASCII text of titles and forms).
 */
export function tokenize(text: string): Token[] {
  const folded = fold(text);
  const tokens: Token[] = [];
  const re = /[a-z0-9]+(?:\.[a-z0-9]+)*/g;
  for (let m = re.exec(folded); m; m = re.exec(folded)) {
    const raw = m[0];
    if (CODE_TOKEN.test(raw)) {
      const word = raw.replace('.', '');
      tokens.push({ word, stem: word, start: m.index, end: m.index + raw.length, code: true });
      continue;
    }
    let offset = m.index;
    for (const part of raw.split('.')) {
      tokens.push({ word: part, stem: stem(part), start: offset, end: offset + part.length, code: false });
      offset += part.length + 1;
    }
  }
  return tokens;
}

/** The words of a long text (folded, codes joined), without offsets: indexing needs no more. */
function wordsOf(text: string): string[] {
  const words: string[] = [];
  for (const raw of fold(text).split(/[^a-z0-9.]+/)) {
    if (!raw) continue;
    if (raw.includes('.')) {
      if (CODE_TOKEN.test(raw)) words.push(raw.replace('.', ''));
      else for (const part of raw.split('.')) if (part) words.push(part);
    } else words.push(raw);
  }
  return words;
}

/** Tokens that carry meaning: no stop words, no single letters ("r/o", "s"); digits stay. */
/**
 * The searchable terms of an entry's summary and detail text, computed once at build time
 * (compile.ts puts them into SearchDoc.terms) so that opening the panel does not re-read every
 * paragraph: "summary stems in order | summary phrase keys | detail stems and phrase keys", each
 * part space-separated, detail terms once each. Stop words and single letters are left out.
 */
export function searchTerms(summary: string, detail: string): string {
  const stemsOf = (text: string) =>
    wordsOf(text)
      .filter((w) => !STOP_WORDS.has(w) && (w.length > 1 || /[0-9]/.test(w)))
      .map(stem);
  const summaryStems = stemsOf(summary);
  const detailStems = stemsOf(detail);
  const detailTerms = new Set([...detailStems, ...phrasesIn(detailStems)]);
  return [summaryStems.join(' '), phrasesIn(summaryStems).join(' '), [...detailTerms].join(' ')].join('|');
}

function words(part: string): string[] {
  return part ? part.split(' ') : [];
}

function contentTokens(tokens: Token[]): Token[] {
  const content = tokens.filter((t) => !STOP_WORDS.has(t.word) && (t.word.length > 1 || /[0-9]/.test(t.word)));
  return content.length ? content : tokens;
}

/**
 * Chart shorthand written with a slash, spelt out before the query is split into words (the
 * slash would split it into single letters). The whole query is still compared as typed, so
 * "N/V" alone finds the entry whose surface form it is.
 */
const SHORTHAND: [RegExp, string][] = [
  [/\bw\/o\b/g, ' without '],
  [/\bw\//g, ' with '],
  [/\bh\/o\b/g, ' history of '],
  [/\br\/o\b/g, ' rule out '],
  [/\bc\/o\b/g, ' complains of '],
  [/\bs\/p\b/g, ' status post '],
  [/\bf\/u\b/g, ' follow up '],
  [/\bb\/l\b/g, ' bilateral '],
  [/\by\/o\b/g, ' years old '],
  [/\bn\/v\b/g, ' nausea vomiting '],
  [/\bh\/a\b/g, ' headache '],
];

function spellOut(folded: string): string {
  let out = folded;
  for (const [re, words] of SHORTHAND) if (out.includes('/')) out = out.replace(re, words);
  return out;
}

/**
 * Optimal-string-alignment distance (Damerau–Levenshtein with adjacent transpositions), giving up
 * as soon as it must exceed `max`: most vocabulary words are rejected after a row or two.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = b.length;
  if (n + 1 > rowA.length) return max + 1; // longer than any word worth comparing
  // Three reused rows (two back for transpositions): no allocation per comparison.
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb)
        v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** Rows for editDistance; words are capped at MAX_WORD_CHARS, so this size always suffices. */
const MAX_WORD_CHARS = 64;
const rowA = new Int32Array(MAX_WORD_CHARS + 1);
const rowB = new Int32Array(MAX_WORD_CHARS + 1);
const rowC = new Int32Array(MAX_WORD_CHARS + 1);

function sharedPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

// ---------------------------------------------------------------------------------------------
// The term index

/** A name of an entry (title, surface form, id, code) as words, for coverage and phrase checks. */
interface Name {
  field: 'title' | 'form' | 'id' | 'code';
  text: string;
  tokens: Token[];
  /** Content-word stems, stop words dropped. */
  stems: string[];
}

interface DocIndex {
  doc: SearchDoc;
  names: Name[];
  /** Stems of the summary, in order, for the phrase check. */
  summaryStems: string[];
  codes: string[];
}

interface Posting {
  doc: number;
  weight: number;
  field: Exclude<MatchField, 'fuzzy'>;
}

interface Vocab {
  stem: string;
  key: string;
  idf: number;
  postings: Posting[];
}

interface WordMatch {
  term: Vocab;
  /** 1 for the word itself; less for an inflection, a prefix or a typo. */
  quality: number;
  /** For a prefix match, how many letters of the term were typed (for marking). */
  prefix?: number;
}

/** Exact matches of a whole query: compact text → [doc, level]. */
type ExactMap = Map<string, { doc: number; level: number; field: MatchField; text: string }[]>;

interface Index {
  docs: DocIndex[];
  vocab: Map<string, Vocab>;
  /** The vocabulary's single words (not thesaurus phrases), sorted, for prefix search. */
  sorted: Vocab[];
  /** Words by sound key, and by the sound key's length (for typo search). */
  byKey: Map<string, Vocab[]>;
  byKeyLength: Vocab[][];
  exact: ExactMap;
  /** Joined content stems of every name → docs, for "what is status migrainosus". */
  nameStems: Map<string, { doc: number; field: MatchField; text: string }[]>;
}

/** How much a field's word counts, by field length: one word in a two-word title says more. */
function nameWeight(field: Name['field'], words: number): number {
  return FIELD_WEIGHT[field] / (1 + 0.06 * Math.max(0, words - 1));
}

function buildIndex(docs: SearchDoc[]): Index {
  const vocab = new Map<string, Vocab>();
  const exact: ExactMap = new Map();
  const nameStems: Index['nameStems'] = new Map();
  const docIndexes: DocIndex[] = [];
  const addExact = (key: string, doc: number, level: number, field: MatchField, text: string) => {
    if (!key) return;
    let list = exact.get(key);
    if (!list) exact.set(key, (list = []));
    const existing = list.find((x) => x.doc === doc);
    if (existing && existing.level >= level) return;
    if (existing) Object.assign(existing, { level, field, text });
    else list.push({ doc, level, field, text });
  };
  docs.forEach((doc, d) => {
    const best = new Map<string, Posting>();
    const post = (s: string, weight: number, field: Posting['field']) => {
      const p = best.get(s);
      if (!p || p.weight < weight) best.set(s, { doc: d, weight, field });
    };
    const names: Name[] = [];
    const addName = (field: Name['field'], text: string) => {
      const tokens = tokenize(text);
      if (!tokens.length) return;
      const stems = contentTokens(tokens).map((t) => t.stem);
      names.push({ field, text, tokens, stems });
      const w = nameWeight(field, stems.length);
      for (const t of tokens) post(t.stem, STOP_WORDS.has(t.word) ? w * 0.5 : w, field);
      for (const k of phrasesIn(stems)) post(k, w, field);
      const key = stems.join(' ');
      let list = nameStems.get(key);
      if (!list) nameStems.set(key, (list = []));
      if (!list.some((x) => x.doc === d)) list.push({ doc: d, field, text });
    };
    addName('title', doc.title);
    addExact(compact(doc.title), d, 1, 'title', doc.title);
    addExact(compact(doc.id), d, 1, 'id', doc.id);
    addName('id', doc.id.replace(/-/g, ' '));
    for (const f of doc.forms) {
      addName('form', f);
      addExact(compact(f), d, 1, 'form', f);
    }
    const codes = doc.codes.map((c) => compact(c));
    for (const [i, c] of codes.entries()) {
      // The code entry itself is exact (level 1, from its forms); an entry that owns the code comes next.
      addExact(c, d, 0.9, 'code', doc.codes[i]!);
      addName('code', doc.codes[i]!);
    }
    // The long fields come pre-analysed from the build (searchTerms, called by compile.ts).
    const [summaryPart = '', summaryPhrases = '', detailPart = ''] = doc.terms.split('|');
    const summaryStems = words(summaryPart);
    for (const st of summaryStems) post(st, FIELD_WEIGHT.summary, 'summary');
    for (const k of words(summaryPhrases)) post(k, FIELD_WEIGHT.summary, 'summary');
    for (const st of words(detailPart)) post(st, FIELD_WEIGHT.detail, 'detail');
    for (const [s, p] of best) {
      let v = vocab.get(s);
      if (!v) vocab.set(s, (v = { stem: s, key: '', idf: 0, postings: [] }));
      v.postings.push(p);
    }
    docIndexes.push({ doc, names, summaryStems, codes });
  });
  const n = docs.length;
  for (const v of vocab.values()) {
    const df = v.postings.length;
    v.idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
  const sorted = [...vocab.values()].filter((v) => !v.stem.startsWith('~'));
  sorted.sort((a, b) => (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0));
  const byKey = new Map<string, Vocab[]>();
  const byKeyLength: Vocab[][] = [];
  for (const v of sorted) {
    v.key = soundKey(v.stem);
    byKey.set(v.key, [...(byKey.get(v.key) ?? []), v]);
    (byKeyLength[v.key.length] ??= []).push(v);
  }
  return { docs: docIndexes, vocab, sorted, byKey, byKeyLength, exact, nameStems };
}

// ---------------------------------------------------------------------------------------------
// Matching one query word against the vocabulary

/** Typos allowed for a word of this length: none for short words, where one edit makes another word. */
function typoBudget(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

function matchWord(index: Index, token: Token): WordMatch[] {
  const { word, stem: s } = token;
  const out = new Map<string, WordMatch>();
  const add = (term: Vocab, quality: number, prefix?: number) => {
    const prev = out.get(term.stem);
    if (!prev || prev.quality < quality) out.set(term.stem, prefix ? { term, quality, prefix } : { term, quality });
  };
  const exact = index.vocab.get(s);
  if (exact) add(exact, 1);
  if (token.code) {
    // A partial code ("g43.7") finds every code below it; shorter codes (headings) first.
    for (const v of startingWith(index, s)) {
      if (v !== exact && CODE_TOKEN.test(v.stem)) add(v, 0.9 - 0.02 * (v.stem.length - s.length));
    }
    return [...out.values()];
  }
  if (/^[0-9]+$/.test(word)) return [...out.values()];
  if (word.length < 3) {
    // Two letters: the first keystrokes of a query ("ke"), worth a list of words that begin so,
    // weakly, unless the two letters are a word of their own ("CM", "ED").
    if (!exact && word.length === 2 && token.start === 0) {
      for (const v of startingWith(index, word)) add(v, 0.4 + 0.3 * (2 / v.stem.length), 2);
    }
    return [...out.values()];
  }
  // Longer words that begin with this one: typing in progress ("ketam"), or, for a complete word,
  // a longer word built on it ("pulse" → "pulsating"), which is only a weak hint.
  const starts = new Set([...startingWith(index, s), ...(word.startsWith(s) ? [] : startingWith(index, word))]);
  for (const v of starts) {
    if (v === exact) continue;
    const ratio = s.length / v.stem.length;
    if (!exact) add(v, 0.55 + 0.35 * ratio, word.length);
    else if (word.length >= 4) add(v, 0.3 + 0.3 * ratio);
  }
  // Another inflection of the same word: "dissociation"/"dissociative", "sensitivity"/"sensitive".
  if (s.length >= 5) {
    for (const v of startingWith(index, s.slice(0, 5))) {
      if (v !== exact && sharedPrefix(s, v.stem) / Math.max(s.length, v.stem.length) >= 0.7) add(v, 0.8);
    }
  }
  const key = soundKey(s);
  // The same word spelt another way: "fotophobia", "haemorrhage"/"hemorrhage".
  for (const v of index.byKey.get(key) ?? []) if (v !== exact) add(v, 0.92);
  // Typos, only for words the knowledge base does not contain.
  const budget = exact ? 0 : typoBudget(key.length);
  for (let len = key.length - budget; budget > 0 && len <= key.length + budget; len++) {
    for (const v of index.byKeyLength[len] ?? []) {
      const dist = editDistance(key, v.key, budget);
      if (dist > 0 && dist <= budget) add(v, dist === 1 ? 0.75 : 0.6);
    }
  }
  // Typo and prefix together in the word being typed ("fotopho"): compare with the start of
  // longer words. Only the last word: the others are complete, and the scan is the costliest step.
  if (!out.size && token.last && key.length >= 5) {
    for (let len = key.length + 1; len < index.byKeyLength.length; len++) {
      for (const v of index.byKeyLength[len] ?? []) {
        const dist = editDistance(key, v.key.slice(0, key.length), 1);
        if (dist <= 1) add(v, dist === 0 ? 0.7 : 0.5, word.length);
      }
    }
  }
  return [...out.values()];
}

/** Vocabulary words that begin with `prefix`, found by binary search in the sorted vocabulary. */
function startingWith(index: Index, prefix: string): Vocab[] {
  const sorted = index.sorted;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.stem < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: Vocab[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.stem.startsWith(prefix); i++) out.push(sorted[i]!);
  return out;
}

/** A thesaurus phrase of several words is indexed as one term under this key ("~heart_rate"). */
function phraseKey(stems: string[]): string {
  return '~' + stems.join('_');
}

interface Synonym {
  /** The phrase's words as typed, to find it in a query. */
  words: string[];
  /** What may stand in for it: single words (matched like query words) and phrase keys. */
  words1: Token[];
  phrases: string[];
}

/** Thesaurus phrases by their first word. */
const SYNONYMS: Map<string, Synonym[]> = (() => {
  const map = new Map<string, Synonym[]>();
  for (const group of THESAURUS) {
    const parsed = group.map((p) => ({ p, tokens: contentTokens(tokenize(p)) }));
    for (const { p } of parsed) {
      const others = parsed.filter((o) => o.p !== p);
      const syn: Synonym = {
        words: tokenize(p).map((t) => t.word),
        words1: others.filter((o) => o.tokens.length === 1).map((o) => o.tokens[0]!),
        phrases: others.filter((o) => o.tokens.length > 1).map((o) => phraseKey(o.tokens.map((t) => t.stem))),
      };
      const list = map.get(syn.words[0]!) ?? [];
      list.push(syn);
      map.set(syn.words[0]!, list);
    }
  }
  return map;
})();

/** The thesaurus's phrases of several words, as stems, by first stem: indexed as single terms. */
const PHRASES: Map<string, string[][]> = (() => {
  const map = new Map<string, string[][]>();
  for (const group of THESAURUS) {
    for (const p of group) {
      const stems = contentTokens(tokenize(p)).map((t) => t.stem);
      if (stems.length < 2) continue;
      const list = map.get(stems[0]!) ?? [];
      list.push(stems);
      map.set(stems[0]!, list);
    }
  }
  return map;
})();

/** Thesaurus phrases occurring in a field's content stems, as phrase keys. */
function phrasesIn(stems: string[]): string[] {
  const found: string[] = [];
  stems.forEach((st, i) => {
    for (const p of PHRASES.get(st) ?? []) {
      if (p.every((x, k) => stems[i + k] === x)) found.push(phraseKey(p));
    }
  });
  return found;
}

/** For each token of the query, the thesaurus entries whose phrase covers it. */
function expansions(tokens: Token[]): Map<Token, Synonym[]> {
  const out = new Map<Token, Synonym[]>();
  tokens.forEach((t, i) => {
    for (const syn of SYNONYMS.get(t.word) ?? []) {
      if (!syn.words.every((w, k) => tokens[i + k]?.word === w)) continue;
      for (const covered of tokens.slice(i, i + syn.words.length)) {
        out.set(covered, [...(out.get(covered) ?? []), syn]);
      }
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// The searcher

interface Candidate {
  doc: number;
  exact: number;
  exactField?: MatchField;
  words: number;
  name: number;
  phrase: number;
  fuse: number;
  field: MatchField;
  fieldScore: number;
}

/** One content word of the query with everything it matched (itself, inflections, synonyms). */
type Slot = Map<string, WordMatch>;

export function createSearcher(data: PanelData, options: SearcherOptions = {}): Searcher {
  const fuse = new Fuse(
    data.docs,
    FUSE_OPTIONS,
    Fuse.parseIndex<SearchDoc>(data.index as Parameters<typeof Fuse.parseIndex>[0]),
  );
  const index = buildIndex(data.docs);
  const cache = new Map<string, WordMatch[]>();
  const matchesOf = (t: Token): WordMatch[] => {
    const key = (t.code ? '#' : t.start === 0 ? '^' : '') + (t.last ? '$' : '') + t.word;
    let m = cache.get(key);
    if (!m) {
      if (cache.size >= WORD_CACHE_SIZE) cache.clear();
      m = matchWord(index, t);
      cache.set(key, m);
    }
    return m;
  };
  const slotOf = (t: Token, extra: Synonym[]): Slot => {
    const slot: Slot = new Map();
    const put = (m: WordMatch, factor: number) => {
      const q = m.quality * factor;
      const prev = slot.get(m.term.stem);
      if (!prev || prev.quality < q) slot.set(m.term.stem, factor === 1 ? m : { ...m, quality: q });
    };
    for (const m of matchesOf(t)) put(m, 1);
    for (const syn of extra) {
      // Synonyms count only as spelt (or spelt another way), never through their own typos.
      for (const x of syn.words1) for (const m of matchesOf(x)) if (m.quality >= 0.9) put(m, EXPANSION_QUALITY);
      for (const key of syn.phrases) {
        const term = index.vocab.get(key);
        if (term) put({ term, quality: 1 }, EXPANSION_QUALITY);
      }
    }
    return slot;
  };

  return {
    search(query, filters = {}, limit = 20) {
      if (typeof query !== 'string') return [];
      const text = query.slice(0, MAX_QUERY_CHARS).trim();
      const whole = compact(text);
      if (!whole) return [];
      const allowed = (d: number) => {
        const doc = index.docs[d]!.doc;
        return (
          (!filters.category || doc.category === filters.category) &&
          (!filters.audience || doc.audience.includes(filters.audience))
        );
      };
      const tokens = tokenize(spellOut(fold(text)));
      // Word length is capped too: no term is longer, and typo search is quadratic in it.
      // A query that does not end in a space may end in a word still being typed.
      const typing = tokens[tokens.length - 1];
      if (typing && !/\s$/.test(query.slice(0, MAX_QUERY_CHARS))) typing.last = true;
      const content = contentTokens(tokens)
        .slice(0, MAX_QUERY_WORDS)
        .map((t) =>
          t.word.length > MAX_WORD_CHARS
            ? { ...t, word: t.word.slice(0, MAX_WORD_CHARS), stem: stem(t.word.slice(0, MAX_WORD_CHARS)) }
            : t,
        );
      const wantsCode = tokens.some((t) => t.code) || /\b(?:icd|code|codes|coding)\b/.test(fold(text));
      const candidates = new Map<number, Candidate>();
      const get = (d: number): Candidate => {
        let c = candidates.get(d);
        if (!c) {
          c = { doc: d, exact: 0, words: 0, name: 0, phrase: 0, fuse: 0, field: 'detail', fieldScore: 0 };
          candidates.set(d, c);
        }
        return c;
      };

      // 1. Exact: the whole query, then its content words, equal a name.
      for (const e of index.exact.get(whole) ?? []) {
        if (!allowed(e.doc)) continue;
        const c = get(e.doc);
        if (e.level > c.exact) Object.assign(c, { exact: e.level, exactField: e.field });
      }
      for (const e of index.nameStems.get(content.map((t) => t.stem).join(' ')) ?? []) {
        if (!allowed(e.doc)) continue;
        const c = get(e.doc);
        if (c.exact < 0.85) Object.assign(c, { exact: 0.85, exactField: e.field });
      }

      // 2. Words: each content word's best match in each entry, weighted by rarity.
      const extra = expansions(tokens);
      const slots = content.map((t) => slotOf(t, extra.get(t) ?? []));
      // A word typed in two parts ("post drome", "zig zag", "head ache") is found joined.
      for (let i = 0; i + 1 < content.length; i++) {
        const joined = content[i]!.word + content[i + 1]!.word;
        if (content[i]!.code || content[i + 1]!.code || joined.length > MAX_WORD_CHARS) continue;
        const term = index.vocab.get(stem(joined)) ?? index.byKey.get(soundKey(stem(joined)))?.[0];
        if (!term) continue;
        for (const slot of [slots[i]!, slots[i + 1]!]) {
          if ((slot.get(term.stem)?.quality ?? 0) < JOINED_QUALITY)
            slot.set(term.stem, { term, quality: JOINED_QUALITY });
        }
      }
      const matched = new Map<string, WordMatch>(); // every vocabulary term any word matched
      for (const slot of slots) {
        for (const m of slot.values()) {
          const prev = matched.get(m.term.stem);
          if (!prev || prev.quality < m.quality) matched.set(m.term.stem, m);
        }
      }
      let possible = 0;
      const gained = new Map<number, number>();
      for (const slot of slots) {
        // The word's weight is the rarity of what was meant: the best-quality match's IDF. A
        // weaker variant (a prefix, an inflection, a synonym) earns a share of that weight by its
        // quality, not its own rarity, or a rare near-miss ("migrainosus" for "migraine") would
        // outweigh the word itself. A word that matches nothing still counts against every
        // entry, as an average word would.
        let weight = UNMATCHED_WORD_WEIGHT;
        let top = 0;
        for (const m of slot.values()) {
          if (m.quality > top || (m.quality === top && m.term.idf > weight)) [top, weight] = [m.quality, m.term.idf];
        }
        const best = new Map<number, { s: number; field: Posting['field'] }>();
        for (const m of slot.values()) {
          for (const p of m.term.postings) {
            const sc = m.quality * weight * p.weight;
            const b = best.get(p.doc);
            if (!b || b.s < sc) best.set(p.doc, { s: sc, field: p.field });
          }
        }
        possible += weight;
        for (const [d, b] of best) {
          if (!allowed(d)) continue;
          gained.set(d, (gained.get(d) ?? 0) + b.s);
          const c = get(d);
          if (b.s > c.fieldScore) Object.assign(c, { fieldScore: b.s, field: b.field });
        }
      }
      for (const [d, g] of gained) {
        const c = get(d);
        c.words = possible > 0 ? g / possible : 0;
        if (index.docs[d]!.doc.category === 'code' && !wantsCode) c.words *= CODE_ENTRY_DAMPING;
      }

      // 3. Names: how much of a title or form the query covers (by match quality) and how much of
      //    the query it accounts for; and adjacent query words standing adjacent in a name or summary.
      for (const c of candidates.values()) {
        if (c.words === 0 && c.exact === 0) continue;
        const di = index.docs[c.doc]!;
        for (const name of di.names) {
          if (!name.stems.length) continue;
          let covered = 0;
          for (const st of name.stems) covered += matched.get(st)?.quality ?? 0;
          const usedSlots = slots.filter((slot) => name.stems.some((st) => slot.has(st))).length;
          const score = (covered / name.stems.length) * (usedSlots / Math.max(1, slots.length));
          if (score > c.name) c.name = score;
        }
        if (slots.length > 1) {
          let pairs = 0;
          for (let i = 0; i + 1 < slots.length; i++) {
            const a = slots[i]!;
            const b = slots[i + 1]!;
            // The pair counts with the weaker of its two matches, so a typo-level match adds little.
            let best = 0;
            const adjacent = (stems: string[]) => {
              for (let k = 0; k + 1 < stems.length; k++) {
                const qa = a.get(stems[k]!)?.quality ?? 0;
                const qb = qa ? (b.get(stems[k + 1]!)?.quality ?? 0) : 0;
                best = Math.max(best, Math.min(qa, qb));
              }
            };
            di.names.forEach((nm) => adjacent(nm.stems));
            adjacent(di.summaryStems);
            pairs += best;
          }
          c.phrase = pairs / (slots.length - 1);
        }
      }

      // 4. Fuse, over the prebuilt index of titles and forms, as a rescue for words that matched
      //    nothing in the vocabulary (run together, badly misspelt): the unmatched words with their
      //    neighbours are scored against every name. Only then: a bitap scan of every name costs
      //    milliseconds per query word on a busy machine, and for words the vocabulary already
      //    matched it found nothing the word matching had not (reports/search.md).
      const unmatched = slots.findIndex((slot, i) => slot.size === 0 && new Set(content[i]!.word).size >= 3);
      if (unmatched >= 0) {
        // The first unknown word with its neighbours: enough to catch a name run together or
        // split oddly, short enough to keep the scan to a few milliseconds.
        const pattern = content
          .slice(Math.max(0, unmatched - 1), unmatched + 2)
          .map((t) => t.word)
          .join(' ')
          .slice(0, MAX_FUSE_CHARS);
        if (compact(pattern).length >= MIN_FUSE_CHARS) {
          for (const r of fuse.search(pattern)) {
            if (!allowed(r.refIndex)) continue;
            const c = get(r.refIndex);
            c.fuse = 1 - (r.score ?? 1);
            if (c.fieldScore === 0) c.field = 'fuzzy';
          }
        }
      }

      const scored = [...candidates.values()]
        .map((c) => ({
          c,
          total: c.exact + W_WORDS * c.words + W_NAME * c.name + W_PHRASE * c.phrase + W_FUSE * c.fuse,
        }))
        .filter((x) => x.total > 0.02)
        .sort(
          (a, b) =>
            b.total - a.total ||
            index.docs[a.c.doc]!.doc.title.length - index.docs[b.c.doc]!.doc.title.length ||
            (index.docs[a.c.doc]!.doc.id < index.docs[b.c.doc]!.doc.id ? -1 : 1),
        );
      const top = scored[0]?.total ?? 0;
      return scored
        .filter((x) => x.total >= top * RELATIVE_CUTOFF)
        .slice(0, Math.max(0, limit))
        .map(({ c, total }) => {
          const hit = toHit(index.docs[c.doc]!, c, total, matched, whole);
          if (options.explain) {
            const r = (x: number) => Math.round(x * 1000) / 1000;
            hit.explain = { exact: c.exact, words: r(c.words), name: r(c.name), phrase: r(c.phrase), fuse: r(c.fuse) };
          }
          return hit;
        });
    },
  };
}

/** Ranges of `name` whose words matched the query (a prefix match marks the letters typed). */
function markedRanges(name: Name, matched: Map<string, WordMatch>): [number, number][] {
  const ranges: [number, number][] = [];
  for (const t of name.tokens) {
    const m = matched.get(t.stem);
    if (!m) continue;
    const end = m.prefix ? Math.min(t.end, t.start + m.prefix) : t.end;
    const last = ranges[ranges.length - 1];
    if (last && name.text.slice(last[1], t.start).trim() === '' && last[1] <= t.start) last[1] = end;
    else ranges.push([t.start, end]);
  }
  return ranges;
}

function toHit(di: DocIndex, c: Candidate, total: number, matched: Map<string, WordMatch>, whole: string): SearchHit {
  const title = di.names.find((n) => n.field === 'title');
  let titleMatches = title ? markedRanges(title, matched) : [];
  let field: MatchField = c.exact > 0 && c.exactField ? c.exactField : c.field;
  if (c.exact > 0 && c.exactField === 'title') titleMatches = [[0, di.doc.title.length]];
  const hit: SearchHit = {
    id: di.doc.id,
    title: di.doc.title,
    category: di.doc.category,
    score: Math.round(total * 1000) / 1000,
    titleMatches,
    field,
  };
  if (titleMatches.length === 0) {
    // Say which form or code brought the entry up: the exactly matching one, else the best covered.
    const forms = di.names.filter((n) => n.field === 'form' || n.field === 'code');
    const exactName = forms.find((n) => compact(n.text) === whole);
    if (exactName) {
      hit.via = { text: exactName.text, ranges: [[0, exactName.text.length]] };
      field = exactName.field;
    } else {
      let best: { n: Name; r: [number, number][]; len: number } | null = null;
      for (const n of forms) {
        const r = markedRanges(n, matched);
        const len = r.reduce((s, [a, b]) => s + b - a, 0);
        if (len > 0 && (!best || len > best.len)) best = { n, r, len };
      }
      if (best) {
        hit.via = { text: best.n.text, ranges: best.r };
        if (field !== 'summary' && field !== 'detail') field = best.n.field;
      }
    }
    hit.field = field;
  }
  return hit;
}
