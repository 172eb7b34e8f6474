/**
 * Context (assertion) classification in the manner of ConText (Harkema et al., J Biomed Inform
 * 2009;42(5):839-51): trigger phrases with a direction open a scope over the words around them;
 * terminators and the sentence end close it; pseudo-triggers ("no increase") are matched
 * longest-first so the trigger inside them ("no") never fires. Section headers ("Family
 * History:") give their context to everything under them. The rules themselves are data:
 * knowledge/context/*.json.
 */
import { fold } from './normalize';
import {
  hashKey,
  hashRange,
  longestAt,
  mayStart,
  newTrieMatch,
  nextStart,
  phraseTokens,
  prebuildTrie,
  tokenAt,
  trieFrom,
  type Tokens,
  type Trie,
} from './tokens';
import type { CompiledContextRules, ContextFlag, ContextRule, PrebuiltEngine, SectionRule } from './types';

/**
 * Reach of a cue when its rule gives none, in words (punctuation does not count). ConText's reach
 * is the whole sentence; charts run many findings into one "sentence" without full stops, so a
 * bound keeps a cue at the start of a long line from reaching findings of another clause. Lists
 * reach further (see `reaches`).
 */
export const DEFAULT_SCOPE_WORDS = 10;

/**
 * A list item is at most this many words: "No fever, chills, night sweats, photophobia or
 * phonophobia" distributes the negation over every item, however long the list, while a
 * comma-separated clause of more words ends it.
 */
export const LIST_ITEM_WORDS = 4;

/**
 * A sentence is looked for at most this many tokens beyond its window's step (see
 * sentenceAround): text without any full stop or line break (a flattened table, a run-on note)
 * must not make each finding cost a scan of the whole page. Beyond every cue's reach.
 */
const SENTENCE_REACH_TOKENS = 100;
const WINDOW_STEP = 100;

/** How many tokens a section header may have (the longest known is "family medical history"). */
const HEADER_MAX_TOKENS = 6;
/** How far into its line a header's colon may be. */
const HEADER_MAX_CHARS = 48;

interface RuleRef {
  rule: ContextRule;
}

interface PatternRule {
  re: RegExp;
  rule: ContextRule;
  /** Index of this pattern's group in `combined`. */
  group: number;
}

export interface ContextEngine {
  trie: Trie<RuleRef>;
  patterns: PatternRule[];
  /**
   * Every pattern as one alternation, each in its own group: one scan of a sentence instead of one
   * per pattern (each scan has a fixed cost that dominates on short sentences). null without patterns.
   */
  combined: RegExp | null;
  sections: Trie<SectionRule>;
  /** Keys (hashKey) of the last word of every section header: a colon after any other word heads nothing. */
  headerLastWords: Set<number>;
}

/**
 * Flags for a rule's pattern. Rules are case-insensitive, but the text they run on is folded to
 * lower case already, so a pattern written in lower case needs no "i"; nor "u" unless it uses
 * Unicode property escapes. Without them V8 runs these patterns several times faster.
 */
