/**
 * Tokens over folded text: runs of letters and digits are words; every other visible character
 * except a hyphen is a one-character token ("N/V" is n, /, v); whitespace and hyphens separate.
 * Treating hyphens as spaces lets "pins-and-needles" match "pins and needles", "L-sided" match
 * "L sided" — the way charts vary. A hyphen that is a minus sign ("ROS: -fever, -nausea",
 * "Nausea -") is a token, so that a context rule can stand on it (see isSignAt).
 *
 * The hot path allocates nothing per token: each token is two offsets and a 32-bit hash of its
 * characters, and the tries below are keyed by that hash (the word itself is compared only on a
 * hash hit). A page of several megabytes is then one pass of integer work.
 */
export interface Tokens {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  hashes: Int32Array;
  /** 1 for a word (letters/digits), 0 for a punctuation token. */
  kinds: Uint8Array;
  /** The folded text the offsets index. */
  text: string;
}

/** Word-character table for the Basic Multilingual Plane: 0 = not yet known, 1 = word, 2 = other. */
const BMP_WORD = new Uint8Array(0x10000);
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Letter or digit test for a folded code unit. Non-ASCII falls back to Unicode properties. */
export function isWordCode(code: number): boolean {
  if (code < 0x80) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  // Astral characters (emoji, rare scripts) are never word characters: a pair stays one token.
  if (code >= 0xd800 && code <= 0xdfff) return false;
  let k = BMP_WORD[code]!;
  if (k === 0) {
    k = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    BMP_WORD[code] = k;
  }
  return k === 1;
}

/** ASCII classes: 1 word character, 2 separator (space, tab, line breaks, hyphen), 0 other. */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90)) ASCII_CLASS[c] = 1;
  else if (c === 32 || c === 45 || (c >= 9 && c <= 13)) ASCII_CLASS[c] = 2;
}

function classOf(code: number): number {
  return code < 128 ? ASCII_CLASS[code]! : isWordCode(code) ? 1 : 0;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** Hash of text[s, e), the same function the tokeniser computes inline. */
export function hashRange(text: string, s: number, e: number): number {
  let h = FNV_OFFSET;
  for (let k = s; k < e; k++) h = Math.imul(h ^ text.charCodeAt(k), FNV_PRIME);
  return h;
}

interface TokenArrays {
  starts: Int32Array;
  ends: Int32Array;
  hashes: Int32Array;
  kinds: Uint8Array;
}

/**
 * The four token arrays over one buffer: making a typed array with its own memory costs a call
 * into the runtime (several microseconds, more in Chromium), and the page scanner tokenises many
 * short texts.
 */
function tokenArrays(cap: number): TokenArrays {
  const buffer = new ArrayBuffer(cap * 13);
  return {
    starts: new Int32Array(buffer, 0, cap),
    ends: new Int32Array(buffer, cap * 4, cap),
    hashes: new Int32Array(buffer, cap * 8, cap),
    kinds: new Uint8Array(buffer, cap * 12, cap),
  };
}

/** Arrays lent to `tokenize(text, true)` calls, for texts of up to this many tokens (about 200 KB). */
const SCRATCH_TOKENS = 16384;
let scratch: TokenArrays | null = null;

/**
 * Splits folded text into tokens. With `reuse`, short texts get arrays kept from the previous
 * such call instead of new ones: the result is then valid only until the next `reuse` call, for
 * callers that use tokens within one call and let none escape (analyze, classifySpan).
 */
export function tokenize(text: string, reuse = false): Tokens {
  // Tokens never outnumber half the characters plus one, except runs of punctuation; grow if so.
  let cap = Math.max(16, (text.length >> 2) + 16);
  let arrays: TokenArrays;
  if (reuse && cap <= SCRATCH_TOKENS) {
    if (scratch === null || scratch.starts.length < cap) scratch = tokenArrays(Math.max(cap, 1024));
    arrays = scratch;
    cap = scratch.starts.length;
  } else arrays = tokenArrays(cap);
  let { starts, ends, hashes, kinds } = arrays;
  let count = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    // Separators first, in a loop of their own: between two words there is usually one.
    let code = text.charCodeAt(i);
    let cls = code < 128 ? ASCII_CLASS[code]! : isWordCode(code) ? 1 : 0;
    while (cls === 2 && !(code === 45 && isSignAt(text, i)) && ++i < n) {
      code = text.charCodeAt(i);
      cls = code < 128 ? ASCII_CLASS[code]! : isWordCode(code) ? 1 : 0;
    }
    if (i >= n) break;
    // A sign is a punctuation token (kind 0), like "+".
    if (cls === 2) cls = 0;
    if (count === cap) {
      cap *= 2;
      const more = tokenArrays(cap);
      more.starts.set(starts);
      more.ends.set(ends);
      more.hashes.set(hashes);
      more.kinds.set(kinds);
      ({ starts, ends, hashes, kinds } = more);
    }
    const s = i;
    let h = Math.imul(FNV_OFFSET ^ code, FNV_PRIME);
    i++;
    if (cls === 1) {
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c < 128) {
          if (ASCII_CLASS[c] !== 1) break;
        } else if (!isWordCode(c)) break;
        h = Math.imul(h ^ c, FNV_PRIME);
      }
      kinds[count] = 1;
    } else {
      // A surrogate pair is one token, never split.
      if (code >= 0xd800 && code <= 0xdbff && i < n) {
        h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
        i++;
      }
      kinds[count] = 0;
    }
    starts[count] = s;
    ends[count] = i;
    hashes[count] = h;
    count++;
  }
  return { count, starts, ends, hashes, kinds, text };
}

