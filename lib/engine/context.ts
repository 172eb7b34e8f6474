/**
 * Context (assertion) classification in the manner of ConText (Harkema et al., J Biomed Inform
 * 2009;42(5):839-51): trigger phrases with a direction open a scope over the words around them;
 * terminators and the sentence end close it; pseudo-triggers ("no increase") are matched
 * longest-first so the trigger inside them ("no") never fires. Section headers ("Family
 * History:") give their context to everything under them. The rules themselves are data:
 * knowledge/context/*.json.
 */
import { fold } from './normalize';
import { longestAt, mayStart, newTrie, phraseTokens, tokenAt, trieInsert, type Tokens, type Trie } from './tokens';
import type { CompiledContextRules, ContextFlag, ContextRule, SectionRule } from './types';

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
 * A sentence is looked for at most this many tokens either side of a finding: text without any
 * full stop or line break (a flattened table, a run-on note) must not make each finding cost a
 * scan of the whole page. Far beyond every cue's reach.
 */
const SENTENCE_REACH_TOKENS = 120;

/** How many tokens a section header may have (the longest known is "family medical history"). */
const HEADER_MAX_TOKENS = 6;

interface RuleRef {
  rule: ContextRule;
}

export interface ContextEngine {
  trie: Trie<RuleRef>;
  patterns: { re: RegExp; rule: ContextRule }[];
  sections: Trie<SectionRule>;
}

export function createContextEngine(rules: CompiledContextRules): ContextEngine {
  const trie = newTrie<RuleRef>();
  const patterns: ContextEngine['patterns'] = [];
  for (const rule of rules.rules) {
    if (rule.pattern) patterns.push({ re: new RegExp(rule.pattern, 'giu'), rule });
    else trieInsert(trie, phraseTokens(fold(rule.literal).text), { rule });
  }
  const sections = newTrie<SectionRule>();
  for (const s of rules.sections) trieInsert(sections, phraseTokens(fold(s.literal).text), s);
  return { trie, patterns, sections };
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
  /** The header whose section this sentence is in, if that section gives a context. */
  section: SectionMark | null;
}