export function patternFlags(pattern: string): string {
  const literal = pattern.replace(/\\./g, '');
  return 'g' + (/[A-Z]/.test(literal) ? 'i' : '') + (/\\[pPu]\{/.test(pattern) ? 'u' : '');
}

/** How many capturing groups a pattern has (a pattern that also matches "" reports them all). */
function groupCount(pattern: string): number {
  return new RegExp(`${pattern}|`).exec('')!.length - 1;
}

/** The words of each context rule without a pattern, in order, as the trie keys them. */
export function rulePhrases(rules: CompiledContextRules): string[][] {
  return rules.rules.filter((r) => !r.pattern).map((r) => phraseTokens(fold(r.literal).text));
}

/** The words of each section header, as the trie keys them. */
export function sectionPhrases(rules: CompiledContextRules): string[][] {
  return rules.sections.map((s) => phraseTokens(fold(s.literal).text));
}

/** Capturing groups of each pattern rule, in order. */
export function patternGroups(rules: CompiledContextRules): number[] {
  return rules.rules.flatMap((r) => (r.pattern ? [groupCount(r.pattern)] : []));
}

/** The context engine; from `prebuilt` (tries and group counts made at build time) when given. */
export function createContextEngine(
  rules: CompiledContextRules,
  prebuilt?: Pick<PrebuiltEngine, 'rules' | 'sections' | 'groups'>,
): ContextEngine {
  return contextFrom(
    rules,
    prebuilt ?? {
      rules: prebuildTrie(rulePhrases(rules)),
      sections: prebuildTrie(sectionPhrases(rules)),
      groups: patternGroups(rules),
    },
  );
}

/** The context engine from its prebuilt tries only (see matcherFrom). Throws on data that does not fit. */
export function contextFrom(
  rules: CompiledContextRules,
  prebuilt: Pick<PrebuiltEngine, 'rules' | 'sections' | 'groups'>,
): ContextEngine {
  const literals = rules.rules.filter((r) => !r.pattern);
  if (prebuilt.rules.at.length !== literals.length) throw new Error('prebuilt rules: count');
  const trie = trieFrom(prebuilt.rules, (i): RuleRef => ({ rule: literals[i]! }));
  const patterns: PatternRule[] = [];
  const sources: string[] = [];
  let group = 1;
  let p = 0;
  for (const rule of rules.rules) {
    if (!rule.pattern) continue;
    const groups = prebuilt.groups[p++];
    if (groups === undefined) throw new Error('prebuilt groups: count');
    const flags = patternFlags(rule.pattern);
    patterns.push({
      re: new RegExp(rule.pattern, flags),
      rule,
      group,
    });
    // A back-reference would point at the wrong group once combined; such rules get no group.
    if (/\\[1-9]|\\k</.test(rule.pattern)) {
      patterns[patterns.length - 1]!.group = -1;
      continue;
    }
    sources.push(`(${rule.pattern})`);
    group += 1 + groups;
  }
  const combinedSource = sources.join('|');
  const combined = sources.length > 0 ? new RegExp(combinedSource, patternFlags(combinedSource)) : null;
  const headerLastWords = new Set<number>();
  const s = prebuilt.sections;
  if (s.at.length !== rules.sections.length) throw new Error('prebuilt sections: count');
  const sections = trieFrom(s, (i) => rules.sections[i]!);
  // A section's value hangs on the node of its last word: that node's key.
  for (const a of s.at) if (a > 0) headerLastWords.add(s.keys[a - 1]!);
  return { trie, patterns, combined, sections, headerLastWords };
}

/** A section header found in the text, and the context it gives to the tokens after it. */
export interface SectionMark {
  /** Header tokens, inclusive (with its colon, if any). */
  firstToken: number;
  lastToken: number;
  /** null: the header resets context (an unknown header, a known neutral one, a blank line). */
  rule: SectionRule | null;
}

export interface FoundCue {
  rule: ContextRule;
  firstToken: number;
  lastToken: number;
}

export interface Sentence {
  /** Token range, inclusive. */
  firstToken: number;
  lastToken: number;
  /** Cut short by SENTENCE_REACH_TOKENS rather than ended by a boundary. */
  capped?: boolean;
  /** The grid step of the mention it was found for; a capped window serves that step only. */
  cell?: number;
  /** The header whose section this sentence is in, if that section gives a context. */
  section: SectionMark | null;
}

/** Words that end in a full stop without ending a sentence. */
const ABBREVIATIONS = wordSet([
  'vs',
  'dr',
  'mr',
  'mrs',
  'ms',
  'st',
  'approx',
  'pt',
  'pts',
  'hx',
  'dx',
  'fhx',
  'wk',
  'wks',
  'yr',
  'yrs',
  'min',
  'mo',
  'sec',
  'etc',
  'cf',
  'al',
  'fig',
  'hr',
  'hrs',
  'approx',
  'resp',
  'temp',
  'mg',
  'mcg',
]);

const NUMBER_ABBREVIATIONS = wordSet(['no', 'nos']);

/** Answers that keep "Aura? No." one clause: the question mark there asks, the answer follows. */
const SHORT_ANSWERS = wordSet([
  'no',
  'none',
  'yes',
  'y',
  'n',
  'neg',
  'negative',
  'denies',
  'denied',
  'pos',
  'positive',
]);

function code(tokens: Tokens, i: number): number {
  return tokens.ends[i]! - tokens.starts[i]! === 1 ? tokens.text.charCodeAt(tokens.starts[i]!) : -1;
}

function newlineBetween(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

/**
 * A small set of words, looked up by the token's hash, then compared letter by letter: no string
 * is made, for a miss or for a hit.
 */
interface WordSet {
  byHash: Map<number, string[]>;
}

function wordSet(words: string[]): WordSet {
  const byHash = new Map<number, string[]>();
  for (const w of words) {
    const h = hashKey(hashRange(w, 0, w.length));
    const same = byHash.get(h);
    if (!same) byHash.set(h, [w]);
    else if (!same.includes(w)) same.push(w);
  }
  return { byHash };
}

function wordIs(tokens: Tokens, i: number, set: WordSet): boolean {
  if (i < 0 || i >= tokens.count || tokens.kinds[i] !== 1) return false;
  const words = set.byHash.get(hashKey(tokens.hashes[i]!));
  if (words === undefined) return false;
  const text = tokens.text;
  const s = tokens.starts[i]!;
  const len = tokens.ends[i]! - s;
  for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    if (word.length !== len) continue;
    let k = 0;
    while (k < len && text.charCodeAt(s + k) === word.charCodeAt(k)) k++;
    if (k === len) return true;
  }
  return false;
}

/**
 * True when a sentence ends between token k-1 and token k: a line break, or a full stop, "!" or
 * "?" followed by a space (not the full stop of "Dr." or "e.g.", not the "?" of "Aura? No").
 */
function boundaryBefore(tokens: Tokens, k: number): boolean {
  const { text, starts, ends } = tokens;
  const gapStart = ends[k - 1]!;
  const gapEnd = starts[k]!;
  if (newlineBetween(text, gapStart, gapEnd)) return true;
  const c = code(tokens, k - 1);
  if (c === 59 /* ; */) return false;
  if (gapEnd === gapStart) return false;
  if (c === 33 /* ! */) return true;
  // A question mark ends a question ("Any aura? Denies."), not a "?" written before a term
  // ("? CSF leak"), and not one followed by its answer ("Aura? No").
  if (c === 63 /* ? */) return k >= 2 && ends[k - 2]! === gapStart - 1 && !wordIs(tokens, k, SHORT_ANSWERS);
  if (c === 46 /* . */ && k >= 2) {
    const prev = k - 2;
    if (tokens.kinds[prev] !== 1) return true;
    const len = ends[prev]! - starts[prev]!;
    // "e.g.", "a.m.": a one-letter word before the stop.
    if (len === 1 && !isDigit(text.charCodeAt(starts[prev]!))) return false;
    // "No." is "number" only before a number ("Lot No. 12"); otherwise it is an answer ("Aura? No.").
    if (wordIs(tokens, prev, NUMBER_ABBREVIATIONS)) return !(tokens.kinds[k] === 1 && isDigit(text.charCodeAt(gapEnd)));
    return !wordIs(tokens, prev, ABBREVIATIONS);
  }
  return false;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The section index of a text: every header, in order. Built once per text, only when it has
 * mentions; it looks at each line start and each colon, not at each token.
 */
export function indexSections(
  engine: ContextEngine,
  tokens: Tokens,
  isContent: (first: number, last: number) => boolean,
  /** Whether token k, the first of its line, is written with a capital (the original text's case). */
  capitalAt: (k: number) => boolean = () => false,
): SectionMark[] {
  const marks: SectionMark[] = [];
  const { text, count, starts } = tokens;
  let current: SectionRule | null = null;
  let contentSinceHeader = false;
  // The current section's header had its content beside it, and its rule ends it with the line.
  let inline = false;
  let t = 0;
  let lineStart = 0;
  let colon = text.indexOf(':');
  while (t < count) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    // Tokens of this line: [t, u), found by binary search (lines run to hundreds of tokens).
    while (t < count && starts[t]! < lineStart) t++;
    let lo = t;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < lineEnd) lo = mid + 1;
      else hi = mid;
    }
    const u = lo;
    if (u === t) {
      // A blank line ends a section that has had content: notes rarely close their sections.
      if (current && contentSinceHeader) {
        marks.push({ firstToken: t, lastToken: t - 1, rule: null });
        current = null;
      }
    } else {
      // "FHx: negative for migraine." then "Headache worse today": the next line is the note's
      // own again, unless it carries the line on (lower case, a bullet, a number).
      if (current && inline && startsAnew(tokens, t, capitalAt)) {
        marks.push({ firstToken: t, lastToken: t - 1, rule: null });
        current = null;
      }
      let next = t;
      if (colon !== -1 && colon < lineStart) colon = text.indexOf(':', lineStart);
      // A header is a few words at the line start, then a colon or the line's end.
      const h =
        mayStart(engine.sections, tokens, t) ||
        (colon !== -1 && colon < lineEnd && colon - lineStart < HEADER_MAX_CHARS)
          ? headerAt(engine, tokens, t, u, true, isContent)
          : null;
      if (h) {
        marks.push(h);
        current = h.rule && h.rule.category !== null ? h.rule : null;
        contentSinceHeader = false;
        inline = false;
        next = h.lastToken + 1;
      }
      // Headers in running text ("... no aura. Family History: mother ..."): a known header after a
      // sentence end, always with its colon. Colons are found once for the whole text.
      const from = next < u ? starts[next]! : lineEnd;
      if (colon !== -1 && colon < from) colon = text.indexOf(':', from);
      for (; colon !== -1 && colon < lineEnd; colon = text.indexOf(':', colon + 1)) {
        const c = tokenAt(tokens, colon);
        if (c < 1 || !engine.headerLastWords.has(hashKey(tokens.hashes[c - 1]!))) continue;
        let mid: SectionMark | null = null;
        for (let k = Math.max(next, c - HEADER_MAX_TOKENS); k < c && !mid; k++) {
          if (k === next || boundaryBefore(tokens, k)) {
            const m = headerAt(engine, tokens, k, c + 1, false, isContent);
            if (m && m.lastToken === c) mid = m;
          }
        }
        if (mid) {
          marks.push(mid);
          current = mid.rule && mid.rule.category !== null ? mid.rule : null;
          contentSinceHeader = false;
          inline = false;
          next = mid.lastToken + 1;
        }
      }
      if (next < u) {
        contentSinceHeader = true;
        const last = marks[marks.length - 1];
        if (last && last.lastToken >= t && last.rule === current) inline = !!current?.inlineEndsWithLine;
        // A line-only header with its content beside it ("Allergies: sulfa") ends with its line, or
        // with the sentence after it where the line goes on ("Allergies: NKDA. Takes rizatriptan").
        if (current?.lineOnly && last && last.rule === current && last.lastToken >= t) {
          let end = last.lastToken + 2;
          while (end < u && !boundaryBefore(tokens, end)) end++;
          marks.push({ firstToken: end, lastToken: end - 1, rule: null });
          current = null;
        }
      }
    }
    t = u;
    lineStart = lineEnd + 1;
  }
  return marks;
}