const isBlank = (c: number) => c === 32 || c === 9;
const isLineEnd = (c: number) => c === 10 || c === 13;

/**
 * Whether the hyphen at `i` of folded text is a minus sign, the review-of-systems shorthand for
 * "absent" ("ROS: -fever, -nausea, +photophobia"; "Nausea -, vomiting +"; "Aura: -"):
 * - written against a word (a letter follows) after a blank or punctuation, or standing alone
 *   before punctuation or the line's end;
 * - not after "/" ("+/- aura" is neither);
 * - and not the first thing on its line: there a hyphen is a bullet ("-Sumatriptan prn").
 * Hyphens inside or between words ("pins-and-needles", "Nausea - denies") stay separators.
 */
export function isSignAt(text: string, i: number): boolean {
  const n = text.length;
  const prev = i > 0 ? text.charCodeAt(i - 1) : 10;
  if (prev === 45 || prev === 47 /* / */ || isWordCode(prev)) return false;
  const next = i + 1 < n ? text.charCodeAt(i + 1) : 10;
  if (isWordCode(next)) {
    if (next >= 48 && next <= 57) return false; // a negative number
  } else {
    let k = i + 1;
    while (k < n && isBlank(text.charCodeAt(k))) k++;
    const c = k < n ? text.charCodeAt(k) : 10;
    if (!(isLineEnd(c) || c === 44 /* , */ || c === 59 /* ; */ || c === 46 /* . */ || c === 41) /* ) */) return false;
  }
  let k = i - 1;
  while (k >= 0 && isBlank(text.charCodeAt(k))) k--;
  return k >= 0 && !isLineEnd(text.charCodeAt(k));
}

/** The folded text of token i (allocates: for cold paths only). */
export function tokenText(tokens: Tokens, i: number): string {
  return tokens.text.slice(tokens.starts[i]!, tokens.ends[i]!);
}

/** Tokens of a phrase from the knowledge base, folded the same way as page text. */
export function phraseTokens(foldedPhrase: string): string[] {
  // The same split as tokenize, without its typed arrays: the engine splits some two thousand
  // phrases while the content script starts, before any of this code is optimised.
  const out: string[] = [];
  const text = foldedPhrase;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const cls = classOf(text.charCodeAt(i));
    if (cls === 2 && !(text.charCodeAt(i) === 45 && isSignAt(text, i))) {
      i++;
      continue;
    }
    const s = i;
    if (cls === 1) {
      i++;
      while (i < n && classOf(text.charCodeAt(i)) === 1) i++;
    } else {
      const code = text.charCodeAt(i);
      i += code >= 0xd800 && code <= 0xdbff && i + 1 < n ? 2 : 1;
    }
    out.push(text.slice(s, i));
  }
  return out;
}

/**
 * A trie keyed by whole tokens: a lookup costs one Map.get on an integer per token, whatever the
 * lexicon size. `alt` chains siblings whose words share a hash.
 */
export interface TrieNode<T> {
  word: string;
  next: Map<number, TrieNode<T>> | null;
  alt: TrieNode<T> | null;
  values: T[] | null;
}

export interface Trie<T> {
  root: TrieNode<T>;
  /**
   * Bit set over the hashes of every first word: most page tokens start no phrase, and one bit test
   * rejects them before any Map lookup.
   */
  firstWords: Int32Array;
  size: number;
}

const FILTER_BITS = 1 << 18;
const FILTER_MASK = FILTER_BITS - 1;

