/**
 * The page matcher: compiled lexicon → mentions in a text. Pure; runs in the content script, the
 * CLI and the tests alike.
 */
import { fold, toOriginalEnd, toOriginalStart, type Folded } from './normalize';
import { matchTrie, newNode, phraseTokens, tokenize, trieInsert, type Tokens, type TrieNode } from './tokens';
import type { CompiledLexicon, LexiconForm, Mention } from './types';

interface FormRef {
  concept: number;
  /** For case-sensitive forms: the form's letters with separators removed, as written. */
  exact: string | null;
  requires: RegExp | null;
}

export interface Matcher {
  lexicon: CompiledLexicon;
  root: TrieNode<FormRef>;
  codes: Map<string, number>;
}

/** How far either side of an ambiguous abbreviation its `requires` pattern may look. */
const REQUIRES_WINDOW = 160;

// "ICD10:G43.909", "ICD-10-CM G43909", "G43.9-", "g43.909": the code itself is group 1.
const CODE_PATTERN =
  /(?<![\p{L}\p{N}])(?:icd-?10(?:-?cm)?\s*[:#]?\s*)?(g4[34](?:\.?[0-9a-z]{1,4})?)(?:-(?![\p{L}\p{N}]))?(?![\p{L}\p{N}])/gu;

export function createMatcher(lexicon: CompiledLexicon): Matcher {
  const root = newNode<FormRef>();
  for (const form of lexicon.forms) {
    const words = phraseTokens(fold(form.text).text);
    if (words.length === 0) continue;
    trieInsert(root, words, toRef(form));
  }
  return { lexicon, root, codes: new Map(Object.entries(lexicon.codes)) };
}

function toRef(form: LexiconForm): FormRef {
  return {
    concept: form.concept,
    exact: form.caseSensitive ? stripSeparators(form.text) : null,
    requires: form.requires ? new RegExp(form.requires, 'iu') : null,
  };
}

function stripSeparators(s: string): string {
  return s.replace(/[\s\-\u2010-\u2015]+/g, '');
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
  const accept = (ref: FormRef, first: number, last: number): boolean => {
    if (ref.exact !== null) {
      const s = toOriginalStart(folded, tokens.starts[first]!);
      const e = toOriginalEnd(folded, tokens.ends[last]!, text.length);
      if (stripSeparators(text.slice(s, e)) !== ref.exact) return false;
    }
    if (ref.requires !== null) {
      const s = lineStart(ft, Math.max(0, tokens.starts[first]! - REQUIRES_WINDOW), tokens.starts[first]!);
      const e = lineEnd(ft, tokens.ends[last]!, Math.min(ft.length, tokens.ends[last]! + REQUIRES_WINDOW));
      if (!ref.requires.test(ft.slice(s, tokens.starts[first]!) + ' ' + ft.slice(tokens.ends[last]!, e))) return false;
    }
    return true;
  };
  for (const m of matchTrie(matcher.root, ft, tokens, accept)) {
    mentions.push({
      concept: m.value.concept,
      start: toOriginalStart(folded, tokens.starts[m.firstToken]!),
      end: toOriginalEnd(folded, tokens.ends[m.lastToken]!, text.length),
      firstToken: m.firstToken,
      lastToken: m.lastToken,
    });
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

function addCodeMentions(matcher: Matcher, text: string, folded: Folded, tokens: Tokens, mentions: Mention[]): void {
  const ft = folded.text;
  let added = false;
  for (const m of ft.matchAll(CODE_PATTERN)) {
    const code = m[1]!.replace('.', '').toUpperCase();
    // "G43.9-" and other truncated or over-long spellings fall back to the longest known prefix.
    let concept: number | undefined;
    for (let len = code.length; len >= 3 && concept === undefined; len--)
      concept = matcher.codes.get(code.slice(0, len));
    if (concept === undefined) continue;
    const startF = m.index;
    const endF = m.index + m[0].length;
    mentions.push({
      concept,
      start: toOriginalStart(folded, startF),
      end: toOriginalEnd(folded, endF, text.length),
      firstToken: tokenAt(tokens, startF),
      lastToken: tokenAt(tokens, endF - 1),
    });
    added = true;
  }
  if (added) mentions.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Index of the token containing (or the last token starting before) folded offset `at`. */
export function tokenAt(tokens: Tokens, at: number): number {
  let lo = 0;
  let hi = tokens.count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tokens.starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