/**
 * Whether the line whose first token is k starts anew rather than carrying the line above on: its
 * first word begins with a capital letter. Lower case ("and stroke in father"), a bullet or a
 * number carry it on. Leading blanks say nothing: a page's block keeps the blanks of its source,
 * which the browser does not show.
 */
function startsAnew(tokens: Tokens, k: number, capitalAt: (k: number) => boolean): boolean {
  if (tokens.kinds[k] !== 1) return false;
  return !isDigit(tokens.text.charCodeAt(tokens.starts[k]!)) && capitalAt(k);
}

/** Scratch results of trie lookups; each is read right after the lookup that wrote it. */
const sectionHit = newTrieMatch<SectionRule>();
const cueHit = newTrieMatch<RuleRef>();

/**
 * A header starting at token k (before token `end`): known words then ":" (or the line's end, at a
 * line start). At a line start an unknown "Words:" also ends the section above, unless its words
 * are themselves content — a relative ("Mother: migraine"), a finding ("Migraine: mother"), any
 * context cue.
 */
function headerAt(
  engine: ContextEngine,
  tokens: Tokens,
  k: number,
  end: number,
  atLineStart: boolean,
  isContent: (first: number, last: number) => boolean,
): SectionMark | null {
  const limit = Math.min(end, k + HEADER_MAX_TOKENS);
  if (mayStart(engine.sections, tokens, k)) {
    const m = sectionHit;
    if (longestAt(engine.sections, tokens, k, limit, null, m)) {
      const after = m.lastToken + 1;
      if (after < end && code(tokens, after) === 58 /* : */) {
        return { firstToken: k, lastToken: after, rule: m.values[0]! };
      }
      if (atLineStart && after === end) return { firstToken: k, lastToken: m.lastToken, rule: m.values[0]! };
    }
  }
  if (!atLineStart || !isLetter(tokens.text.charCodeAt(tokens.starts[k]!))) return null;
  for (let j = k; j < Math.min(end, k + 5); j++) {
    if (code(tokens, j) === 58) {
      if (j === k || isContent(k, j - 1)) return null;
      if (mayStart(engine.trie, tokens, k) && longestAt(engine.trie, tokens, k, j, null, cueHit)) return null;
      return { firstToken: k, lastToken: j, rule: null };
    }
    if (tokens.kinds[j] !== 1) return null;
  }
  return null;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c > 127 && !isDigit(c));
}

/** The section mark governing token i (the last header before it), or null. */
export function sectionOf(marks: SectionMark[], i: number): SectionMark | null {
  let lo = 0;
  let hi = marks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid]!.lastToken < i) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const m = found >= 0 ? marks[found]! : null;
  return m && m.rule && m.rule.category !== null ? m : null;
}

/** The sentence around tokens [first, last]. */
/** The grid step of token i (see sentenceAround). */
export function windowCell(i: number): number {
  return Math.floor(i / WINDOW_STEP);
}

