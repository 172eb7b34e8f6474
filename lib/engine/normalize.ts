/**
 * Folding of page text for matching. The folded string keeps a map back to the original so that
 * every finding's start/end index the page's own text (and so its DOM ranges never split a
 * character or land inside a removed soft hyphen).
 *
 * Folding: lower case; NFKD with combining marks dropped (so "café" and "cafe\u0301" both fold to
 * "cafe"); every Unicode space to " "; dashes to "-"; curly quotes to straight ones; soft hyphens
 * and zero-width characters removed (EHRs paste them from word processors, and a term must still
 * match across them).
 */
export interface Folded {
  /** The folded text. */
  text: string;
  /**
   * map[i] is the index in the original of folded character i; map[text.length] is the original's
   * length. null when folding changed no length (the common, ASCII-only case): the identity map.
   */
  map: Int32Array | null;
}

const NON_ASCII = /[^\x00-\x7f]/;
const REMOVED = /^[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069]$/;
const SPACES = /^[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;
const DASHES = /^[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]$/;
const SINGLE_QUOTES = /^[\u2018\u2019\u201a\u201b\u2032\u02bc]$/;
const DOUBLE_QUOTES = /^[\u201c\u201d\u201e\u201f\u2033]$/;
const COMBINING = /\p{M}/gu;

/** Folds one code point (as a string of 1 or 2 UTF-16 units) to zero or more characters. */
function foldChar(ch: string): string {
  if (REMOVED.test(ch)) return '';
  if (SPACES.test(ch)) return ' ';
  if (DASHES.test(ch)) return '-';
  if (SINGLE_QUOTES.test(ch)) return "'";
  if (DOUBLE_QUOTES.test(ch)) return '"';
  return ch.normalize('NFKD').replace(COMBINING, '').toLowerCase();
}

const foldCache = new Map<string, string>();

export function fold(input: string): Folded {
  if (!NON_ASCII.test(input)) return { text: input.toLowerCase(), map: null };
  let out = '';
  const map: number[] = [];
  for (let i = 0; i < input.length;) {
    const code = input.charCodeAt(i);
    if (code < 0x80) {
      out += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : input[i];
      map.push(i);
      i += 1;
      continue;
    }
    const cp = input.codePointAt(i) ?? code;
    const width = cp > 0xffff ? 2 : 1;
    const ch = input.slice(i, i + width);
    let folded = foldCache.get(ch);
    if (folded === undefined) {
      folded = foldChar(ch);
      if (foldCache.size < 4096) foldCache.set(ch, folded);
    }
    // Every folded unit maps to the start of its source code point, so a range built from the map
    // never starts or ends inside a surrogate pair.
    for (let k = 0; k < folded.length; k++) map.push(i);
    out += folded;
    i += width;
  }
  map.push(input.length);
  if (out.length === input.length && map.every((v, i) => v === i)) return { text: out, map: null };
  return { text: out, map: Int32Array.from(map) };
}

/** Original index of a folded start offset. */
export function toOriginalStart(f: Folded, i: number): number {
  return f.map ? (f.map[i] ?? 0) : i;
}

/**
 * Original index just after the folded character i-1 (an exclusive end). Walks forward over the
 * original characters that the folded character came from (a surrogate pair, a decomposed letter).
 */
export function toOriginalEnd(f: Folded, i: number, originalLength: number): number {
  if (!f.map) return i;
  if (i <= 0) return 0;
  const last = f.map[i - 1] ?? 0;
  const next = f.map[i] ?? originalLength;
  return next > last ? next : originalLength;
}