/**
 * A token hash as a Map key. V8 keeps small integers (31 bits where pointers are compressed, as in
 * Chromium) unboxed; half of all 32-bit hashes would otherwise be boxed numbers, slower to hash
 * and compare. Entries under one key are told apart by their words.
 */
export function hashKey(h: number): number {
  return h >> 1;
}

function filterBit(h: number): number {
  return (h ^ (h >>> 15)) & FILTER_MASK;
}

export function newTrie<T>(): Trie<T> {
  return { root: newNode(''), firstWords: new Int32Array(FILTER_BITS >> 5), size: 0 };
}

function newNode<T>(word: string): TrieNode<T> {
  return { word, next: null, alt: null, values: null };
}

/**
 * Puts `value` under the phrase `words`. `made` is told of each node made, with its parent and key
 * (prebuildTrie records them).
 */
export function trieInsert<T>(
  trie: Trie<T>,
  words: readonly string[],
  value: T,
  made?: (node: TrieNode<T>, parent: TrieNode<T>, key: number) => void,
): TrieNode<T> | null {
  if (words.length === 0) return null;
  let node = trie.root;
  for (const w of words) {
    const h = hashKey(hashRange(w, 0, w.length));
    node.next ??= new Map();
    let child = node.next.get(h);
    let c: TrieNode<T> | null | undefined = child;
    while (c && c.word !== w) c = c.alt;
    if (!c) {
      c = newNode<T>(w);
      made?.(c, node, h);
      if (child) {
        c.alt = child.alt;
        child.alt = c;
      } else node.next.set(h, c);
      child = c;
    }
    node = c;
  }
  // The first word and its regular plurals, so that the bit test alone rejects every other word.
  const w0 = words[0]!;
  for (const variant of [w0, w0 + 's', w0 + 'es', w0.endsWith('y') ? w0.slice(0, -1) + 'ies' : w0]) {
    const b = filterBit(hashRange(variant, 0, variant.length));
    trie.firstWords[b >> 5]! |= 1 << (b & 31);
  }
  (node.values ??= []).push(value);
  trie.size++;
  return node;
}

/**
 * A trie as plain data, made when the extension is built. Building a trie from phrases folds,
 * splits and hashes every character, in code not yet optimised when a frame starts: a cold build
 * of the whole lexicon took 50 ms in Chromium, a task no page should wait on. Rebuilding from this
 * costs a few operations per node.
 *
 * Nodes are numbered from 1 in the order they were made (0 is the root); `parents`, `keys` and
 * `words` describe node k + 1.
 */
export interface PrebuiltTrie {
  parents: number[];
  keys: number[];
  words: string[];
  /** For each phrase, in order, the node its value hangs on (0: it had no words). */
  at: number[];
  /** The bits set in `firstWords`. */
  bits: number[];
}

/** The trie of `phrases` (each a list of words; values are the phrases' indices) as data. */
export function prebuildTrie(phrases: readonly (readonly string[])[]): PrebuiltTrie {
  const trie = newTrie<number>();
  const number = new Map<TrieNode<number>, number>([[trie.root, 0]]);
  const out: PrebuiltTrie = { parents: [], keys: [], words: [], at: [], bits: [] };
  phrases.forEach((words, i) => {
    const node = trieInsert(trie, words, i, (made, parent, key) => {
      number.set(made, number.size);
      out.parents.push(number.get(parent)!);
      out.keys.push(key);
      out.words.push(made.word);
    });
    out.at.push(node ? number.get(node)! : 0);
  });
  trie.firstWords.forEach((word, w) => {
    for (let b = 0; b < 32; b++) if (word & (1 << b)) out.bits.push(w * 32 + b);
  });
  return out;
}

/**
 * The trie `prebuildTrie` described, the same node for node as inserting the phrases would make,
 * with `value(i)` for phrase i. Throws on data that does not describe a trie.
 */