export function sentenceAround(tokens: Tokens, marks: SectionMark[], first: number, last: number): Sentence {
  // Text without sentence ends (a flattened table, a run-on note) is read in windows fixed to a
  // grid of WINDOW_STEP tokens, reaching SENTENCE_REACH_TOKENS past the step on either side: the
  // mentions of one step share a window, and so its cues are found once.
  const cell = Math.floor(first / WINDOW_STEP);
  const floor = Math.max(0, cell * WINDOW_STEP - SENTENCE_REACH_TOKENS);
  const limit = Math.min(tokens.count - 1, Math.max((cell + 1) * WINDOW_STEP + SENTENCE_REACH_TOKENS, last));
  let a = first;
  const mark = nearestMarkBefore(marks, first);
  const headerEnd = mark ? mark.lastToken : -1;
  while (a > floor && a - 1 > headerEnd && !boundaryBefore(tokens, a)) a--;
  let b = Math.max(last, first);
  const nextMark = nearestMarkAfter(marks, last);
  const nextHeader = nextMark ? nextMark.firstToken : tokens.count;
  while (b < limit && b + 1 < nextHeader && !boundaryBefore(tokens, b + 1)) b++;
  const capped =
    (a === floor && a > 0 && a - 1 > headerEnd && !boundaryBefore(tokens, a)) ||
    (b === limit && b < tokens.count - 1 && b + 1 < nextHeader && !boundaryBefore(tokens, b + 1));
  return { firstToken: a, lastToken: b, capped, cell, section: sectionOf(marks, first) };
}

function nearestMarkBefore(marks: SectionMark[], i: number): SectionMark | null {
  let lo = 0;
  let hi = marks.length - 1;
  let found: SectionMark | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid]!.lastToken < i) {
      found = marks[mid]!;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function nearestMarkAfter(marks: SectionMark[], i: number): SectionMark | null {
  let lo = 0;
  let hi = marks.length - 1;
  let found: SectionMark | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid]!.firstToken > i) {
      found = marks[mid]!;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  return found;
}

/**
 * Every cue in sentence `s`: the longest literal rule starting at each word, and every pattern
 * match. Where cues overlap, a pseudo-trigger removes the others (that is what it is for), and a
 * cue inside a longer one is part of it ("no" in "no history of"); cues of one kind that merely
 * overlap both stay ("is unclear" backward and "unclear whether" forward in "it is unclear
 * whether ..."), of different kinds the first wins.
 *
 * The answer depends on the sentence's own folded text and nothing around it (patterns run on its
 * slice, phrases stop at its last token), so analyze remembers it by that text: keep it so.
 */
export function findCues(engine: ContextEngine, tokens: Tokens, s: Sentence): FoundCue[] {
  const found: FoundCue[] = [];
  const to = s.lastToken + 1;
  if (engine.trie.size > 0) {
    const hit = cueHit;
    for (
      let i = nextStart(engine.trie, tokens, s.firstToken, to);
      i < to;
      i = nextStart(engine.trie, tokens, i + 1, to)
    ) {
      if (!longestAt(engine.trie, tokens, i, to, null, hit)) continue;
      const values = hit.values;
      const lastToken = hit.lastToken;
      for (let v = 0; v < values.length; v++) found.push({ rule: values[v]!.rule, firstToken: i, lastToken });
    }
  }
  const combined = engine.combined;
  if (engine.patterns.length > 0) {
    const from = tokens.starts[s.firstToken]!;
    const slice = tokens.text.slice(from, tokens.ends[s.lastToken]!);
    if (combined) {
      combined.lastIndex = 0;
      for (let m = combined.exec(slice); m !== null; m = combined.exec(slice)) {
        const at = m.index;
        // Where two patterns match at the same place, the first in rule order is taken (as a
        // longer literal is taken over a shorter one): one cue per place.
        for (const p of engine.patterns) {
          const own = p.group < 0 ? undefined : m[p.group];
          if (own !== undefined) {
            addPatternCue(found, tokens, s, p.rule, from + at, own);
            break;
          }
        }
        combined.lastIndex = at + 1;
      }
    }
    for (const p of engine.patterns) {
      if (p.group >= 0) continue;
      p.re.lastIndex = 0;
      for (let m = p.re.exec(slice); m !== null; m = p.re.exec(slice)) {
        if (m[0].length === 0) p.re.lastIndex++;
        else addPatternCue(found, tokens, s, p.rule, from + m.index, m[0]);
      }
    }
  }
  if (found.length < 2) return found;
  sortByPosition(found);
  let longest = 0;
  for (let i = 0; i < found.length; i++) longest = Math.max(longest, found[i]!.lastToken - found[i]!.firstToken);
  // Only neighbours can overlap: look back as far as the longest cue, forward to the cue's end.
  // Every verdict reads the whole list, so the list is compacted only once all are known.
  if (hidden.length < found.length) hidden = new Uint8Array(found.length * 2);
  for (let i = 0; i < found.length; i++) {
    const c = found[i]!;
    let hide = 0;
    for (let j = i - 1; j >= 0 && found[j]!.firstToken >= c.firstToken - longest && !hide; j--)
      if (hides(found[j]!, c)) hide = 1;
    for (let j = i + 1; j < found.length && found[j]!.firstToken <= c.lastToken && !hide; j++)
      if (hides(found[j]!, c)) hide = 1;
    hidden[i] = hide;
  }
  let kept = 0;
  for (let i = 0; i < found.length; i++) if (hidden[i] === 0) found[kept++] = found[i]!;
  if (kept < found.length) found.length = kept;
  return found;
}

/** findCues' verdicts, one per cue of the sentence at hand. */
let hidden = new Uint8Array(64);

/**
 * Sorts cues by first token, then last token, keeping the order of equal ones (as the stable
 * Array.prototype.sort would). Insertion: the literal cues come in order already and a sentence
 * has a handful of pattern cues, where the built-in sort allocates its work space on every call.
 */
function sortByPosition(cues: FoundCue[]): void {
  for (let i = 1; i < cues.length; i++) {
    const c = cues[i]!;
    let j = i - 1;
    while (
      j >= 0 &&
      (cues[j]!.firstToken > c.firstToken || (cues[j]!.firstToken === c.firstToken && cues[j]!.lastToken > c.lastToken))
    ) {
      cues[j + 1] = cues[j]!;
      j--;
    }
    cues[j + 1] = c;
  }
}

