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
   * The map back to the original, kept sparse because page text is mostly ASCII and most other
   * characters fold one to one: from folded index jumpAt[k] on, a folded character's original
   * index is its own index plus jumpDelta[k], until the next jump. null: the identity map.
   */
  jumpAt: Int32Array | null;
  jumpDelta: Int32Array | null;
  /**
   * Original exclusive end of the folded characters whose source is not one UTF-16 unit: a
   * surrogate pair (2 units), a letter with combining marks after it. Others end at start + 1.
   */
  endAt: Map<number, number> | null;
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

const NON_ASCII_FROM = /[^\x00-\x7f]/g;

export function fold(input: string): Folded {
  const firstNonAscii = input.search(NON_ASCII);
  if (firstNonAscii === -1) return { text: input.toLowerCase(), jumpAt: null, jumpDelta: null, endAt: null };
  const n = input.length;
  const parts: string[] = [];
  const jumpAt: number[] = [];
  const jumpDelta: number[] = [];
  let endAt: Map<number, number> | null = null;
  let o = 0; // folded length so far
  let delta = 0; // original index minus folded index, for the next folded character
  let prevEnd = -1; // original end of the last folded character
  const place = (original: number, end: number) => {
    if (original - o !== delta) {
      delta = original - o;
      jumpAt.push(o);
      jumpDelta.push(delta);
    }
    if (end !== original + 1) (endAt ??= new Map()).set(o, end);
    prevEnd = end;
    o++;
  };
  let i = 0;
  while (i < n) {
    // ASCII runs are copied in one piece: page text is mostly ASCII even where it is not all ASCII.
    NON_ASCII_FROM.lastIndex = i;
    const next = NON_ASCII_FROM.exec(input);
    const j = next ? next.index : n;
    if (j > i) {
      parts.push(input.slice(i, j).toLowerCase());
      place(i, i + 1);
      o += j - i - 1;
      prevEnd = j;
      i = j;
      if (i >= n) break;
    }
    const cp = input.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const f = foldCodePoint(cp, width === 1 ? input[i]! : input.slice(i, i + 2));
    if (f.mark) {
      // The mark joins the folded character before it, so a finding never ends between them.
      if (o > 0 && prevEnd === i) {
        (endAt ??= new Map()).set(o - 1, i + width);
        prevEnd = i + width;
      }
    } else if (f.text.length > 0) {
      parts.push(f.text);
      // Every folded unit maps to the whole source code point, so a range built from the map
      // never starts or ends inside a surrogate pair.
      for (let k = 0; k < f.text.length; k++) place(i, i + width);
    }
    i += width;
  }
  const text = parts.join('');
  if (jumpAt.length === 0 && endAt === null && text.length === n) {
    return { text, jumpAt: null, jumpDelta: null, endAt: null };
  }
  return { text, jumpAt: Int32Array.from(jumpAt), jumpDelta: Int32Array.from(jumpDelta), endAt };
}

/** Original index of the folded character at i (an inclusive start); the original's length at the end. */
export function toOriginalStart(f: Folded, i: number, originalLength: number): number {
  if (i >= f.text.length) return f.jumpAt || f.endAt ? originalLength : i;
  const at = f.jumpAt;
  if (!at) return i;
  let lo = 0;
  let hi = at.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (at[mid]! <= i) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return k < 0 ? i : i + f.jumpDelta![k]!;
}

/** Original index just after folded character i-1 (an exclusive end). */
export function toOriginalEnd(f: Folded, i: number): number {
  if (i <= 0) return 0;
  if (!f.jumpAt && !f.endAt) return i;
  const e = f.endAt?.get(i - 1);
  return e ?? toOriginalStart(f, i - 1, Number.MAX_SAFE_INTEGER) + 1;
}

/** The folded index of the first folded character that comes from original index `original` or later. */
export function toFolded(f: Folded, original: number): number {
  if (!f.jumpAt && !f.endAt) return original;
  let lo = 0;
  let hi = f.text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (toOriginalStart(f, mid, Number.MAX_SAFE_INTEGER) < original) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
