/**
 * Folding of page text for matching. The folded string keeps a map back to the original so that
 * every finding's start/end index the page's own text (and so its DOM ranges never split a
 * character or land inside a removed soft hyphen).
 *
 * Folding, one code point at a time: compatibility decomposition (NFKD, so ligatures, full-width
 * letters and other NFKC variants fold to their plain letters), combining marks dropped (so "café"
 * and "cafe\u0301" both fold to "cafe"), lower case; every Unicode space to " " and line or
 * paragraph separators to "\n"; dashes and minus signs to "-"; curly quotes to straight ones; soft
 * hyphens, zero-width and bidirectional control characters removed (EHRs paste them from word
 * processors, and a term must still match across them).
 */
export interface Folded {
  /** The folded text. */
  text: string;
  /**
   * starts[i] is the index in the original where the code point that produced folded character i
   * begins; ends[i] is where it ends (after any combining marks folded away with it). Both null
   * when folding changed no length (the common, ASCII-only case): the identity map.
   */
  starts: Int32Array | null;
  ends: Int32Array | null;
}

const NON_ASCII = /[^\x00-\x7f]/;
const REMOVED = /^[\u00ad\u034f\u061c\u180e\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069]$/;
const SPACES = /^[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]$/;
const LINE_BREAKS = /^[\u0085\u2028\u2029]$/;
const DASHES = /^[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d]$/;
const SINGLE_QUOTES = /^[\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4]$/;
const DOUBLE_QUOTES = /^[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]$/;
const COMBINING = /\p{M}/gu;
const MARK = /^\p{M}+$/u;

interface FoldedChar {
  text: string;
  /** A combining mark: it belongs to the character before it, so that character's range grows. */
  mark: boolean;
}

/** Folds one code point (as a string of 1 or 2 UTF-16 units) to zero or more characters. */
function foldChar(ch: string): FoldedChar {
  if (REMOVED.test(ch)) return { text: '', mark: false };
  if (SPACES.test(ch)) return { text: ' ', mark: false };
  if (LINE_BREAKS.test(ch)) return { text: '\n', mark: false };
  if (DASHES.test(ch)) return { text: '-', mark: false };
  if (SINGLE_QUOTES.test(ch)) return { text: "'", mark: false };
  if (DOUBLE_QUOTES.test(ch)) return { text: '"', mark: false };
  if (MARK.test(ch)) return { text: '', mark: true };
  // NFKD then lower case, then NFKD again: lower-casing can produce a decomposable letter ("İ").
  const text = ch.normalize('NFKD').replace(COMBINING, '').toLowerCase().normalize('NFKD').replace(COMBINING, '');
  return { text, mark: false };
}

/** Per code point results; page text reuses few distinct non-ASCII characters. */
const foldCache = new Map<number, FoldedChar>();
const FOLD_CACHE_LIMIT = 8192;

function foldCodePoint(cp: number, ch: string): FoldedChar {
  let f = foldCache.get(cp);
  if (f === undefined) {
    f = foldChar(ch);
    if (foldCache.size < FOLD_CACHE_LIMIT) foldCache.set(cp, f);
  }
  return f;
}

export function fold(input: string): Folded {
  const firstNonAscii = input.search(NON_ASCII);
  if (firstNonAscii === -1) return { text: input.toLowerCase(), starts: null, ends: null };
  const n = input.length;
  let cap = n + 16;
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  const parts: string[] = [];
  let o = 0;
  const grow = (need: number) => {
    if (o + need <= cap) return;
    cap = Math.max(cap * 2, o + need);
    const s = new Int32Array(cap);
    s.set(starts);
    starts = s;
    const e = new Int32Array(cap);
    e.set(ends);
    ends = e;
  };
  let i = 0;
  while (i < n) {
    // ASCII runs are copied in one piece: page text is mostly ASCII even where it is not all ASCII.
    let j = i;
    while (j < n && input.charCodeAt(j) < 0x80) j++;
    if (j > i) {
      parts.push(input.slice(i, j).toLowerCase());
      grow(j - i);
      for (let k = i; k < j; k++, o++) {
        starts[o] = k;
        ends[o] = k + 1;
      }
      i = j;
      if (i >= n) break;
    }
    const cp = input.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const f = foldCodePoint(cp, width === 1 ? input[i]! : input.slice(i, i + 2));
    if (f.mark) {
      // The mark joins the folded character before it, so a finding never ends between them.
      if (o > 0 && ends[o - 1] === i) ends[o - 1] = i + width;
    } else if (f.text.length > 0) {
      parts.push(f.text);
      grow(f.text.length);
      // Every folded unit maps to the whole source code point, so a range built from the map
      // never starts or ends inside a surrogate pair.
      for (let k = 0; k < f.text.length; k++, o++) {
        starts[o] = i;
        ends[o] = i + width;
      }
    }
    i += width;
  }
  const text = parts.join('');
  if (text.length === n) {
    let identity = true;
    for (let k = 0; k < n && identity; k++) identity = starts[k] === k && ends[k] === k + 1;
    if (identity) return { text, starts: null, ends: null };
  }
  return { text, starts: starts.subarray(0, o), ends: ends.subarray(0, o) };
}

/** Original index of the folded character at i (an inclusive start). */
export function toOriginalStart(f: Folded, i: number, originalLength: number): number {
  if (!f.starts) return i;
  return i < f.starts.length ? f.starts[i]! : originalLength;
}

/** Original index just after folded character i-1 (an exclusive end). */
export function toOriginalEnd(f: Folded, i: number): number {
  if (!f.ends) return i;
  return i <= 0 ? 0 : f.ends[i - 1]!;
}

/** The folded index of the first folded character that comes from original index `original` or later. */
export function toFolded(f: Folded, original: number): number {
  const s = f.starts;
  if (!s) return original;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid]! < original) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
