/**
 * Trust checklist 10: on random text full of what EHR pages paste in — surrogate pairs, combining
 * marks, NBSP, soft hyphens, zero-width characters, mixed case, hyphens and line breaks — the
 * engine's mentions equal those of a naive reference matcher written here from the rules alone,
 * no finding splits a surrogate pair, and the same text split at random over text nodes and inline
 * elements gives the same findings, whose DOM positions map back to the right characters.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { analyze, createEngine } from '../../../lib/engine/analyze';
import { createMatcher, findMentions } from '../../../lib/engine/matcher';
import type { CompiledLexicon } from '../../../lib/engine/types';
import { extractText, locate } from '../../../lib/page/extract';
import { loadKnowledge } from '../../../scripts/load-knowledge';

// Thousands of property runs take seconds on a loaded two-core machine: the default 5 s timer
// would fail them for time, not for a wrong answer.
vi.setConfig({ testTimeout: 60_000 });

const MINI = join(import.meta.dirname, '..', '..', 'fixtures', 'knowledge-mini');
const full = loadKnowledge(MINI).lexicon;
/**
 * Forms with a `requires` pattern depend on the sentence around them (tested with the context
 * rules) and ICD codes have their own pattern; the reference covers plain surface forms.
 */
const lexicon: CompiledLexicon = { ...full, forms: full.forms.filter((f) => !f.requires), codes: {} };
const matcher = createMatcher(lexicon);
const engine = createEngine(lexicon);

// ---------- the reference: per character, every position, every form ----------

const REMOVED = new Set([
  0xad, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0xfeff, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
]);
const SPACE = new Set([0xa0, 0x2002, 0x2003, 0x2009, 0x202f, 0x3000]);

/** One code point folded: removed, a space, or NFKD without marks, lower-cased. */
function foldCodePoint(cp: number, keepCase = false): string {
  if (REMOVED.has(cp)) return '';
  if (SPACE.has(cp)) return ' ';
  const s = String.fromCodePoint(cp).normalize('NFKD').replace(/\p{M}/gu, '');
  return keepCase ? s : s.toLowerCase();
}

interface Folded {
  chars: string[];
  /** Original start of the code point each folded char came from. */
  from: number[];
  /** Original end of that code point. */
  to: number[];
}

function foldRef(text: string, keepCase = false): Folded {
  const out: Folded = { chars: [], from: [], to: [] };
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    // UTF-16 units, as the engine indexes text (an astral symbol is two units, neither a letter).
    for (const ch of foldCodePoint(cp, keepCase).split('')) {
      out.chars.push(ch);
      out.from.push(i);
      out.to.push(i + w);
    }
    i += w;
  }
  return out;
}

const isWord = (ch: string | undefined) => ch !== undefined && /^[\p{L}\p{N}]$/u.test(ch) && ch.length === 1;
const isSep = (ch: string | undefined) => ch === ' ' || ch === '\t' || ch === '-';

/** A form as tokens: runs of letters/digits, or one other visible character. */
function formTokens(form: string): string[] {
  const f = foldRef(form).chars;
  const tokens: string[] = [];
  for (let i = 0; i < f.length;) {
    if (isWord(f[i])) {
      let j = i;
      while (j < f.length && isWord(f[j])) j++;
      tokens.push(f.slice(i, j).join(''));
      i = j;
    } else if (isSep(f[i]) || f[i] === '\n') i++;
    else tokens.push(f[i++]!);
  }
  return tokens;
}

/** Folded end of `tokens` matched from folded position `i`, or -1. */
function matchAt(ch: string[], i: number, tokens: string[]): number {
  let p = i;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (k > 0) {
      const gapStart = p;
      while (isSep(ch[p])) p++;
      // Two words need something between them, or they would be one word.
      if (p === gapStart && isWord(t[0]) && isWord(tokens[k - 1]!.slice(-1))) return -1;
    }
    for (let c = 0; c < t.length; c++) if (ch[p + c] !== t[c]) return -1;
    p += t.length;
    if (isWord(t.slice(-1)) && isWord(ch[p])) return -1; // word boundary after a word
  }
  return p;
}