/**
 * Whether cue d removes cue c: a pseudo-trigger over any of its words, a longer cue around it, or
 * (cues of different kinds that share words) the one that starts first: "family history" keeps
 * its words from "history significant for", "not report" from "report any".
 */
function hides(d: FoundCue, c: FoundCue): boolean {
  if (!overlaps(d, c) || sameSpan(d, c)) return false;
  const pd = d.rule.category === 'pseudo';
  const pc = c.rule.category === 'pseudo';
  // A pseudo-trigger inside a longer cue is part of that cue's words: "not help" in "did not help".
  if (pd !== pc) return pd && !(c.firstToken < d.firstToken && d.lastToken <= c.lastToken);
  if (d.firstToken <= c.firstToken && c.lastToken <= d.lastToken) return true;
  if (c.firstToken <= d.firstToken && d.lastToken <= c.lastToken) return false;
  return d.rule.category !== c.rule.category && d.firstToken < c.firstToken;
}

function overlaps(a: FoundCue, b: FoundCue): boolean {
  return a.firstToken <= b.lastToken && b.firstToken <= a.lastToken;
}

function sameSpan(a: FoundCue, b: FoundCue): boolean {
  return a.firstToken === b.firstToken && a.lastToken === b.lastToken;
}

/** Adds a pattern's match at folded offset `at` as a cue over the tokens it covers. */
function addPatternCue(found: FoundCue[], tokens: Tokens, s: Sentence, rule: ContextRule, at: number, match: string) {
  if (match.length === 0) return;
  // Leading or trailing blanks in a match belong to no token.
  const lead = match.length - match.trimStart().length;
  const trail = match.length - match.trimEnd().length;
  if (lead + trail >= match.length) return;
  let a = tokenAt(tokens, at + lead);
  // A match that begins on a separator (the hyphen of "Nausea - no") begins at the next token,
  // not at the word before it: that word is the finding the cue speaks of, and a cue over a
  // finding's own words is no cue for it.
  if (a >= 0 && tokens.ends[a]! <= at + lead) a++;
  const b = tokenAt(tokens, at + match.length - trail - 1);
  if (a < s.firstToken || b > s.lastToken || b < a) return;
  found.push({ rule, firstToken: a, lastToken: b });
}

/** Words that may sit between a negation and a history cue that it absorbs ("denies any prior"). */
const NEGATED_HISTORY_FILLER = wordSet([
  'any',
  'a',
  'known',
  'significant',
  'personal',
  'documented',
  'the',
  'prior',
  'previous',
  'past',
]);

/**
 * Drops cues that are not cues here: those inside another mention's words (the "without" of
 * "migraine without aura"), and a history cue right after a negation ("no history of", "denies
 * prior"): what is denied is that it ever happened, not that it is past. A forward cue whose last
 * words are a mention's first ("no new" before "new weakness") is kept, cut short before the
 * mention: it speaks of what follows. `cues` hold token indices relative to `offset` (a
 * sentence's first token, see findCues); the cues kept come back with absolute ones, as new
 * records. `mentionIn` gives the first token of the first mention overlapping a token range, or -1.
 */
export function pruneCues(
  cues: readonly FoundCue[],
  offset: number,
  tokens: Tokens,
  mentionIn: (first: number, last: number) => number,
): FoundCue[] {
  const out: FoundCue[] = [];
  for (let i = 0; i < cues.length; i++) {
    const c = cues[i]!;
    const firstToken = c.firstToken + offset;
    let lastToken = c.lastToken + offset;
    const mention = mentionIn(firstToken, lastToken);
    if (mention >= 0) {
      if (mention <= firstToken || c.rule.direction !== 'forward') continue;
      lastToken = mention - 1;
    }
    if (c.rule.category === 'historical' && (c.rule.direction === 'forward' || c.rule.direction === 'both')) {
      // The last negation kept before it.
      let neg: FoundCue | null = null;
      for (let p = out.length - 1; p >= 0 && neg === null; p--) {
        const q = out[p]!;
        if (q.rule.category === 'negated' && opens(q) && q.lastToken < firstToken) neg = q;
      }
      if (neg && onlyFillerBetween(tokens, neg.lastToken, firstToken)) continue;
    }
    out.push({ rule: c.rule, firstToken, lastToken });
  }
  return out;
}

function onlyFillerBetween(tokens: Tokens, from: number, to: number): boolean {
  for (let k = from + 1; k < to; k++) if (!wordIs(tokens, k, NEGATED_HISTORY_FILLER)) return false;
  return true;
}

/**
 * The context flags applyCues found for one mention, each with the cue or section that set it, in
 * the order the flags were first set. Owned by the caller and overwritten by each applyCues.
 */
export interface Applied {
  count: number;
  flags: ContextFlag[];
  /** The phrase cue that set flags[i], or null where a section header did. */
  cues: (FoundCue | null)[];
  sections: (SectionMark | null)[];
  distances: number[];
}

export function newApplied(): Applied {
  return { count: 0, flags: [], cues: [], sections: [], distances: [] };
}

/**
 * Whether cue c ends the scope of cues of kind `flag`: a terminator for every kind (category
 * "terminate"), or one for this kind alone (category `flag`, direction "terminate"), the way
 * medspaCy scopes its terminators: ", has" ends a negation ("no fever, has headache") but not a
 * relative's ("father, 62, has migraines").
 */
function ends(c: FoundCue, flag: ContextFlag): boolean {
  return c.rule.direction === 'terminate' && (c.rule.category === 'terminate' || c.rule.category === flag);
}

/** Whether the section a mention is in makes this cue no cue (a plan's bullet, see ContextRule). */
function silenced(c: FoundCue, sectionFlag: ContextFlag | null): boolean {
  const not = c.rule.notInSection;
  return not !== undefined && sectionFlag !== null && not.includes(sectionFlag);
}

/** A cue that opens a scope (not a terminator, not a pseudo-trigger). */
function opens(c: FoundCue): boolean {
  return (
    c.rule.direction !== 'terminate' &&
    c.rule.direction !== 'pseudo' &&
    c.rule.category !== 'terminate' &&
    c.rule.category !== 'pseudo'
  );
}