export function trieFrom<T>(p: PrebuiltTrie, value: (phrase: number) => T): Trie<T> {
  const trie = newTrie<T>();
  const nodes: TrieNode<T>[] = [trie.root];
  const { parents, keys, words, at, bits } = p;
  if (keys.length !== parents.length || words.length !== parents.length) throw new Error('prebuilt trie: lengths');
  for (let k = 0; k < parents.length; k++) {
    const parent = nodes[parents[k]!];
    const key = keys[k]!;
    const word = words[k]!;
    if (!parent || typeof word !== 'string' || (key | 0) !== key) throw new Error('prebuilt trie: node');
    const node = newNode<T>(word);
    parent.next ??= new Map();
    const head = parent.next.get(key);
    if (head) {
      node.alt = head.alt;
      head.alt = node;
    } else parent.next.set(key, node);
    nodes.push(node);
  }
  for (let i = 0; i < at.length; i++) {
    const a = at[i]!;
    if (a === 0) continue;
    const node = nodes[a];
    if (!node) throw new Error('prebuilt trie: value');
    (node.values ??= []).push(value(i));
    trie.size++;
  }
  for (const b of bits) {
    if (!(b >= 0 && b < FILTER_BITS)) throw new Error('prebuilt trie: bit');
    trie.firstWords[b >> 5]! |= 1 << (b & 31);
  }
  return trie;
}

function sameWord(text: string, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (text.charCodeAt(s + k) !== word.charCodeAt(k)) return false;
  return true;
}

/** The child of `node` for text[s, e) with hash h, or null. */
function child<T>(node: TrieNode<T>, text: string, s: number, e: number, h: number): TrieNode<T> | null {
  let c = node.next?.get(hashKey(h)) ?? null;
  while (c && !sameWord(text, s, e, c.word)) c = c.alt;
  return c;
}

/**
 * Length of a regular plural ending on the word text[s, e): "migraines" → 1, "rashes" → 2,
 * "allodynias" → 1, "sensitivities" → 3 (→ "sensitivity"). 0 when the word does not look plural.
 * Only tried where the word as written is not in the trie, so a lexicon that lists its own
 * plurals never pays for this.
 */
function pluralSuffix(text: string, s: number, e: number): number {
  const len = e - s;
  if (len < 3 || text.charCodeAt(e - 1) !== 115 /* s */) return 0;
  const prev = text.charCodeAt(e - 2);
  if (prev === 115 || prev === 117 || prev === 105 /* -ss, -us, -is: "loss", "status", "diagnosis" */) return 0;
  // A consonant and "y" make their plural in "-ies": "sensitivitys" is no plural ("days" is).
  if (prev === 121 /* y */ && !isVowel(text.charCodeAt(e - 3))) return 0;
  if (prev === 101 /* e */ && len >= 4) {
    const p3 = text.charCodeAt(e - 3);
    if (p3 === 105 /* i */ && len >= 5) return 3;
    if (p3 === 115 || p3 === 120 || p3 === 122) return 2;
    if (p3 === 104 /* h */) {
      const p4 = text.charCodeAt(e - 4);
      if (p4 === 99 || p4 === 115) return 2;
    }
  }
  return 1;
}

function isVowel(c: number): boolean {
  return c === 97 || c === 101 || c === 105 || c === 111 || c === 117; // a e i o u
}

/** The child of `node` whose word is text[s, e) followed by "y" ("allergies" → "allergy"). */
function childPlusY<T>(node: TrieNode<T>, text: string, s: number, e: number): TrieNode<T> | null {
  let c = node.next?.get(hashKey(Math.imul(hashRange(text, s, e) ^ 121, FNV_PRIME))) ?? null;
  while (c && !(c.word.length === e - s + 1 && c.word.endsWith('y') && sameWord(text, s, e, c.word.slice(0, -1))))
    c = c.alt;
  return c;
}

/** Looks up token i under `node`, falling back to its singular; `out.viaStem` reports which matched. */
function step<T>(node: TrieNode<T>, tokens: Tokens, i: number, out: { viaStem: boolean }): TrieNode<T> | null {
  const { text, starts, ends, hashes } = tokens;
  const s = starts[i]!;
  const e = ends[i]!;
  const exact = child(node, text, s, e, hashes[i]!);
  out.viaStem = false;
  if (exact || tokens.kinds[i] === 0) return exact;
  const cut = pluralSuffix(text, s, e);
  if (cut === 0) return null;
  let stemNode: TrieNode<T> | null = null;
  if (cut === 3) stemNode = childPlusY(node, text, s, e - 3);
  // Not a plural of a plural: "migraineses" is no form of "migraines" ("buses" still is of "bus").
  else if (cut === 2 && pluralSuffix(text, s, e - 2) === 0)
    stemNode = child(node, text, s, e - 2, hashRange(text, s, e - 2));
  // "-es" and "-ies" words whose singular ends in "e" ("headaches", "movies").
  if (!stemNode?.values) stemNode = child(node, text, s, e - 1, hashRange(text, s, e - 1));
  // A plural ends a phrase: "migraines" is "migraine" + "s", and nothing follows it in the phrase.
  if (!stemNode?.values) return null;
  out.viaStem = true;
  return stemNode;
}