interface RefMention {
  concept: number;
  start: number;
  end: number;
}

/**
 * Qualifiers that ICD-10-CM titles hang on a migraine diagnosis ("Migraine without aura, not
 * intractable"): part of the diagnosis' name, so they belong to its mention (matcher.ts).
 */
const QUALIFIERS =
  /(?:[ \t]*,?[ \t]*(?:not[ \t]+intractable|without[ \t]+(?:status[ \t]+migrainosus|aura|mention[ \t]+of[ \t]+intractable[ \t]+migraine|refractory[ \t]+migraine)|so[ \t]+stated|unspecified)(?![\p{L}\p{N}]))+/uy;

function referenceMentions(text: string): RefMention[] {
  const f = foldRef(text);
  const ch = f.chars;
  const folded = ch.join('');
  const forms = lexicon.forms.map((form) => ({
    form,
    tokens: formTokens(form.text),
    diagnosis: lexicon.concepts[form.concept]!.category === 'diagnosis',
  }));
  const startsToken = (i: number) =>
    i < ch.length && !isSep(ch[i]) && ch[i] !== '\n' && ch[i] !== '\r' && !(isWord(ch[i]) && isWord(ch[i - 1]));
  /** The longest accepted form at folded position i. */
  const bestAt = (i: number) => {
    let best: { end: number; concept: number; diagnosis: boolean } | null = null;
    if (!startsToken(i)) return best;
    for (const { form, tokens, diagnosis } of forms) {
      if (tokens.length === 0) continue;
      const end = matchAt(ch, i, tokens);
      if (end < 0) continue;
      const start = f.from[i]!;
      const origEnd = extendOverInvisible(text, f.to[end - 1]!);
      // Case-sensitive forms are compared with the page's own letters exactly (case and accents
      // kept: "N\u0308/V" is not "N/V"), spaces, dashes and invisible characters aside.
      if (form.caseSensitive) {
        const strip = (s: string) =>
          [...s].filter((c) => !REMOVED.has(c.codePointAt(0)!) && !/^[\s\-\u2010-\u2015]$/.test(c)).join('');
        if (strip(text.slice(start, origEnd)) !== strip(form.text)) continue;
      }
      if (!best || end > best.end) best = { end, concept: form.concept, diagnosis };
    }
    return best;
  };
  const out: RefMention[] = [];
  for (let i = 0; i < ch.length;) {
    const best = bestAt(i);
    if (!best) {
      i++;
      continue;
    }
    let end = best.end;
    if (best.diagnosis) {
      // A diagnosis whose name runs on into another diagnosis' name is one mention.
      for (let k = i + 1; k < end; k++) {
        const next = bestAt(k);
        if (next && next.diagnosis && next.end > end) end = next.end;
      }
      QUALIFIERS.lastIndex = end;
      const q = QUALIFIERS.exec(folded);
      if (q) end = q.index + q[0].length;
    }
    out.push({ concept: best.concept, start: f.from[i]!, end: extendOverInvisible(text, f.to[end - 1]!) });
    i = end;
  }
  return out;
}

/**
 * A mention ends after its last character and the combining marks attached to it (they are part of
 * that character on screen); an invisible character after it (a soft hyphen, a zero-width joiner)
 * is not part of the term.
 */
function extendOverInvisible(text: string, end: number): number {
  let e = end;
  while (e < text.length) {
    const cp = text.codePointAt(e)!;
    if (!/^\p{M}$/u.test(String.fromCodePoint(cp))) break;
    e += cp > 0xffff ? 2 : 1;
  }
  return e;
}

// ---------- generators ----------