const LIST_WORDS = wordSet(['or', 'and', 'nor']);

/**
 * Whether a cue ending before token `from` reaches token `to` (or, backward, a cue starting after
 * `to` reaches back to `from`): at most `scope` words between them, or any number of short list
 * items; never across a terminator.
 */
function reaches(
  tokens: Tokens,
  cues: FoundCue[],
  from: number,
  to: number,
  scope: number,
  flag: ContextFlag,
): boolean {
  // Only cues between the two ends matter; cues are sorted by position.
  for (const c of cues) {
    if (c.firstToken >= to) break;
    if (c.firstToken > from && c.lastToken < to && ends(c, flag)) return false;
  }
  let words = 0;
  let item = 0;
  let longestItem = 0;
  let separators = 0;
  for (let k = from + 1; k < to; k++) {
    if (tokens.kinds[k] === 1) {
      if (wordIs(tokens, k, LIST_WORDS)) {
        item = 0;
        separators++;
        continue;
      }
      words++;
      item++;
      if (item > longestItem) longestItem = item;
    } else {
      const c = code(tokens, k);
      if (c === 44 /* , */ || c === 47 /* / */) {
        item = 0;
        separators++;
      }
    }
  }
  return words <= scope || (separators > 0 && longestItem <= LIST_ITEM_WORDS);
}

/** Function words that let two cues chain: "no family history of", "mother with possible". */
const CHAIN_FILLER = wordSet([
  'a',
  'an',
  'the',
  'any',
  'of',
  'with',
  'w',
  'has',
  'have',
  'had',
  'having',
  'known',
  'significant',
  'personal',
  'strong',
  'is',
  'was',
  'are',
  'were',
  'be',
  'been',
  'to',
  'for',
  'in',
  'her',
  'his',
  'their',
  'also',
  'both',
]);

/**
 * A cue's scope ends where a cue of another kind opens a new clause between it and the mention:
 * in "denies headache, possible aura" the aura is possible, not denied. Cues that follow each
 * other with only function words between them chain instead ("no family history of migraine" is
 * negated and family).
 */
/** Words that make what follows them the time of the thing asked about, not the thing itself. */
const CIRCUMSTANCE = wordSet(['during', 'before', 'after', 'between']);
const CIRCUMSTANCE_DETERMINER = wordSet(['the', 'a', 'an', 'her', 'his', 'their', 'each', 'every', 'any']);
/**
 * The episode itself, which a question about its features takes as given. Not a trigger or an
 * event: "Headache after head trauma: no" asks about the trauma.
 */
const EPISODE = wordSet([
  'aura',
  'auras',
  'headache',
  'headaches',
  'ha',
  'attack',
  'attacks',
  'migraine',
  'migraines',
  'episode',
  'episodes',
]);

/**
 * Whether the mention [first, last] is the episode during (before, after) which the thing asked
 * about happens, with that thing on the other side of the link before the answer at `answer`:
 * "Weakness during aura: no" and "Headache after exertion: no" deny the weakness and the exertion
 * and take the aura and the headache as given.
 */
function inCircumstance(tokens: Tokens, s: Sentence, first: number, last: number, answer: number): boolean {
  if (!wordIs(tokens, first, EPISODE)) return false;
  const p = linkBefore(tokens, first);
  if (p >= 0) return hasWord(tokens, s.firstToken, p);
  let q = last + 1;
  if (!wordIs(tokens, q, CIRCUMSTANCE)) return false;
  if (wordIs(tokens, q + 1, CIRCUMSTANCE_DETERMINER)) q++;
  // "Aura before headache: no": the aura is what is asked about, the headache its time.
  if (wordIs(tokens, q + 1, EPISODE)) return false;
  return hasWord(tokens, q + 1, answer);
}

/**
 * The link word (during, before, after, between) just before the episode mention at `first`, as a
 * token index ("weakness during [the] aura"), or -1.
 */
function linkBefore(tokens: Tokens, first: number): number {
  if (!wordIs(tokens, first, EPISODE)) return -1;
  let p = first - 1;
  if (wordIs(tokens, p, CIRCUMSTANCE_DETERMINER)) p--;
  return wordIs(tokens, p, CIRCUMSTANCE) ? p : -1;
}

/** Whether a word lies among the tokens [from, to). */
function hasWord(tokens: Tokens, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (tokens.kinds[k] === 1) return true;
  return false;
}

/**
 * Words that make a comma-separated part a clause of its own (an onset, a course, a medicine
 * taken) rather than one more item of the list a cue before the comma opened: "Denies fever,
 * worst headache of her life started at noon" and "Not on anticoagulation, takes aspirin daily"
 * report the headache and the aspirin. A whole list's closing participle ("No rash, petechiae or
 * neck stiffness noted") is not among them: it belongs to every item. Nor is a bare "today":
 * "Denies headache, nausea today" denies both, and so "Not on blood thinners, headache today"
 * still reads as a denial of the headache. Weaker words (a comparison, a "since", a part of the
 * day) count only in the one item after the cue's comma (see WEAK_CLAUSE_WORDS).
 */
const CLAUSE_WORDS = wordSet([
  'started',
  'starting',
  'starts',
  'began',
  'begun',
  'begins',
  'beginning',
  'developed',
  'woke',
  'awoke',
  'persists',
  'persisting',
  'continues',
  'continuing',
  'ongoing',
  'worsening',
  'worsened',
  'is',
  'was',
  'has',
  'remains',
  'takes',
  'taking',
  'uses',
  'using',
]);
/**
 * Words that make a clause only of a part that is the one item after the cue's comma and no list
 * itself: "No fever, headache worse with light" and "No nausea, headache since Tuesday" report the
 * headache, where "Denies chest pain, palpitations, headache worse than baseline" and "Denies
 * fever, chills or nausea since discharge" deny every item. A comparison ("worse than") is the
 * item's own words.
 */
const WEAK_CLAUSE_WORDS = wordSet(['worse', 'better', 'improving', 'improved', 'since']);
const THAN = wordSet(['than']);
const DAY_PART_LEAD = wordSet(['this', 'last']);
const DAY_PART = wordSet(['morning', 'afternoon', 'evening', 'night']);

