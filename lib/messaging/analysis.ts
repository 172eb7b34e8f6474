/**
 * Findings of a text analysed in the background, as they travel back to the content script.
 *
 * A page's first pass sends its text to the background in chunks and gets the findings back, so
 * the analysis (the bulk of a pass) runs on the extension's own thread, not the page's. What
 * crosses is sized for the page's side: Chrome copies a message at a few ns a byte for a string
 * but far more for objects and arrays, and every string of a finding (its words, its sentence, its
 * cues) is a slice of the text the content script already holds. So a finding travels as numbers
 * only, in base 36 in one string, and is rebuilt from the chunk's own text; a string the port
 * has carried before is named by its number (see NamedStrings).
 */
import type { Cue, Finding, LexiconConcept } from '../engine/types';
import { ASSERTION_PRECEDENCE } from '../engine/types';
import { ASSERTIONS_PACKED as ASSERTIONS, CUE_KINDS } from './contract';

/** The background's reply to an analyze message. */
export interface AnalysedChunk {
  /** The lexicon it was analysed with: findings name concepts by their index in it. */
  hash: string;
  /** How many strings the port's earlier replies had named (see encodeFindings); 0 starts afresh. */
  base: number;
  /** The findings' numbers (see encodeFindings). */
  rows: string;
}

/**
 * A port's strings as the background has named them so far, by number, in the order first sent.
 * Charts repeat themselves (template sentences, a flowsheet's labels, a symptom named on every
 * row): a string sent again travels as its number, so the page neither slices nor looks it up
 * again, and the hashing that finding it again takes is done here, off the page's main thread.
 */
export type NamedStrings = Map<string, number>;

/**
 * Strings a port names at most: past that it starts afresh (base 0), so a port kept open by a
 * page that keeps changing does not hold every sentence it ever sent.
 */
export const NAMED_STRINGS_MAX = 20_000;

const NO_CUES: Cue[] = Object.freeze([]) as unknown as Cue[];

/**
 * Per finding: concept index, its words, assertion index, flag bits, its sentence, cue count (-1:
 * the previous finding's cues); per cue: flag index, kind index, its words. Each string is its
 * start (relative to the chunk, `offset`) and either its length, when it is sent for the first
 * time on the port, or -1 - its number, when it was sent before (see NamedStrings; `named` is the
 * port's, and without one every string is sent). Null when a string is not the slice of the text
 * its offsets say (the content script then analyses the chunk itself).
 */
export function encodeFindings(
  findings: readonly Finding[],
  text: string,
  offset: number,
  conceptIndex: ReadonlyMap<string, number>,
  hash: string,
  named: NamedStrings = new Map(),
): AnalysedChunk | null {
  if (named.size > NAMED_STRINGS_MAX) named.clear();
  const base = named.size;
  const out: number[] = [];
  let sliced = true;
  const span = (s: string, start: number) => {
    const at = start - offset;
    sliced &&= start >= offset && text.startsWith(s, at);
    const known = named.get(s);
    if (known === undefined) named.set(s, named.size);
    out.push(at, known === undefined ? s.length : -1 - known);
  };
  let previous: Cue[] | null = null;
  let ok = true;
  for (const f of findings) {
    const c = conceptIndex.get(f.concept);
    if (c === undefined || f.end - f.start !== f.text.length) {
      ok = false;
      break;
    }
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
        if (q.end - q.start !== q.text.length) ok = false;
        out.push(ASSERTION_PRECEDENCE.indexOf(q.flag), CUE_KINDS.indexOf(q.kind));
        span(q.text, q.start);
      }
    }
    previous = f.cues;
  }
  if (ok && sliced) return { hash, base, rows: out.map((n) => n.toString(36)).join() };
  // Not sent: the strings it named are not the page's to know.
  for (const [str, n] of named) if (n >= base) named.delete(str);
  return null;
}

/** What `numbers` reads for anything not a number: fails every check a read number goes through. */
const BAD = NaN;

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
 * chunk itself. `keep` interns the strings sent for the first time (see StringTable); `named` is
 * the port's list of strings by number, which a reply adds to (the page's side of NamedStrings).
 * A reply that does not follow on from the list (its `base`) is not read: the list and the
 * background's would no longer agree.
 */
export function decodeFindings(
  reply: unknown,
  text: string,
  offset: number,
  concepts: readonly LexiconConcept[],
  hash: string,
  keep: (s: string) => string = (s) => s,
  named: string[] = [],
): Finding[] | null {
  const r = reply as Partial<AnalysedChunk> | null;
  if (r?.hash !== hash || typeof r.rows !== 'string' || typeof r.base !== 'number') return null;
  if (r.base === 0) named.length = 0;
  else if (r.base !== named.length) return null;
  const v = numbers(r.rows);
  let i = 0;
  const next = () => v[i++] ?? BAD;
  // The string read last, and where it starts in the page's text.
  let s = '';
  let a = 0;
  const span = (): boolean => {
    const at = next();
    const n = next();
    if (!(at >= 0)) return false;
    if (n >= 0) {
      if (at + n > text.length) return false;
      s = keep(text.slice(at, at + n));
      named.push(s);
    } else {
      const known = named[-1 - n];
      if (known === undefined || at + known.length > text.length) return false;
      s = known;
    }
    a = at + offset;
    return true;
  };
  const out: Finding[] = [];
  while (i < v.length) {
    const concept = concepts[next()];
    if (!concept || !span()) return null;
    // Plain assignments, not a destructured pair: this runs before the page's JIT has optimised
    // it, and unoptimised code builds and iterates the pair.
    const words = s;
    const start = a;
    const assertion = ASSERTIONS[next()];
    const bits = next();
    if (!assertion || !(bits >= 0 && bits < 32) || !span()) return null;
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
      if (!flag || !kind || !span()) return null;
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
