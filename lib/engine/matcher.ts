/**
 * The page matcher: compiled lexicon → mentions in a text. Pure; runs in the content script, the
 * CLI and the tests alike.
 */
import { fold, toOriginalEnd, toOriginalStart, type Folded } from './normalize';
import {
  longestAt,
  mayStart,
  newTrieMatch,
  nextStart,
  phraseTokens,
  prebuildTrie,
  tokenAt,
  tokenize,
  trieFrom,
  type Acceptor,
  type PrebuiltTrie,
  type Tokens,
  type Trie,
} from './tokens';
import type { CompiledLexicon, HighlightCategory, LexiconForm, Mention } from './types';

interface FormRef {
  concept: number;
  category: HighlightCategory;
  /** For case-sensitive forms: the form's letters with separators removed, as written. */
  exact: string | null;
  requires: RegExp | null;
  /** A stop form: its words are passed over, no mention made (see LexiconForm.stop). */
  stop: boolean;
  /** Says its concept is absent (see LexiconForm.absent). */
  absent: boolean;
  /**
   * Read beside ketamine (its `requires` names the drug): a form of labelled answers under a
   * ketamine heading carries the drug to its later lines, as a table or a timed log does.
   */
  formReach: boolean;
}

export interface Matcher {
  lexicon: CompiledLexicon;
  trie: Trie<FormRef>;
  codes: Map<string, number>;
}

/** How far either side of an ambiguous abbreviation its `requires` pattern may look (same line). */
const REQUIRES_WINDOW = 160;