/**
 * Whether the mention [first, last] stands in a clause of its own, set off by a comma from a cue
 * that took a word of its own on its side of that comma: the words of the mention's
 * comma-separated part say so (see CLAUSE_WORDS). `cueLast` ends a cue before the mention;
 * `cueFirst` begins one after it ("Thunderclap headache began at noon, neck stiffness: denied").
 * A part of the day counts only as a weak word does (see WEAK_CLAUSE_WORDS): "No headache,
 * nausea or vomiting this morning" denies all three.
 */
function ownClause(tokens: Tokens, s: Sentence, first: number, last: number, cueLast: number, cueFirst = -1): boolean {
  const forward = cueFirst < 0;
  // The comma between the cue and the mention nearest the mention, and the one nearest the cue.
  let nearMention = -1;
  let nearCue = -1;
  const lo = forward ? cueLast + 1 : last + 1;
  const hi = forward ? first - 1 : cueFirst - 1;
  for (let k = lo; k <= hi; k++) {
    if (code(tokens, k) !== 44 /* , */) continue;
    if (forward) {
      if (nearCue < 0) nearCue = k;
      nearMention = k;
    } else {
      if (nearMention < 0) nearMention = k;
      nearCue = k;
    }
  }
  if (nearMention < 0) return false;
  // The cue must have taken something on its side of the comma: a relative set off by commas is
  // the subject of what follows ("Father, 62, has migraines"), not a list of his own.
  let took = false;
  for (let k = forward ? cueLast + 1 : nearCue + 1; k < (forward ? nearCue : cueFirst) && !took; k++)
    took = tokens.kinds[k] === 1;
  if (!took) return false;
  // The mention's part: from the comma before it (or the sentence's start) to the comma after it.
  let from = forward ? nearMention + 1 : first;
  if (!forward) while (from > s.firstToken && !partEnd(tokens, from - 1)) from--;
  // Weak words count in the one item after the cue's comma (see WEAK_CLAUSE_WORDS).
  let list = nearCue !== nearMention;
  for (let k = from; k <= s.lastToken && (forward || k < nearMention); k++) {
    if (k >= first && k <= last) continue;
    if (tokens.kinds[k] !== 1) {
      if (partEnd(tokens, k)) return false;
      continue;
    }
    if (wordIs(tokens, k, CLAUSE_WORDS)) return true;
    if (wordIs(tokens, k, LIST_WORDS)) list = true;
    else if (list) continue;
    else if (wordIs(tokens, k, WEAK_CLAUSE_WORDS) && !wordIs(tokens, k + 1, THAN)) return true;
    else if (wordIs(tokens, k, DAY_PART_LEAD) && wordIs(tokens, k + 1, DAY_PART)) return true;
  }
  return false;
}

/** A comma, semicolon or colon: the end of a comma-separated part. */
function partEnd(tokens: Tokens, k: number): boolean {
  const c = code(tokens, k);
  return c === 44 /* , */ || c === 59 /* ; */ || c === 58; /* : */
}

/**
 * Whether a spaced dash stands between the cue ending at `cueLast` and the mention at `first`,
 * after a word the cue took: chart style for a new clause ("History of schizophrenia - ketamine not
 * appropriate"). A dash right after the cue is its label ("Family history - migraine in mother").
 */