/** True when the text between two tokens crosses a line or block break (phrases never do). */
export function gapBreaks(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

/** Scratch state of one lookup (lookups never nest), kept to spare an allocation per token. */
const PROBE = { viaStem: false };

/**
 * Decides whether a value found in the trie counts here (case rules, context requirements). An
 * object with a method rather than a closure: the hot loop calls one shape, and nothing is
 * created per call.
 */
export interface Acceptor<T> {
  accept(value: T, firstToken: number, lastToken: number, plural: boolean): boolean;
}

/** Where a lookup writes what it found; owned by the caller and overwritten by each lookup. */
export interface TrieMatch<T> {
  values: T[];
  firstToken: number;
  lastToken: number;
  /** The last token matched through its singular ("auras" for "aura"). */
  plural: boolean;
}

const NO_VALUES: never[] = [];

export function newTrieMatch<T>(): TrieMatch<T> {
  return { values: NO_VALUES, firstToken: -1, lastToken: -1, plural: false };
}

/**
 * The nodes a lookup walked (and whether each was reached through a plural), reused by every
 * lookup: phrases are a few words long, so these stay small.
 */
const pathNodes: TrieNode<unknown>[] = [];
const pathPlural: boolean[] = [];

/**
 * The longest phrase of the trie that starts at token i and ends at or before token to-1, whose
 * values `acceptor` lets through (case rules, context requirements). On success writes it to `out`
 * and returns true.
 *
 * The walk goes as deep as the words allow first; the acceptor is then asked from the longest
 * phrase back, so a shorter phrase that a longer one would replace is never tested.
 */
export function longestAt<T>(
  trie: Trie<T>,
  tokens: Tokens,
  i: number,
  to: number,
  acceptor: Acceptor<T> | null,
  out: TrieMatch<T>,
): boolean {
  const probe = PROBE;
  let node = step(trie.root, tokens, i, probe);
  if (node === null) return false;
  const { text, starts, ends } = tokens;
  let depth = 0;
  let j = i;
  for (;;) {
    pathNodes[depth] = node as TrieNode<unknown>;
    pathPlural[depth] = probe.viaStem;
    depth++;
    if (probe.viaStem || node.next === null || j + 1 >= to) break;
    if (gapBreaks(text, ends[j]!, starts[j + 1]!)) break;
    const next: TrieNode<T> | null = step(node, tokens, j + 1, probe);
    if (next === null) break;
    node = next;
    j++;
  }
  for (let d = depth - 1; d >= 0; d--) {
    const values = (pathNodes[d] as TrieNode<T>).values;
    if (values === null) continue;
    const last = i + d;
    const plural = pathPlural[d]!;
    let ok = values;
    if (acceptor !== null) {
      // Most candidates pass: copy the values only when some do not.
      let passed = 0;
      for (let v = 0; v < values.length; v++) if (acceptor.accept(values[v]!, i, last, plural)) passed++;
      if (passed === 0) continue;
      if (passed < values.length) ok = values.filter((v) => acceptor.accept(v, i, last, plural));
    }
    out.values = ok;
    out.firstToken = i;
    out.lastToken = last;
    out.plural = plural;
    return true;
  }
  return false;
}

/** Whether token i can start a phrase of the trie (a bit test; false positives possible). */
export function mayStart<T>(trie: Trie<T>, tokens: Tokens, i: number): boolean {
  const b = filterBit(tokens.hashes[i]!);
  return (trie.firstWords[b >> 5]! & (1 << (b & 31))) !== 0;
}

/**
 * The first token in [from, to) that can start a phrase of the trie (mayStart), or `to`. One call
 * skips the run of tokens that cannot: most of a page, on which a call per token would be most of
 * the cost until the loop is compiled.
 */
export function nextStart<T>(trie: Trie<T>, tokens: Tokens, from: number, to: number): number {
  const hashes = tokens.hashes;
  const bits = trie.firstWords;
  for (let i = from; i < to; i++) {
    const h = hashes[i]!;
    const b = (h ^ (h >>> 15)) & FILTER_MASK;
    if ((bits[b >> 5]! & (1 << (b & 31))) !== 0) return i;
  }
  return to;
}

/** Index of the token containing (or the last token starting before) folded offset `at`; -1 if none. */
export function tokenAt(tokens: Tokens, at: number): number {
  let lo = 0;
  let hi = tokens.count - 1;
  if (hi < 0 || tokens.starts[0]! > at) return hi < 0 ? -1 : 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tokens.starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