// "ICD10:G43.909", "ICD-10-CM G43909", "G43.9-", "g43.909": the code itself is group 1. Runs on the
// folded text, where every dash is already "-".
export const CODE_PATTERN =
  /(?<![\p{L}\p{N}])(?:icd-?10(?:-?cm)?\s*[:#]?\s*)?(g4[34](?:\.?[0-9a-z]{1,4})?)(?:-(?![\p{L}\p{N}]))?(?![\p{L}\p{N}])/gu;

/**
 * CODE_PATTERN tried at one position. Every match of CODE_PATTERN begins with "icd" or "g4", so
 * trying it only where those letters are finds the same matches as scanning the whole text.
 */
const CODE_AT = new RegExp(CODE_PATTERN.source, 'uy');

/**
 * The qualifiers ICD-10-CM titles hang on a migraine diagnosis, as charts copy them from problem
 * lists: "Migraine without aura, not intractable, without status migrainosus". They are part of the
 * diagnosis' name: absorbed into its mention, so that their "not" and "without" negate nothing and
 * a code after them ("(G43.009)") sits directly after the diagnosis it labels. Qualifiers that
 * assert something ("intractable", "with status migrainosus") stay outside, as findings of their own.
 */
const NEGATIVE_QUALIFIERS =
  /(?:[ \t]*,?[ \t]*(?:not[ \t]+intractable|without[ \t]+(?:status[ \t]+migrainosus|aura|mention[ \t]+of[ \t]+intractable[ \t]+migraine|refractory[ \t]+migraine)|so[ \t]+stated|unspecified)(?![\p{L}\p{N}]))+/uy;

/**
 * Whether the folded text just before `at` names the code system: /icd-?(?:9|10)-?$/ (the "ICD-10"
 * of "ICD-10-CM", whose "CM" is no chronic migraine), read backwards without making a string.
 */
export function codeSystemBefore(ft: string, at: number): boolean {
  let k = at;
  if (k > 0 && ft.charCodeAt(k - 1) === 45 /* - */) k--;
  if (k > 0 && ft.charCodeAt(k - 1) === 57 /* 9 */) k--;
  else if (k > 1 && ft.charCodeAt(k - 1) === 48 /* 0 */ && ft.charCodeAt(k - 2) === 49 /* 1 */) k -= 2;
  else return false;
  if (k > 0 && ft.charCodeAt(k - 1) === 45) k--;
  return k >= 3 && ft.charCodeAt(k - 1) === 100 && ft.charCodeAt(k - 2) === 99 && ft.charCodeAt(k - 3) === 105; // "icd"
}

/** The words of each form as the matcher keys them (folded and split). */
export function formPhrases(lexicon: CompiledLexicon): string[][] {
  return lexicon.forms.map((form) => phraseTokens(fold(form.text).text));
}

/** The matcher; from `prebuilt` (made by prebuildTrie over formPhrases) when given. */
export function createMatcher(lexicon: CompiledLexicon, prebuilt?: PrebuiltTrie): Matcher {
  return matcherFrom(lexicon, prebuilt ?? prebuildTrie(formPhrases(lexicon)));
}

/**
 * The matcher from its prebuilt trie only. The content script makes its engine this way, so the
 * code that builds tries from the lexicon's text stays out of its bundle.
 */
export function matcherFrom(lexicon: CompiledLexicon, prebuilt: PrebuiltTrie): Matcher {
  // Forms share a handful of requires patterns: one RegExp each (test() on a pattern without "g"
  // keeps no state between calls).
  const patterns = new Map<string, RegExp>();
  const trie = trieFrom(prebuilt, (i) => toRef(lexicon, lexicon.forms[i]!, patterns));
  return { lexicon, trie, codes: new Map(Object.entries(lexicon.codes)) };
}

function toRef(lexicon: CompiledLexicon, form: LexiconForm, patterns: Map<string, RegExp>): FormRef {
  let requires: RegExp | null = null;
  if (form.requires) {
    requires = patterns.get(form.requires) ?? requiresPattern(form.requires);
    patterns.set(form.requires, requires);
  }
  return {
    concept: form.concept,
    category: lexicon.concepts[form.concept]?.category ?? 'symptom',
    exact: form.caseSensitive ? stripSeparators(form.text) : null,
    requires,
    stop: form.stop === true,
    absent: form.absent === true,
    formReach: requires !== null && form.caseSensitive !== true && requires.test('ketamine'),
  };
}

/**
 * Pieces of a `requires` pattern that mean the same with and without the "u" flag on folded text:
 * ASCII letters and digits, alternation, groups without "?" other than "(?:", quantifiers, and the
 * escapes \b \s \d \w \/ \. (never ".", a class, a negated escape or a look-around).
 */
const SAME_WITHOUT_U = /^(?:[A-Za-z0-9 '/|)?*+-]|\((?!\?)|\(\?:|\\[bsdw/.])*$/;

/**
 * A `requires` pattern, case-insensitive as the knowledge base writes it ("iu"). Where its pieces
 * allow, it runs without "u", several times faster in V8 and with the same answers on folded text:
 * for ASCII letters, \w and \b the two modes differ only on "\u017f" (long s) and "\u212a" (Kelvin
 * sign), and folding turns both into ASCII letters, so they never reach a pattern.
 */
export function requiresPattern(source: string): RegExp {
  const unicode = new RegExp(source, 'iu'); // throws for a bad pattern, as it always did
  return SAME_WITHOUT_U.test(source) ? new RegExp(source, 'i') : unicode;
}

/** Spaces, dashes and the invisible characters folding removes: none of them changes a word. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069]+/g;

function stripSeparators(s: string): string {
  return s.replace(SEPARATORS, '');
}

/** Whether UTF-16 unit c is one SEPARATORS removes (\s plus the dashes and invisible characters). */
export function isSeparatorUnit(c: number): boolean {
  if (c < 0x80) return c === 32 || c === 45 || (c >= 9 && c <= 13);
  return (
    c === 0xa0 ||
    c === 0xad ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x2015) ||
    (c >= 0x2028 && c <= 0x202f) ||
    c === 0x205f ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0x2212 ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Whether text[s, e) with separators removed is `exact` (followed by "s" when `plural`): the same
 * as comparing stripSeparators(text.slice(s, e)), without making either string.
 */
export function writtenAs(text: string, s: number, e: number, exact: string, plural: boolean): boolean {
  const n = exact.length;
  let k = 0;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (isSeparatorUnit(c)) continue;
    if (k < n ? c !== exact.charCodeAt(k) : !(plural && k === n && c === 115) /* s */) return false;
    k++;
  }
  return k === (plural ? n + 1 : n);
}

export interface MatchResult {
  mentions: Mention[];
  folded: Folded;
  tokens: Tokens;
}

/**
 * Mentions as columns, in text order: what analyze reads, without an object per mention (a page
 * has tens of thousands, and each would live until the findings are made). The columns share one
 * buffer, grown by doubling.
 */
export interface MentionTable {
  count: number;
  concept: Int32Array;
  start: Int32Array;
  end: Int32Array;
  firstToken: Int32Array;
  lastToken: Int32Array;
  /** 1 for an ICD-10-CM code, 2 for words that say their concept is absent ("afebrile"), else 0. */
  code: Int32Array;
}

export interface ScanResult {
  table: MentionTable;
  folded: Folded;
  tokens: Tokens;
}

export function newMentionTable(capacity = 16): MentionTable {
  const t: MentionTable = {
    count: 0,
    concept: EMPTY,
    start: EMPTY,
    end: EMPTY,
    firstToken: EMPTY,
    lastToken: EMPTY,
    code: EMPTY,
  };
  setCapacity(t, Math.max(16, capacity));
  return t;
}

const EMPTY = new Int32Array(0);

/** Gives the table room for `cap` mentions (one buffer for the six columns), keeping its rows. */
function setCapacity(t: MentionTable, cap: number): void {
  const buffer = new ArrayBuffer(cap * 24);
  const columns = ['concept', 'start', 'end', 'firstToken', 'lastToken', 'code'] as const;
  for (let c = 0; c < columns.length; c++) {
    const column = new Int32Array(buffer, c * cap * 4, cap);
    column.set(t[columns[c]!].subarray(0, t.count));
    t[columns[c]!] = column;
  }
}

/** A table lent to analyze calls on short texts (see tokenize's `reuse`): up to this many rows. */
const LENT_ROWS = 4096;
let lent: MentionTable | null = null;

/** An empty table: with `reuse`, the one lent from the previous such call where it is big enough. */
function tableFor(estimate: number, reuse: boolean): MentionTable {
  if (!reuse || estimate > LENT_ROWS) return newMentionTable(estimate);
  if (lent === null || lent.concept.length < estimate) lent = newMentionTable(Math.max(estimate, 256));
  lent.count = 0;
  return lent;
}

/** Appends a mention to the table. */
export function addMention(
  t: MentionTable,
  concept: number,
  start: number,
  end: number,
  firstToken: number,
  lastToken: number,
  code: boolean,
  absent = false,
): void {
  const i = t.count;
  if (i === t.concept.length) setCapacity(t, i * 2);
  t.concept[i] = concept;
  t.start[i] = start;
  t.end[i] = end;
  t.firstToken[i] = firstToken;
  t.lastToken[i] = lastToken;
  t.code[i] = code ? 1 : absent ? 2 : 0;
  t.count = i + 1;
}

/** Mention i of the table as a Mention object (codes carry `code: true`, other mentions no `code`). */
export function mentionAt(t: MentionTable, i: number): Mention {
  const m: Mention = {
    concept: t.concept[i]!,
    start: t.start[i]!,
    end: t.end[i]!,
    firstToken: t.firstToken[i]!,
    lastToken: t.lastToken[i]!,
  };
  if (t.code[i] === 1) m.code = true;
  else if (t.code[i] === 2) m.absent = true;
  return m;
}

/**
 * The checks a lexicon match must pass beyond its words, for one text: the case of an abbreviation
 * as written, and the words an ambiguous abbreviation needs near it.
 */
class FormCheck implements Acceptor<FormRef> {
  constructor(
    private readonly text: string,
    private readonly folded: Folded,
    private readonly tokens: Tokens,
  ) {}

  accept(ref: FormRef, first: number, last: number, plural: boolean): boolean {
    const tokens = this.tokens;
    const ft = tokens.text;
    if (ref.exact !== null) {
      // "ICD-10-CM" names the code system; its "CM" is no chronic migraine.
      if (codeSystemBefore(ft, tokens.starts[first]!)) return false;
      const s = toOriginalStart(this.folded, tokens.starts[first]!, this.text.length);
      const e = toOriginalEnd(this.folded, tokens.ends[last]!);
      // A plural adds a lower-case "s" to the abbreviation as written: "HAs", "MwAs".
      if (!writtenAs(this.text, s, e, ref.exact, plural)) return false;
    }
    if (ref.requires !== null && this.requirementDistance(ref, first, last) === Infinity) return false;
    return true;
  }

  /**
   * Of several entries' readings of one form, the one whose required words stand nearest it; an
   * entry that requires nothing ("pregnant" as a ketamine caution) is taken only where no other's
   * words are near ("pregnant" beside a headache is the red flag).
   */
  nearest(refs: readonly FormRef[], first: number, last: number): FormRef {
    let best = refs[0]!;
    let bestDistance = Infinity;
    for (const ref of refs) {
      const d = ref.requires === null ? Number.MAX_VALUE : this.requirementDistance(ref, first, last);
      if (d < bestDistance) {
        bestDistance = d;
        best = ref;
      }
    }
    return best;
  }

  /**
   * Characters between the mention and the nearest match of its requirement, or Infinity where
   * none is near enough: on the mention's own line, or in a table anywhere in it (a flowsheet
   * names its subject once, "Ketamine gtt started" or its heading, and its later rows,
   * "Diplopia reported; rate decreased", speak of it all the same).
   */
  private requirementDistance(ref: FormRef, first: number, last: number): number {
    if (ref.requires === null) return 0;
    const ft = this.tokens.text;
    const a = this.tokens.starts[first]!;
    const b = this.tokens.ends[last]!;
    const s = lineStart(ft, Math.max(0, a - REQUIRES_WINDOW), a);
    const e = lineEnd(ft, b, Math.min(ft.length, b + REQUIRES_WINDOW));
    const d = nearestMatch(ref.requires, ft, s, a, b, e);
    if (d !== Infinity) return d;
    if (isTableRow(ft, a)) return nearestMatch(ref.requires, ft, tableStart(ft, a), a, b, tableEnd(ft, b));
    // A timed log ("09:00 Ketamine infusion started", then "09:30 Mild nystagmus noted") names its
    // drug once, at its start: earlier entries of the same log carry it, later ones do not.
    const ls = lineStart(ft, Math.max(0, a - LOG_WINDOW), a);
    if ((ls === 0 || ft.charCodeAt(ls - 1) === 10) && isLogLine(ft, ls)) {
      return nearestMatch(ref.requires, ft, logStart(ft, a), a, b, b);
    }
    // So does a form of labelled answers ("Ketamine infusion" above "Dissociation: mild" and
    // "Hallucinations: none"): its earlier lines and short headings carry it, later ones do not.
    // Only for what is read beside ketamine: a headache heading above "Social history: lifting
    // weights" or "Size: 3 CM" makes no red flag and no chronic migraine of them.
    if (ref.formReach && (ls === 0 || ft.charCodeAt(ls - 1) === 10) && isFormLine(ft, ls)) {
      return nearestMatch(ref.requires, ft, formStart(ft, a), a, b, b);
    }
    return Infinity;
  }
}

/** Each `requires` pattern with the "g" flag, to find where it matches. */
const everywhere = new WeakMap<RegExp, RegExp>();

/** The characters between [a, b) and the nearest match of `re` within [s, a) or [b, e); Infinity if none. */
function nearestMatch(re: RegExp, ft: string, s: number, a: number, b: number, e: number): number {
  let g = everywhere.get(re);
  if (!g) everywhere.set(re, (g = new RegExp(re.source, re.flags + 'g')));
  let best = Infinity;
  const before = ft.slice(s, a);
  g.lastIndex = 0;
  for (let m = g.exec(before); m !== null; m = g.exec(before)) {
    best = Math.min(best, before.length - (m.index + m[0].length));
    if (m[0].length === 0) g.lastIndex++;
  }
  g.lastIndex = 0;
  const m = g.exec(ft.slice(b, e));
  if (m !== null) best = Math.min(best, m.index);
  return best;
}

/** Finds every mention in `text`; offsets index `text` itself (not the folded copy). */
export function findMentions(matcher: Matcher, text: string): MatchResult {
  const { table, folded, tokens } = scanMentions(matcher, text);
  const mentions = new Array<Mention>(table.count);
  for (let i = 0; i < table.count; i++) mentions[i] = mentionAt(table, i);
  return { mentions, folded, tokens };
}

/**
 * findMentions, with the mentions as a table. With `reuse` the tokens and the table may live in
 * arrays that the next such call overwrites (see tokenize): for callers that are done with them
 * when they return.
 */
export function scanMentions(matcher: Matcher, text: string, reuse = false): ScanResult {
  const folded = fold(text);
  const ft = folded.text;
  const tokens = tokenize(ft, reuse);
  // About one mention in sixteen tokens on chart text; the table doubles when there are more.
  const table = tableFor(tokens.count >> 4, reuse);
  // Codes are found first and merged in as the lexicon's mentions come, in order of start (a
  // lexicon mention first where both start at once); where one overlaps a mention kept before
  // it, the earlier one stays.
  const codes = matcher.codes.size > 0 && ft.includes('g4') ? codeMentions(matcher, text, folded, tokens) : null;
  let nextCode = 0;
  const trie = matcher.trie;
  const check = new FormCheck(text, folded, tokens);
  const hit = newTrieMatch<FormRef>();
  const count = tokens.count;
  for (let i = nextStart(trie, tokens, 0, count); i < count; i = nextStart(trie, tokens, i + 1, count)) {
    if (!longestAt(trie, tokens, i, count, check, hit)) continue;
    // A form two entries share (each where its own words stand near: "diplopia" beside an aura or
    // beside ketamine) is read as the one whose words stand nearest.
    const ref = hit.values.length > 1 ? check.nearest(hit.values, i, hit.lastToken) : hit.values[0]!;
    let last = hit.lastToken;
    if (ref.stop) {
      i = last;
      continue;
    }
    // A diagnosis whose name runs on into another diagnosis' name ("chronic migraine" +
    // "migraine without aura") is one mention: the qualifier ("without aura") is part of the
    // diagnosis, not a separate finding, and its "without" is no negation.
    if (ref.category === 'diagnosis') {
      for (let k = i + 1; k <= last; k++) {
        if (!mayStart(trie, tokens, k)) continue;
        if (longestAt(trie, tokens, k, count, check, hit) && hit.lastToken > last) {
          if (hit.values[0]!.category === 'diagnosis') last = hit.lastToken;
        }
      }
      NEGATIVE_QUALIFIERS.lastIndex = tokens.ends[last]!;
      const q = NEGATIVE_QUALIFIERS.exec(ft);
      if (q) last = tokenAt(tokens, q.index + q[0].length - 1);
    }
    const start = toOriginalStart(folded, tokens.starts[i]!, text.length);
    const end = toOriginalEnd(folded, tokens.ends[last]!);
    if (codes === null) addMention(table, ref.concept, start, end, i, last, false, ref.absent);
    else {
      for (; nextCode < codes.count && codes.start[nextCode]! < start; nextCode++)
        addUnlessOverlapping(table, codes, nextCode);
      if (table.count === 0 || start >= table.end[table.count - 1]!)
        addMention(table, ref.concept, start, end, i, last, false, ref.absent);
    }
    i = last;
  }
  if (codes !== null) for (; nextCode < codes.count; nextCode++) addUnlessOverlapping(table, codes, nextCode);
  return { table, folded, tokens };
}

/** Adds mention i of `from` to `table` unless it begins before the end of the last one kept. */
function addUnlessOverlapping(table: MentionTable, from: MentionTable, i: number): void {
  if (table.count > 0 && from.start[i]! < table.end[table.count - 1]!) return;
  addMention(
    table,
    from.concept[i]!,
    from.start[i]!,
    from.end[i]!,
    from.firstToken[i]!,
    from.lastToken[i]!,
    from.code[i] === 1,
    from.code[i] === 2,
  );
}

/** How far the rows of one table carry a `requires` context to one another, either way. */
const TABLE_WINDOW = 2000;

/**
 * How far back the entries of a timed log carry their drug. Less than the lead-in a page chunk is
 * read with, so that the page finds what the CLI finds.
 */
const LOG_WINDOW = 1000;

/**
 * A log entry's opening time, on the folded text: "09:15", "0915", "9:15 pm", "at 20 min",
 * "t+15", "15 min", then a separator or the entry's words.
 */
const LOG_TIME =
  /[ \t]*(?:\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[ap]\.?m\.?)?|\d{4}h?|t[ \t]*\+[ \t]*\d{1,3}(?:[ \t]*(?:min|mins|minutes|hr|hrs)\b)?|(?:at[ \t]+)?\d{1,3}[ \t]*(?:min|mins|minutes|hr|hrs)\b)[ \t]*(?:[-:\u2013\t]|[ \t]?(?=[a-z]))/y;

/** Whether the line starting at `s` is an entry of a timed log. */
function isLogLine(text: string, s: number): boolean {
  LOG_TIME.lastIndex = s;
  return LOG_TIME.test(text);
}

/** Where the log around `at` begins: its first entry, with the line above it (its heading). */
function logStart(text: string, at: number): number {
  return runStart(text, at, LOG_WINDOW, (s) => isLogLine(text, s));
}

/** A form's line is a short label, a colon and its answer; its headings are short lines without one. */
const FORM_LABEL_MAX = 40;
const FORM_LINE_MAX = 100;
/** How many headings in a row a form may have above or between its lines ("Ketamine protocol", "Intra-infusion"). */
const FORM_HEADINGS_MAX = 2;

function isFormLine(text: string, s: number): boolean {
  const e = lineEnd(text, s, text.length);
  if (e - s > FORM_LINE_MAX) return false;
  const colon = text.indexOf(':', s);
  return colon > s && colon < e && colon - s <= FORM_LABEL_MAX;
}

function isFormHeading(text: string, s: number): boolean {
  const e = lineEnd(text, s, text.length);
  return e - s <= FORM_LABEL_MAX && text.lastIndexOf(':', e) < s;
}

/**
 * Where the form around `at` begins: its earlier lines, with up to FORM_HEADINGS_MAX short
 * headings in a row above or among them, within LOG_WINDOW; a longer line of prose ends it.
 */
function formStart(text: string, at: number): number {
  const floor = Math.max(0, at - LOG_WINDOW);
  let s = lineStart(text, floor, at);
  let headings = 0;
  while (s > floor) {
    const above = lineStart(text, floor, s - 1);
    const kind = lineKind(text, above);
    if (kind === ROW) break;
    if (kind === OTHER) {
      if (isFormLine(text, above)) headings = 0;
      else if (isFormHeading(text, above) && headings < FORM_HEADINGS_MAX) headings++;
      else break;
    }
    s = above;
  }
  return s;
}

/** Whether the line around `at` is a table row: the page's extraction puts a tab between cells. */
function isTableRow(text: string, at: number): boolean {
  return lineKind(text, lineStart(text, 0, at)) === ROW;
}

const BLANK = 0;
const ROW = 1;
const OTHER = 2;

/** What the line starting at `s` is: blank (rows are often apart by empty lines), a row, or other. */
function lineKind(text: string, s: number): number {
  const e = lineEnd(text, s, text.length);
  let blank = true;
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (c === 9) return ROW;
    if (c !== 32 && c !== 13) blank = false;
  }
  return blank ? BLANK : OTHER;
}

/** Where the table around `at` begins: its first row, with the line above it (heading or caption). */
function tableStart(text: string, at: number): number {
  return runStart(text, at, TABLE_WINDOW, (_, kind) => kind === ROW);
}

/**
 * Where a run of lines around `at` begins (table rows, log entries: `isEntry`; blank lines between
 * them do not end it), with the first other line above it (the run's heading), within `window`.
 */
function runStart(text: string, at: number, window: number, isEntry: (s: number, kind: number) => boolean): number {
  const floor = Math.max(0, at - window);
  let s = lineStart(text, floor, at);
  while (s > floor) {
    const above = lineStart(text, floor, s - 1);
    const kind = lineKind(text, above);
    s = above;
    if (kind !== BLANK && !isEntry(above, kind)) break; // the heading: kept, then stop
  }
  return s;
}

/** Where the table around `at` ends: after its last row, within TABLE_WINDOW. */
function tableEnd(text: string, at: number): number {
  const ceil = Math.min(text.length, at + TABLE_WINDOW);
  let e = lineEnd(text, at, ceil);
  for (let next = e; next < ceil;) {
    const kind = lineKind(text, next + 1);
    if (kind === OTHER) break;
    next = lineEnd(text, next + 1, ceil);
    if (kind === ROW) e = next;
  }
  return e;
}

function lineStart(text: string, floor: number, from: number): number {
  const nl = text.lastIndexOf('\n', from - 1);
  return nl >= floor ? nl + 1 : floor;
}

function lineEnd(text: string, from: number, ceil: number): number {
  const nl = text.indexOf('\n', from);
  return nl !== -1 && nl < ceil ? nl : ceil;
}

/** The concept of an ICD-10-CM code as written, or of its longest known heading ("G43.9-"). */
export function conceptOfCode(matcher: Matcher, written: string): number | undefined {
  const code = written.replace('.', '').toUpperCase();
  for (let len = code.length; len >= 3; len--) {
    const concept = matcher.codes.get(code.slice(0, len));
    if (concept !== undefined) return concept;
  }
  return undefined;
}

/** Whether UTF-16 unit c is white space as a regular expression's \s reads it. */
export function isRegExpSpace(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The characters of a code's prefix in CODE_PATTERN, "icd-?10(?:-?cm)?\s*[:#]?\s*". */
function isCodePrefixUnit(c: number): boolean {
  switch (c) {
    case 105: // i
    case 99: // c
    case 100: // d
    case 109: // m
    case 49: // 1
    case 48: // 0
    case 45: // -
    case 58: // :
    case 35: // #
      return true;
    default:
      return isRegExpSpace(c);
  }
}

/**
 * Every match of CODE_PATTERN in the folded text, in order: the same as ft.matchAll(CODE_PATTERN)
 * without running the pattern over the whole text. A match holds "g4", and begins either there or
 * at an "icd" whose prefix runs up to it, made only of the prefix's characters; so the pattern is
 * tried at each "g4" and at the "icd"s of the prefix characters just before it.
 */
export function codeMatches(ft: string, each: (start: number, end: number, code: string) => void): void {
  let from = 0; // matches do not overlap: the next one begins here or later
  for (let g4 = ft.indexOf('g4'); g4 !== -1; g4 = ft.indexOf('g4', g4 + 1)) {
    if (g4 < from) continue;
    let runStart = g4;
    while (runStart > from && isCodePrefixUnit(ft.charCodeAt(runStart - 1))) runStart--;
    let end = -1;
    for (let p = runStart; p + 3 <= g4 && end < 0; p++) {
      if (ft.charCodeAt(p) === 105 && ft.charCodeAt(p + 1) === 99 && ft.charCodeAt(p + 2) === 100) {
        end = codeAt(ft, p, each);
      }
    }
    if (end < 0) end = codeAt(ft, g4, each);
    if (end >= 0) from = end;
  }
}

/** CODE_PATTERN tried at `at`: reports a match and returns its end, or returns -1. */
function codeAt(ft: string, at: number, each: (start: number, end: number, code: string) => void): number {
  CODE_AT.lastIndex = at;
  const m = CODE_AT.exec(ft);
  if (m === null) return -1;
  const end = at + m[0].length;
  each(at, end, m[1]!);
  return end;
}

/** The ICD-10-CM codes of the text that name a known concept, in order. */
function codeMentions(matcher: Matcher, text: string, folded: Folded, tokens: Tokens): MentionTable {
  const codes = newMentionTable();
  codeMatches(folded.text, (startF, endF, written) => {
    const concept = conceptOfCode(matcher, written);
    if (concept === undefined) return;
    const start = toOriginalStart(folded, startF, text.length);
    const end = toOriginalEnd(folded, endF);
    addMention(codes, concept, start, end, tokenAt(tokens, startF), tokenAt(tokens, endF - 1), true);
  });
  return codes;
}

export { tokenAt };