function dashAfterItem(tokens: Tokens, cueLast: number, first: number): boolean {
  const text = tokens.text;
  for (let k = cueLast + 1; k < first; k++) {
    if (tokens.kinds[k] !== 1) continue;
    // The gap after word k, up to the next token.
    const from = tokens.ends[k]!;
    const to = tokens.starts[k + 1]!;
    for (let i = from + 1; i < to - 1; i++) {
      const c = text.charCodeAt(i);
      if (isDash(c) && isBlank(text.charCodeAt(i - 1)) && isBlank(text.charCodeAt(i + 1))) return true;
    }
  }
  return false;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** A hyphen, an en dash or an em dash. */
function isDash(c: number): boolean {
  return c === 45 || c === 0x2013 || c === 0x2014;
}

/**
 * Whether a colon or a dash follows the cue ending at token `cueLast`: the cue labels what follows
 * ("Father - HTN"). A hyphen is no token (it separates words), so the text is read.
 */
function labelAfter(tokens: Tokens, cueLast: number): boolean {
  const text = tokens.text;
  let k = tokens.ends[cueLast]!;
  while (k < text.length && isBlank(text.charCodeAt(k))) k++;
  const c = text.charCodeAt(k);
  return c === 58 /* : */ || isDash(c);
}

/**
 * Whether the mention [first, last] is the episode during (before, after) which a thing named
 * after the forward denial ending at `cueLast` happens: "Denies motor weakness during aura" denies
 * the weakness and takes the aura as given (see inCircumstance for answers after the question).
 */
function episodeOfDenied(tokens: Tokens, cueLast: number, first: number): boolean {
  const p = linkBefore(tokens, first);
  return p >= 0 && hasWord(tokens, cueLast + 1, p);
}

function interrupted(tokens: Tokens, cues: FoundCue[], cue: FoundCue, first: number, last: number): boolean {
  // A condition covers its whole consequence: "if HA persists, consider admission for status
  // migrainosus" keeps status migrainosus hypothetical.
  if (cue.rule.category === 'hypothetical') return false;
  // Whose it is and when it was are two questions: a history cue after a relative answers the
  // second and leaves the first as it was ("Father: hx of migraines" is the father's, and past).
  const family = cue.rule.category === 'family';
  const forward = cue.lastToken < first;
  const end = forward ? first : cue.firstToken;
  for (const d of cues) {
    if (d.firstToken >= end) break; // cues are sorted by position
    if (!opens(d) || d.rule.category === cue.rule.category || d === cue) continue;
    if (family && d.rule.category === 'historical') continue;
    // A relative's label ("Father - HTN, no headaches") heads its line: a denial on it is the
    // relative's too.
    if (family && d.rule.category === 'negated' && labelAfter(tokens, cue.lastToken)) continue;
    if (forward) {
      if (d.firstToken <= cue.lastToken || d.lastToken >= first) continue;
      if (d.rule.direction !== 'forward' && d.rule.direction !== 'both') continue;
      // A relative's label chains through its colon: "Mother: no migraines" is her denial.
      if (hasContentBetween(tokens, cue.lastToken, d.firstToken, family)) return true;
    } else {
      if (d.firstToken <= last || d.lastToken >= cue.firstToken) continue;
      if (d.rule.direction !== 'backward' && d.rule.direction !== 'both') continue;
      if (hasContentBetween(tokens, d.lastToken, cue.firstToken)) return true;
    }
  }
  return false;
}

/**
 * Words other than function words, or punctuation (a comma ends a chain: "two children, no aura");
 * with `colonChains`, a colon right after the cue does not.
 */
function hasContentBetween(tokens: Tokens, from: number, to: number, colonChains = false): boolean {
  for (let k = from + 1; k < to; k++) {
    if (colonChains && k === from + 1 && code(tokens, k) === 58 /* : */) continue;
    if (tokens.kinds[k] !== 1 || !wordIs(tokens, k, CHAIN_FILLER)) return true;
  }
  return false;
}

/** Sets `flag` to the cue at distance d, unless a nearer (or as near) cue set it already. */
function setNearest(
  best: Applied,
  flag: ContextFlag,
  cue: FoundCue | null,
  section: SectionMark | null,
  d: number,
): void {
  for (let i = 0; i < best.count; i++) {
    if (best.flags[i] !== flag) continue;
    if (d < best.distances[i]!) {
      best.cues[i] = cue;
      best.sections[i] = section;
      best.distances[i] = d;
    }
    return;
  }
  const n = best.count++;
  best.flags[n] = flag;
  best.cues[n] = cue;
  best.sections[n] = section;
  best.distances[n] = d;
}

function hasNearer(best: Applied, flag: ContextFlag, d: number): boolean {
  for (let i = 0; i < best.count; i++) if (best.flags[i] === flag && best.distances[i]! <= d) return true;
  return false;
}

function hasFlag(best: Applied, flag: ContextFlag): boolean {
  for (let i = 0; i < best.count; i++) if (best.flags[i] === flag) return true;
  return false;
}

/**
 * How far a cue can reach at most, in tokens, lists included: a negation that has run over fifty
 * words of list is not the author's any more, and the bound keeps each mention's cost fixed.
 */
const MAX_REACH_TOKENS = 100;

/**
 * The context flags that apply to a mention spanning tokens [first, last] of sentence `s`, with the
 * cue that set each: the nearest that reaches. Cues are tried nearest first on each side, and a
 * kind already set by a nearer cue is not tried again.
 */
export function applyCues(
  tokens: Tokens,
  cues: FoundCue[],
  s: Sentence,
  first: number,
  last: number,
  best: Applied,
): number {
  best.count = 0;
  if (cues.length === 0 && !s.section) return 0;
  const sectionFlag = s.section?.rule?.category ?? null;
  // Cues before the mention (or running into it), nearest first.
  let k = cues.length - 1;
  while (k >= 0 && cues[k]!.firstToken > last) k--;
  for (let j = k; j >= 0; j--) {
    const cue = cues[j]!;
    if (first - cue.lastToken > MAX_REACH_TOKENS) break;
    if (!opens(cue) || silenced(cue, sectionFlag)) continue;
    const cat = cue.rule.category as ContextFlag;
    const dir = cue.rule.direction;
    const forward = dir === 'forward' || dir === 'both';
    if (cue.lastToken >= first) {
      // A cue that runs into the mention ("no new" before "new weakness") still reaches it from
      // its side; one wholly inside the mention is part of its words.
      const before = cue.firstToken < first && forward;
      const after = cue.lastToken > last && (dir === 'backward' || dir === 'both');
      if (before || after) setNearest(best, cat, cue, null, 0);
      continue;
    }
    const distance = first - cue.lastToken;
    if (!forward || hasNearer(best, cat, distance)) continue;
    // A denial with a comma right after it has denied nothing ahead of it: "Nausea no, vomiting
    // yes" answers for the nausea (a backward rule reads that).
    if (cat === 'negated' && code(tokens, cue.lastToken + 1) === 44 /* , */) continue;
    if (cat === 'negated' && episodeOfDenied(tokens, cue.lastToken, first)) continue;
    if (cat !== 'hypothetical' && dashAfterItem(tokens, cue.lastToken, first)) continue;
    if (
      reaches(tokens, cues, cue.lastToken, first, cue.rule.maxScope ?? DEFAULT_SCOPE_WORDS, cat) &&
      !interrupted(tokens, cues, cue, first, last) &&
      // A condition covers its whole consequence, clause or not (see interrupted).
      (cat === 'hypothetical' || !ownClause(tokens, s, first, last, cue.lastToken))
    )
      setNearest(best, cat, cue, null, distance);
  }
  // Cues after the mention, nearest first.
  for (let j = k + 1; j < cues.length; j++) {
    const cue = cues[j]!;
    if (cue.firstToken - last > MAX_REACH_TOKENS) break;
    if (!opens(cue) || cue.firstToken <= last || silenced(cue, sectionFlag)) continue;
    const cat = cue.rule.category as ContextFlag;
    const dir = cue.rule.direction;
    if (dir !== 'backward' && dir !== 'both') continue;
    const distance = cue.firstToken - last;
    if (hasNearer(best, cat, distance)) continue;
    if (cat === 'negated' && inCircumstance(tokens, s, first, last, cue.firstToken)) continue;
    if (
      reaches(tokens, cues, last, cue.firstToken, cue.rule.maxScope ?? DEFAULT_SCOPE_WORDS, cat) &&
      !interrupted(tokens, cues, cue, first, last) &&
      (cat === 'hypothetical' || !ownClause(tokens, s, first, last, -1, cue.firstToken))
    )
      setNearest(best, cat, cue, null, distance);
  }
  // A header gives its context to everything after it in its section ("FHx: father w/ MwA").
  const sec = s.section;
  if (sec?.rule?.category && !hasFlag(best, sec.rule.category) && first > sec.lastToken) {
    setNearest(best, sec.rule.category, null, sec, 0);
  }
  return best.count;
}