/** Words that end in a full stop without ending a sentence. */
const ABBREVIATIONS = new Set([
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

const NUMBER_ABBREVIATIONS = new Set(['no', 'nos']);

/** Answers that keep "Aura? No." one clause: the question mark there asks, the answer follows. */
const SHORT_ANSWERS = new Set([
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

function wordIs(tokens: Tokens, i: number, words: Set<string>): boolean {
  if (i < 0 || i >= tokens.count || tokens.kinds[i] !== 1) return false;
  const len = tokens.ends[i]! - tokens.starts[i]!;
  if (len > 8) return false;
  return words.has(tokens.text.slice(tokens.starts[i]!, tokens.ends[i]!));
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
): SectionMark[] {
  const marks: SectionMark[] = [];
  const { text, count, starts } = tokens;
  let current: SectionRule | null = null;
  let contentSinceHeader = false;
  let t = 0;
  let lineStart = 0;
  let colon = text.indexOf(':');
  while (t < count) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    // Tokens of this line: [t, u).
    while (t < count && starts[t]! < lineStart) t++;
    let u = t;
    while (u < count && starts[u]! < lineEnd) u++;
    if (u === t) {
      // A blank line ends a section that has had content: notes rarely close their sections.
      if (current && contentSinceHeader) {
        marks.push({ firstToken: t, lastToken: t - 1, rule: null });
        current = null;
      }
    } else {
      let next = t;
      const h = headerAt(engine, tokens, t, u, true, isContent);
      if (h) {
        marks.push(h);
        current = h.rule && h.rule.category !== null ? h.rule : null;
        contentSinceHeader = false;
        next = h.lastToken + 1;
      }
      // Headers in running text ("... no aura. Family History: mother ..."): a known header after a
      // sentence end, always with its colon. Colons are found once for the whole text.
      const from = next < u ? starts[next]! : lineEnd;
      if (colon !== -1 && colon < from) colon = text.indexOf(':', from);
      for (; colon !== -1 && colon < lineEnd; colon = text.indexOf(':', colon + 1)) {
        const c = tokenAt(tokens, colon);
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
          next = mid.lastToken + 1;
        }
      }
      if (next < u) contentSinceHeader = true;
    }
    t = u;
    lineStart = lineEnd + 1;
  }
  return marks;
}

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
    const m = longestAt(engine.sections, tokens, k, limit, null);
    if (m) {
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
      if (mayStart(engine.trie, tokens, k) && longestAt(engine.trie, tokens, k, j, null)) return null;
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
export function sentenceAround(tokens: Tokens, marks: SectionMark[], first: number, last: number): Sentence {
  let a = first;
  const floor = Math.max(0, first - SENTENCE_REACH_TOKENS);
  const mark = nearestMarkBefore(marks, first);
  const headerEnd = mark ? mark.lastToken : -1;
  while (a > floor && a - 1 > headerEnd && !boundaryBefore(tokens, a)) a--;
  let b = last;
  const ceil = Math.min(tokens.count - 1, last + SENTENCE_REACH_TOKENS);
  const nextMark = nearestMarkAfter(marks, last);
  const nextHeader = nextMark ? nextMark.firstToken : tokens.count;
  while (b < ceil && b + 1 < nextHeader && !boundaryBefore(tokens, b + 1)) b++;
  return { firstToken: a, lastToken: b, section: sectionOf(marks, first) };
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
 * Every cue in sentence `s`. Literal rules match leftmost-longest; pattern rules fill in. Where
 * candidates overlap, a pseudo-trigger wins (that is what it is for), then the longer phrase.
 */
export function findCues(engine: ContextEngine, tokens: Tokens, s: Sentence): FoundCue[] {
  const cues: FoundCue[] = [];
  const to = s.lastToken + 1;
  if (engine.trie.size > 0) {
    for (let i = s.firstToken; i < to; i++) {
      if (!mayStart(engine.trie, tokens, i)) continue;
      const m = longestAt(engine.trie, tokens, i, to, null);
      if (!m) continue;
      for (const v of m.values) cues.push({ rule: v.rule, firstToken: i, lastToken: m.lastToken });
      i = m.lastToken;
    }
  }
  if (engine.patterns.length === 0) return cues;
  const from = tokens.starts[s.firstToken]!;
  const slice = tokens.text.slice(from, tokens.ends[s.lastToken]!);
  const found: FoundCue[] = [];
  for (const { re, rule } of engine.patterns) {
    re.lastIndex = 0;
    for (const m of slice.matchAll(re)) {
      if (m[0].length === 0) continue;
      // Leading or trailing blanks in a match belong to no token.
      const lead = m[0].length - m[0].trimStart().length;
      const trail = m[0].length - m[0].trimEnd().length;
      if (lead + trail >= m[0].length) continue;
      const a = tokenAt(tokens, from + m.index + lead);
      const b = tokenAt(tokens, from + m.index + m[0].length - trail - 1);
      if (a < s.firstToken || b > s.lastToken || b < a) continue;
      found.push({ rule, firstToken: a, lastToken: b });
    }
  }
  if (found.length === 0) return cues;
  const all = [...cues, ...found];
  const rank = (c: FoundCue) => (c.rule.category === 'pseudo' ? 1e6 : 0) + (c.lastToken - c.firstToken);
  const order = all.map((c, i) => ({ c, i })).sort((x, y) => rank(y.c) - rank(x.c) || x.i - y.i);
  const kept: FoundCue[] = [];
  for (const { c } of order) {
    const clash = kept.some(
      (k) =>
        k.firstToken <= c.lastToken &&
        c.firstToken <= k.lastToken &&
        !(
          k.firstToken === c.firstToken &&
          k.lastToken === c.lastToken &&
          k.rule.category !== 'pseudo' &&
          c.rule.category !== 'pseudo'
        ),
    );
    if (!clash) kept.push(c);
  }
  kept.sort((x, y) => x.firstToken - y.firstToken || x.lastToken - y.lastToken);
  return kept;
}

/** Words that may sit between a negation and a history cue that it absorbs ("denies any prior"). */
const NEGATED_HISTORY_FILLER = new Set([
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
 * prior"): what is denied is that it ever happened, not that it is past.
 */
export function pruneCues(
  cues: FoundCue[],
  tokens: Tokens,
  insideMention: (first: number, last: number) => boolean,
): FoundCue[] {
  const out: FoundCue[] = [];
  for (const c of cues) {
    if (insideMention(c.firstToken, c.lastToken)) continue;
    if (c.rule.category === 'historical' && c.rule.direction !== 'backward') {
      const neg = out.findLast((p) => p.rule.category === 'negated' && p.lastToken < c.firstToken);
      if (neg && onlyFillerBetween(tokens, neg.lastToken, c.firstToken)) continue;
    }
    out.push(c);
  }
  return out;
}

function onlyFillerBetween(tokens: Tokens, from: number, to: number): boolean {
  for (let k = from + 1; k < to; k++) if (!wordIs(tokens, k, NEGATED_HISTORY_FILLER)) return false;
  return true;
}

export interface Applied {
  flag: ContextFlag;
  cue: FoundCue | null;
  section: SectionMark | null;
}

const LIST_WORDS = new Set(['or', 'and', 'nor', 'and/or']);

/**
 * Whether a cue ending before token `from` reaches token `to` (or, backward, a cue starting after
 * `to` reaches back to `from`): at most `scope` words between them, or any number of short list
 * items; never across a terminator.
 */
function reaches(tokens: Tokens, cues: FoundCue[], from: number, to: number, scope: number): boolean {
  for (const c of cues) {
    if (c.rule.category === 'terminate' && c.firstToken > from && c.lastToken < to) return false;
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
const CHAIN_FILLER = new Set([
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
function interrupted(tokens: Tokens, cues: FoundCue[], cue: FoundCue, first: number, last: number): boolean {
  // A condition covers its whole consequence: "if HA persists, consider admission for status
  // migrainosus" keeps status migrainosus hypothetical.
  if (cue.rule.category === 'hypothetical') return false;
  const forward = cue.lastToken < first;
  for (const d of cues) {
    const cat = d.rule.category;
    if (cat === 'terminate' || cat === 'pseudo' || cat === cue.rule.category || d === cue) continue;
    if (forward) {
      if (d.firstToken <= cue.lastToken || d.lastToken >= first) continue;
      if (d.rule.direction !== 'forward' && d.rule.direction !== 'both') continue;
      if (hasContentBetween(tokens, cue.lastToken, d.firstToken)) return true;
    } else {
      if (d.firstToken <= last || d.lastToken >= cue.firstToken) continue;
      if (d.rule.direction !== 'backward' && d.rule.direction !== 'both') continue;
      if (hasContentBetween(tokens, d.lastToken, cue.firstToken)) return true;
    }
  }
  return false;
}

/** Words other than function words, or punctuation (a comma ends a chain: "two children, no aura"). */
function hasContentBetween(tokens: Tokens, from: number, to: number): boolean {
  for (let k = from + 1; k < to; k++) if (tokens.kinds[k] !== 1 || !wordIs(tokens, k, CHAIN_FILLER)) return true;
  return false;
}

/**
 * The context flags that apply to a mention spanning tokens [first, last] of sentence `s`, with the
 * cue that set each (the nearest, where several do).
 */
export function applyCues(tokens: Tokens, cues: FoundCue[], s: Sentence, first: number, last: number): Applied[] {
  const applied = new Map<ContextFlag, Applied & { distance: number }>();
  for (const cue of cues) {
    const cat = cue.rule.category;
    if (cat === 'terminate' || cat === 'pseudo') continue;
    const dir = cue.rule.direction;
    const forward = dir === 'forward' || dir === 'both';
    const backward = dir === 'backward' || dir === 'both';
    if (cue.firstToken <= last && first <= cue.lastToken) {
      // A cue that runs into the mention ("no new" before "new weakness") still reaches it from
      // its side; one wholly inside the mention is part of its words.
      const before = cue.firstToken < first && forward;
      const after = cue.lastToken > last && backward;
      if (!before && !after) continue;
      const prev = applied.get(cat);
      if (!prev || prev.distance > 0) applied.set(cat, { flag: cat, cue, section: null, distance: 0 });
      continue;
    }
    const scope = cue.rule.maxScope ?? DEFAULT_SCOPE_WORDS;
    let distance = -1;
    if (cue.lastToken < first && forward) {
      if (reaches(tokens, cues, cue.lastToken, first, scope)) distance = first - cue.lastToken;
    } else if (cue.firstToken > last && backward) {
      if (reaches(tokens, cues, last, cue.firstToken, scope)) distance = cue.firstToken - last;
    }
    if (distance < 0 || interrupted(tokens, cues, cue, first, last)) continue;
    const prev = applied.get(cat);
    // The nearest cue is the basis shown to the user.
    if (!prev || distance < prev.distance) applied.set(cat, { flag: cat, cue, section: null, distance });
  }
  // A header gives its context to everything after it in its section ("FHx: father w/ MwA").
  const sec = s.section;
  if (sec?.rule?.category && !applied.has(sec.rule.category) && first > sec.lastToken) {
    applied.set(sec.rule.category, { flag: sec.rule.category, cue: null, section: sec, distance: 0 });
  }
  return [...applied.values()].map(({ flag, cue, section }) => ({ flag, cue, section }));
}
