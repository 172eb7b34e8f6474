/**
 * The page matcher: compiled lexicon → mentions in a text. Pure; runs in the content script, the
 * CLI and the tests alike.
 */
import { fold, toOriginalEnd, toOriginalStart, type Folded } from './normalize';
import {
  longestAt,
  mayStart,
  newTrie,
  phraseTokens,
  tokenAt,
  tokenize,
  trieInsert,
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
const CODE_PATTERN =
  /(?<![\p{L}\p{N}])(?:icd-?10(?:-?cm)?\s*[:#]?\s*)?(g4[34](?:\.?[0-9a-z]{1,4})?)(?:-(?![\p{L}\p{N}]))?(?![\p{L}\p{N}])/gu;

/**
 * The qualifiers ICD-10-CM titles hang on a migraine diagnosis, as charts copy them from problem
 * lists: "Migraine without aura, not intractable, without status migrainosus". They are part of the
 * diagnosis' name: absorbed into its mention, so that their "not" and "without" negate nothing and
 * a code after them ("(G43.009)") sits directly after the diagnosis it labels. Qualifiers that
 * assert something ("intractable", "with status migrainosus") stay outside, as findings of their own.
 */
const NEGATIVE_QUALIFIERS =
  /(?:[ \t]*,?[ \t]*(?:not[ \t]+intractable|without[ \t]+(?:status[ \t]+migrainosus|aura|mention[ \t]+of[ \t]+intractable[ \t]+migraine|refractory[ \t]+migraine)|so[ \t]+stated|unspecified)(?![\p{L}\p{N}]))+/uy;

export function createMatcher(lexicon: CompiledLexicon): Matcher {
  const trie = newTrie<FormRef>();
  for (const form of lexicon.forms) {
    const words = phraseTokens(fold(form.text).text);
    if (words.length === 0) continue;
    trieInsert(trie, words, toRef(lexicon, form));
  }
  return { lexicon, trie, codes: new Map(Object.entries(lexicon.codes)) };
}

function toRef(lexicon: CompiledLexicon, form: LexiconForm): FormRef {
  return {
    concept: form.concept,
    category: lexicon.concepts[form.concept]?.category ?? 'symptom',
    exact: form.caseSensitive ? stripSeparators(form.text) : null,
    requires: form.requires ? new RegExp(form.requires, 'iu') : null,
  };
}

/** Spaces, dashes and the invisible characters folding removes: none of them changes a word. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069]+/g;

function stripSeparators(s: string): string {
  return s.replace(SEPARATORS, '');
}

export interface MatchResult {
  mentions: Mention[];
  folded: Folded;
  tokens: Tokens;
}

/** Finds every mention in `text`; offsets index `text` itself (not the folded copy). */
export function findMentions(matcher: Matcher, text: string): MatchResult {
  const folded = fold(text);
  const ft = folded.text;
  const tokens = tokenize(ft);
  const mentions: Mention[] = [];
  const trie = matcher.trie;
  const accept = (ref: FormRef, first: number, last: number, plural: boolean): boolean => {
    if (ref.exact !== null) {
      const s = toOriginalStart(folded, tokens.starts[first]!, text.length);
      const e = toOriginalEnd(folded, tokens.ends[last]!);
      const written = stripSeparators(text.slice(s, e));
      // A plural adds a lower-case "s" to the abbreviation as written: "HAs", "MwAs".
      if (written !== (plural ? ref.exact + 's' : ref.exact)) return false;
    }
    if (ref.requires !== null) {
      const a = tokens.starts[first]!;
      const b = tokens.ends[last]!;
      const s = lineStart(ft, Math.max(0, a - REQUIRES_WINDOW), a);
      const e = lineEnd(ft, b, Math.min(ft.length, b + REQUIRES_WINDOW));
      if (!ref.requires.test(ft.slice(s, a) + ' ' + ft.slice(b, e))) return false;
    }
    return true;
  };
  const count = tokens.count;
  for (let i = 0; i < count; i++) {
    if (!mayStart(trie, tokens, i)) continue;
    const m = longestAt(trie, tokens, i, count, accept);
    if (!m) continue;
    const ref = m.values[0]!;
    let last = m.lastToken;
    // A diagnosis whose name runs on into another diagnosis' name ("chronic migraine" +
    // "migraine without aura") is one mention: the qualifier ("without aura") is part of the
    // diagnosis, not a separate finding, and its "without" is no negation.
    for (let k = i + 1; k <= last; k++) {
      if (!mayStart(trie, tokens, k)) continue;
      const b = longestAt(trie, tokens, k, count, accept);
      if (b && b.lastToken > last && b.values[0]!.category === ref.category && ref.category === 'diagnosis') {
        last = b.lastToken;
      }
    }
    if (ref.category === 'diagnosis') {
      NEGATIVE_QUALIFIERS.lastIndex = tokens.ends[last]!;
      const q = NEGATIVE_QUALIFIERS.exec(ft);
      if (q) last = tokenAt(tokens, q.index + q[0].length - 1);
    }
    mentions.push({
      concept: ref.concept,
      start: toOriginalStart(folded, tokens.starts[i]!, text.length),
      end: toOriginalEnd(folded, tokens.ends[last]!),
      firstToken: i,
      lastToken: last,
    });
    i = last;
  }
  if (matcher.codes.size > 0 && ft.includes('g4')) addCodeMentions(matcher, text, folded, tokens, mentions);
  return { mentions, folded, tokens };
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

function addCodeMentions(matcher: Matcher, text: string, folded: Folded, tokens: Tokens, mentions: Mention[]): void {
  const ft = folded.text;
  const codes: Mention[] = [];
  for (const m of ft.matchAll(CODE_PATTERN)) {
    const concept = conceptOfCode(matcher, m[1]!);
    if (concept === undefined) continue;
    const startF = m.index;
    const endF = m.index + m[0].length;
    codes.push({
      concept,
      start: toOriginalStart(folded, startF, text.length),
      end: toOriginalEnd(folded, endF),
      firstToken: tokenAt(tokens, startF),
      lastToken: tokenAt(tokens, endF - 1),
      code: true,
    });
  }
  if (codes.length === 0) return;
  // Merge the two sorted lists; where a code overlaps a lexicon mention the earlier one stays.
  const merged: Mention[] = [];
  let a = 0;
  let b = 0;
  while (a < mentions.length || b < codes.length) {
    const next =
      b >= codes.length || (a < mentions.length && mentions[a]!.start <= codes[b]!.start)
        ? mentions[a++]!
        : codes[b++]!;
    const prev = merged[merged.length - 1];
    if (prev && next.start < prev.end) continue;
    merged.push(next);
  }
  mentions.length = 0;
  mentions.push(...merged);
}

export { tokenAt };
