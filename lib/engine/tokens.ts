/**
 * Tokens over folded text: runs of letters and digits are words; every other visible character
 * except a hyphen is a one-character token ("N/V" is n, /, v); whitespace and hyphens separate.
 * Treating hyphens as spaces lets "pins-and-needles" match "pins and needles", "L-sided" match
 * "L sided" — the way charts vary.
 */
export interface Tokens {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  /** Folded token text, for the trie lookup. */
  words: string[];
}

/** Letter or digit test for a folded code unit. Non-ASCII falls back to Unicode properties. */
const WORD_CHAR = /[\p{L}\p{N}]/u;
export function isWordCode(code: number): boolean {
  if (code < 0x80) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  // Surrogates: treat astral characters as word characters only when they are letters or digits.
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return WORD_CHAR.test(String.fromCharCode(code));
}

function isSeparator(code: number): boolean {
  // space, tab, newline, CR, form feed, vertical tab, hyphen
  return code === 32 || code === 45 || (code >= 9 && code <= 13);
}

export function tokenize(text: string): Tokens {
  // Upper bound on tokens is the text length; typed arrays avoid per-token objects on the hot path.
  let cap = Math.max(16, text.length >> 2);
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  const words: string[] = [];
  let count = 0;
  const push = (s: number, e: number) => {
    if (count === cap) {
      cap *= 2;
      const ns = new Int32Array(cap);
      ns.set(starts);
      starts = ns;
      const ne = new Int32Array(cap);
      ne.set(ends);
      ends = ne;
    }
    starts[count] = s;
    ends[count] = e;
    words.push(text.slice(s, e));
    count++;
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (isWordCode(code)) {
      const s = i;
      i++;
      while (i < n && isWordCode(text.charCodeAt(i))) i++;
      push(s, i);
    } else if (isSeparator(code)) {
      i++;
    } else {
      // A surrogate pair is one token, never split.
      const w = code >= 0xd800 && code <= 0xdbff && i + 1 < n ? 2 : 1;
      push(i, i + w);
      i += w;
    }
  }
  return { count, starts, ends, words };
}

/** Tokens of a phrase from the knowledge base, folded the same way as page text. */
export function phraseTokens(foldedPhrase: string): string[] {
  return tokenize(foldedPhrase).words;
}

/** A trie keyed by whole tokens: lookups cost one Map.get per token, whatever the lexicon size. */
export interface TrieNode<T> {
  next: Map<string, TrieNode<T>> | null;
  values: T[] | null;
}

export function newNode<T>(): TrieNode<T> {
  return { next: null, values: null };
}

export function trieInsert<T>(root: TrieNode<T>, words: string[], value: T): void {
  let node = root;
  for (const w of words) {
    node.next ??= new Map();
    let child = node.next.get(w);
    if (!child) {
      child = newNode<T>();
      node.next.set(w, child);
    }
    node = child;
  }
  (node.values ??= []).push(value);
}

/** True when the text between two tokens crosses a line or block break (phrases never do). */
export function gapBreaks(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

export interface TrieMatch<T> {
  value: T;
  firstToken: number;
  lastToken: number;
}

/**
 * Leftmost-longest matching of the trie over the tokens; `accept` can veto a candidate (case rules,
 * context requirements). Matches never overlap.
 */
export function matchTrie<T>(
  root: TrieNode<T>,
  text: string,
  tokens: Tokens,
  accept: (value: T, firstToken: number, lastToken: number) => boolean,
  from = 0,
  to = tokens.count,
): TrieMatch<T>[] {
  const out: TrieMatch<T>[] = [];
  const rootNext = root.next;
  if (!rootNext) return out;
  const { words, starts, ends } = tokens;
  for (let i = from; i < to; i++) {
    let node = rootNext.get(words[i]!);
    if (!node) continue;
    let best: TrieMatch<T> | null = null;
    let j = i;
    for (;;) {
      if (node.values) {
        for (const v of node.values) {
          if (accept(v, i, j)) {
            best = { value: v, firstToken: i, lastToken: j };
            break;
          }
        }
      }
      if (!node.next || j + 1 >= to) break;
      if (gapBreaks(text, ends[j]!, starts[j + 1]!)) break;
      const child: TrieNode<T> | undefined = node.next.get(words[j + 1]!);
      if (!child) break;
      node = child;
      j++;
    }
    if (best) {
      out.push(best);
      i = best.lastToken;
    }
  }
  return out;
}
