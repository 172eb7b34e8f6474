/**
 * Findings of a text analysed in the background, as they travel back to the content script.
 *
 * A page's first pass sends its text to the background in chunks and gets the findings back, so
 * the analysis (the bulk of a pass) runs on the extension's own thread, not the page's. What
 * crosses is sized for the page's side: Chrome copies a message at a few ns a byte for a string
 * but far more for objects and arrays, and every string of a finding (its words, its sentence, its
 * cues) is a slice of the text the content script already holds. So a finding travels as numbers
 * only, in base 36 in one string, and is rebuilt from the chunk's own text.
 */
import type { Cue, Finding, LexiconConcept } from '../engine/types';
import { ASSERTION_PRECEDENCE } from '../engine/types';
import { ASSERTIONS_PACKED as ASSERTIONS, CUE_KINDS } from './contract';

/** The background's reply to an analyze message. */
export interface AnalysedChunk {
  /** The lexicon it was analysed with: findings name concepts by their index in it. */
  hash: string;
  /** The findings' numbers (see encodeFindings). */
  rows: string;
}

const NO_CUES: Cue[] = Object.freeze([]) as unknown as Cue[];

/**
 * Per finding: concept index, start, length, assertion index, flag bits, sentence start, sentence
 * length, cue count (-1: the previous finding's cues); per cue: flag index, kind index, start,
 * length. Starts are relative to the chunk (`offset`). Null when a string is not the slice of the
 * text its offsets say (the content script then analyses the chunk itself).
 */
export function encodeFindings(
  findings: readonly Finding[],
  text: string,
  offset: number,
  conceptIndex: ReadonlyMap<string, number>,
  hash: string,
): AnalysedChunk | null {
  const out: number[] = [];
  let sliced = true;
  const span = (s: string, start: number) => {
    out.push(start - offset, s.length);
    sliced &&= start >= offset && text.startsWith(s, start - offset);
  };
  let previous: Cue[] | null = null;
  for (const f of findings) {
    const c = conceptIndex.get(f.concept);
    if (c === undefined || f.end - f.start !== f.text.length) return null;
    out.push(c);
    span(f.text, f.start);
    let bits = 0;
    ASSERTION_PRECEDENCE.forEach((flag, i) => {
      if (f[flag]) bits |= 1 << i;
    });
    out.push(ASSERTIONS.indexOf(f.assertion), bits);
    span(f.sentence, f.sentenceStart);
    // The findings of a sentence mostly share their cues: sent once.
    if (f.cues === previous && f.cues.length > 0) out.push(-1);
    else {
      out.push(f.cues.length);
      for (const q of f.cues) {
        if (q.end - q.start !== q.text.length) return null;
        out.push(ASSERTION_PRECEDENCE.indexOf(q.flag), CUE_KINDS.indexOf(q.kind));
        span(q.text, q.start);
      }
    }
    previous = f.cues;
  }
  return sliced ? { hash, rows: out.map((n) => n.toString(36)).join() } : null;
}

/** What `numbers` reads for anything not a number: fails every check a read number goes through. */
const BAD = -2;

/**
 * The base-36 numbers of `rows` (at most 5 digits), BAD for anything else: small integers only.
 * Read by hand, as split and parseInt took twice as long.
 */
function numbers(rows: string): number[] {
  const out: number[] = [];
  let n = 0;
  let sign = 1;
  let digits = 0;
  for (let i = 0; i <= rows.length; i++) {
    const c = i < rows.length ? rows.charCodeAt(i) : 44;
    const d = c <= 57 ? c - 48 : c - 87;
    if (c === 44) {
      if (rows.length) out.push(digits > 0 ? sign * n : BAD);
      n = digits = 0;
      sign = 1;
    } else if (c === 45 && !digits && sign > 0) sign = -1;
    else if (digits >= 0 && d >= 0 && d < 36 && (c <= 57 || c >= 97) && ++digits <= 5) n = n * 36 + d;
    else digits = -1;
  }
  return out;
}

/**
 * The findings a reply stands for, rebuilt on `text` (the chunk sent, at `offset` in the page's
 * text); null when the reply is malformed or made with another lexicon, so the caller analyses the
 * chunk itself. `keep` interns the strings the findings hold (see StringTable).
 */
export function decodeFindings(
  reply: unknown,
  text: string,
  offset: number,
  concepts: readonly LexiconConcept[],
  hash: string,
  keep: (s: string) => string = (s) => s,
): Finding[] | null {
  const r = reply as Partial<AnalysedChunk> | null;
  if (r?.hash !== hash || typeof r.rows !== 'string') return null;
  const v = numbers(r.rows);
  let i = 0;
  const next = () => v[i++] ?? BAD;
  // A slice of the text from a start and a length, its start and end in the page's text; the last
  // read in each place (words, sentence, cue) is reused while the findings repeat it.
  let s = '';
  let a = 0;
  const last: [number, number, string][] = [
    [-1, 0, ''],
    [-1, 0, ''],
    [-1, 0, ''],
  ];
  const span = (slot: number): boolean => {
    const rel = next();
    const len = next();
    if (!(rel >= 0 && len >= 0 && rel + len <= text.length)) return false;
    const l = last[slot]!;
    if (l[0] !== rel || l[1] !== len) last[slot] = [rel, len, keep(text.slice(rel, rel + len))];
    s = last[slot]![2];
    a = rel + offset;
    return true;
  };
  const out: Finding[] = [];
  while (i < v.length) {
    const concept = concepts[next()];
    if (!concept || !span(0)) return null;
    // Plain assignments, not a destructured pair: this runs before the page's JIT has optimised
    // it, and unoptimised code builds and iterates the pair.
    const words = s;
    const start = a;
    const assertion = ASSERTIONS[next()];
    const bits = next();
    if (!assertion || !(bits >= 0 && bits < 32) || !span(1)) return null;
    const sentence = s;
    const sentenceStart = a;
    const n = next();
    if (!(n >= -1 && n <= 10) || (n === -1 && !out.length)) return null;
    // A long page holds tens of thousands of findings: as the engine does, one empty list for all
    // without cues, and each list made at its size (grown by push, each kept room for 16 cues:
    // 2.6 MB more at 60,000 findings).
    const cues: Cue[] = n === -1 ? out[out.length - 1]!.cues : n ? new Array<Cue>(n) : NO_CUES;
    for (let k = 0; k < n; k++) {
      const flag = ASSERTION_PRECEDENCE[next()];
      const kind = CUE_KINDS[next()];
      if (!flag || !kind || !span(2)) return null;
      cues[k] = { flag, text: s, start: a, end: a + s.length, kind };
    }
    out.push({
      concept: concept.id,
      category: concept.category,
      title: concept.title,
      text: words,
      start,
      end: start + words.length,
      assertion,
      // In the engine's order, so a finding from here is the engine's to the last key.
      negated: (bits & 1) > 0,
      uncertain: (bits & 8) > 0,
      historical: (bits & 16) > 0,
      hypothetical: (bits & 4) > 0,
      family: (bits & 2) > 0,
      sentence,
      sentenceStart,
      cues,
    });
  }
  return out;
}