const FORM_TEXTS = [...new Set(lexicon.forms.map((f) => f.text))];
const caseVariant = (s: string, mask: number) =>
  [...s].map((c, i) => ((mask >> (i % 30)) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
const formPiece = fc
  .tuple(fc.constantFrom(...FORM_TEXTS), fc.integer({ min: 0, max: 2 ** 30 }), fc.boolean())
  .map(([t, mask, keep]) => (keep || /[A-Z]/.test(t) ? t : caseVariant(t, mask)));
const WORDS = [
  'the',
  'with',
  'without',
  'not',
  'intractable',
  'unspecified',
  'status',
  'and',
  'of',
  'pins',
  'needles',
  'life',
  'worst',
  'ha',
  'cm',
  'nv',
  'auras',
  'x',
];
const SEPARATORS = [' ', ' ', '\u00a0', '\t', '\n', '-', ' - ', '\u2009'];
const NOISE = [
  '\u00ad',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u202e',
  '\u0301',
  '\u0308',
  '😀',
  '𝐀',
  'é',
  'e\u0301',
  ',',
  '.',
  '/',
  '(',
  '1',
];

/** A piece, sometimes with a noise character pushed inside it (between code points). */
const piece = fc
  .tuple(
    fc.oneof({ weight: 3, arbitrary: formPiece }, { weight: 2, arbitrary: fc.constantFrom(...WORDS) }),
    fc.option(fc.tuple(fc.nat(), fc.constantFrom(...NOISE)), { freq: 3 }),
  )
  .map(([p, noise]) => {
    if (!noise) return p;
    const cps = [...p];
    const k = noise[0] % (cps.length + 1);
    return [...cps.slice(0, k), noise[1], ...cps.slice(k)].join('');
  });

const text = fc
  .array(fc.tuple(piece, fc.constantFrom(...SEPARATORS, ...NOISE)), { minLength: 1, maxLength: 14 })
  .map((parts) => parts.map(([p, s]) => p + s).join(''));

// ---------- properties ----------

const splitsPair = (s: string, i: number) =>
  i > 0 && i < s.length && /[\ud800-\udbff]/.test(s[i - 1]!) && /[\udc00-\udfff]/.test(s[i]!);

describe('matcher against a naive reference', () => {
  it('finds the same mentions on random text with surrogates, marks, NBSP, soft hyphens', () => {
    fc.assert(
      fc.property(text, (t) => {
        const got = findMentions(matcher, t).mentions.map(({ concept, start, end }) => ({ concept, start, end }));
        expect(got).toEqual(referenceMentions(t));
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it('agrees on the random texts it once disagreed on (a plural of a plural is no plural)', () => {
    for (const t of [
      'migrainesés😀tatus aura ',
      'migraine with aurasés😀tatus the ',
      'light sensitivity\u202es,tatus aura ',
    ]) {
      const got = findMentions(matcher, t).mentions.map(({ concept, start, end }) => ({ concept, start, end }));
      expect(got).toEqual(referenceMentions(t));
    }
  });

  it('never starts or ends a finding inside a surrogate pair, and its text is the page’s own', () => {
    fc.assert(
      fc.property(text, (t) => {
        for (const f of analyze(engine, t)) {
          expect(splitsPair(t, f.start)).toBe(false);
          expect(splitsPair(t, f.end)).toBe(false);
          expect(f.text).toBe(t.slice(f.start, f.end));
          expect(f.sentence).toBe(t.slice(f.sentenceStart, f.sentenceStart + f.sentence.length));
        }
      }),
      { numRuns: 2000 },
    );
  }, 60_000);

  it('examples the reference and the engine agree on', () => {
    const show = (t: string) => referenceMentions(t).map((m) => t.slice(m.start, m.end));
    expect(show('Hx of mi\u00adgraine w/ aura')).toEqual(['mi\u00adgraine', 'aura']);
    expect(show('migraine\u0301 then photo\u200bphobia')).toEqual(['migraine\u0301', 'photo\u200bphobia']);
    expect(show('pins-and-needles; MIGRAINE\u00a0WITH  AURA')).toEqual([
      'pins-and-needles',
      'MIGRAINE\u00a0WITH  AURA',
    ]);
    expect(show('migraines ha HA 😀aura😀')).toEqual(['migraines', 'HA', 'aura']);
    expect(show('migraine with\naura')).toEqual(['migraine', 'aura']);
    for (const t of ['Hx of mi\u00adgraine w/ aura', 'migraine with\naura', 'migraines ha HA 😀aura😀']) {
      expect(findMentions(matcher, t).mentions.map((m) => t.slice(m.start, m.end))).toEqual(show(t));
    }
  });
});

// ---------- the same text over random DOM splits ----------

const INLINE = ['span', 'b', 'i', 'em', 'a', 'mark'];

/** The text split at random code-point boundaries into text nodes, some wrapped in inline elements. */
function buildDom(t: string, cuts: number[], wraps: number[]): HTMLElement {
  const root = document.createElement('div');
  const cps = [...t];
  const points = [...new Set(cuts.map((c) => c % (cps.length + 1)))].sort((a, b) => a - b);
  let prev = 0;
  const chunks: string[] = [];
  for (const p of [...points, cps.length]) {
    if (p > prev) chunks.push(cps.slice(prev, p).join(''));
    prev = Math.max(prev, p);
  }
  chunks.forEach((chunk, i) => {
    const node = document.createTextNode(chunk);
    const w = wraps[i % Math.max(1, wraps.length)] ?? 0;
    if (w % 3 === 0) root.appendChild(node);
    else {
      const el = document.createElement(INLINE[w % INLINE.length]!);
      // Sometimes two levels deep, the way rich-text editors nest.
      if (w % 5 === 0) el.appendChild(document.createElement('span')).appendChild(node);
      else el.appendChild(node);
      root.appendChild(el);
    }
  });
  return root;
}

/** The characters between two DOM positions, read from the text nodes in order. */
function textBetween(a: { node: Text; offset: number }, b: { node: Text; offset: number }, nodes: Text[]): string {
  const i = nodes.indexOf(a.node);
  const j = nodes.indexOf(b.node);
  if (i === j) return a.node.data.slice(a.offset, b.offset);
  let s = a.node.data.slice(a.offset);
  for (let k = i + 1; k < j; k++) s += nodes[k]!.data;
  return s + b.node.data.slice(0, b.offset);
}

describe('terms split across text nodes', () => {
  // Line breaks become block boundaries in the DOM. Inline, a line break or tab is shown as a space
  // (white space collapses), and read as one; splits into nodes keep the text as it is.
  const inlineText = text.map((t) => t.replace(/[\n\r\t]/g, ' '));

  it('extractText over random splits gives the same findings, mapped back to the right characters', () => {
    fc.assert(
      fc.property(
        inlineText,
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (t, cuts, wraps) => {
          const root = buildDom(t, cuts, wraps);
          const ex = extractText(root);
          expect(ex.text).toBe(t);
          const whole = analyze(engine, t);
          const split = analyze(engine, ex.text);
          expect(split.map((f) => [f.concept, f.start, f.end, f.assertion])).toEqual(
            whole.map((f) => [f.concept, f.start, f.end, f.assertion]),
          );
          const nodes = ex.nodes;
          for (const f of split) {
            const a = locate(ex, f.start);
            const b = locate(ex, f.end, true);
            expect(a && b).toBeTruthy();
            expect(textBetween(a!, b!, nodes)).toBe(f.text);
            expect(splitsPair(a!.node.data, a!.offset)).toBe(false);
            expect(splitsPair(b!.node.data, b!.offset)).toBe(false);
          }
        },
      ),
      { numRuns: 1000 },
    );
  }, 60_000);
});
