/**
 * Context (assertion) classification in the manner of ConText (Harkema et al., J Biomed Inform
 * 2009): trigger phrases with a direction open a scope over the words around them; terminators
 * and the sentence end close it; pseudo-triggers ("no increase") are matched longest-first so the
 * trigger inside them ("no") never fires. Section headers ("Family History:") give their context
 * to everything under them. The rules themselves are data: knowledge/context/*.json.
 */
import { fold } from './normalize';
import { matchTrie, newNode, phraseTokens, trieInsert, type Tokens, type TrieNode } from './tokens';
import type { CompiledContextRules, ContextFlag, ContextRule, SectionRule } from './types';

/**
 * Scope when a rule gives none, in words. ConText's reach is the whole sentence; charts run many
 * findings into one "sentence" without full stops, so a bound keeps a cue at the start of a long
 * line from reaching findings that belong to another clause.
 */
export const DEFAULT_SCOPE_WORDS = 12;

interface RuleRef {
  rule: ContextRule;
  index: number;
}

export interface ContextEngine {
  root: TrieNode<RuleRef>;
  patterns: { re: RegExp; ref: RuleRef }[];
  sections: TrieNode<SectionRule>;
}

export function createContextEngine(rules: CompiledContextRules): ContextEngine {
  const root = newNode<RuleRef>();
  const patterns: ContextEngine['patterns'] = [];
  rules.rules.forEach((rule, index) => {
    if (rule.pattern) patterns.push({ re: new RegExp(rule.pattern, 'giu'), ref: { rule, index } });
    else trieInsert(root, phraseTokens(fold(rule.literal).text), { rule, index });
  });
  const sections = newNode<SectionRule>();
  for (const s of rules.sections) trieInsert(sections, phraseTokens(fold(s.literal).text), s);
  return { root, patterns, sections };
}

export interface FoundCue {
  rule: ContextRule;
  firstToken: number;
  lastToken: number;
}

export interface Sentence {
  /** Token range, inclusive. */
  firstToken: number;
  lastToken: number;
  /** Context set by the section this sentence is in, with the header's tokens. */
  section: { rule: SectionRule; firstToken: number; lastToken: number } | null;
}

/** Words that end in a full stop without ending a sentence. */
const ABBREVIATIONS = new Set([
  'vs',
  'dr',
  'mr',
  'mrs',
  'ms',
  'st',
  'approx',
  'pt',
  'pts',
  'hx',
  'dx',
  'fhx',
  'no',
  'wk',
  'wks',
  'yr',
  'yrs',
  'min',
  'mo',
  'sec',
  'etc',
  'cf',
  'al',
  'fig',
]);

function lineBreakBetween(text: string, from: number, to: number): { newline: boolean; space: boolean } {
  let newline = false;
  let space = false;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) newline = true;
    else if (c === 32 || c === 9) space = true;
  }
  return { newline, space };
}

/** Splits tokens into sentences and tracks the section each belongs to. */
export function splitSentences(engine: ContextEngine, text: string, tokens: Tokens): Sentence[] {
  const out: Sentence[] = [];
  const { words, starts, ends, count } = tokens;
  let section: Sentence['section'] = null;
  let first = 0;
  let lineStart = true;
  for (let i = 0; i < count; i++) {
    if (lineStart) {
      const header = matchHeader(engine, text, tokens, i);
      if (header) section = header.rule.category === null ? null : header;
      else if (header === null && isBareHeaderReset(text, tokens, i)) section = null;
      lineStart = false;
    }
    const last = i === count - 1;
    let boundary = last;
    let nextLine = false;
    if (!last) {
      const gap = lineBreakBetween(text, ends[i]!, starts[i + 1]!);
      if (gap.newline) {
        boundary = true;
        nextLine = true;
      } else if (gap.space) {
        const w = words[i]!;
        if (w === '!' || w === '?') boundary = true;
        else if (w === '.' && i > 0) {
          const prev = words[i - 1]!;
          boundary = !(prev.length === 1 && /[a-z]/.test(prev)) && !ABBREVIATIONS.has(prev);
        }
      }
    }
    if (boundary) {
      out.push({ firstToken: first, lastToken: i, section });
      first = i + 1;
      if (nextLine) lineStart = true;
    }
  }
  return out;
}

/** A header at token i: known words then ":" or the end of the line. */
function matchHeader(engine: ContextEngine, text: string, tokens: Tokens, i: number) {
  const found = matchTrie(engine.sections, text, tokens, () => true, i, Math.min(tokens.count, i + 8));
  const m = found[0];
  if (!m || m.firstToken !== i) return undefined;
  const after = m.lastToken + 1;
  const endsLine =
    after >= tokens.count || lineBreakBetween(text, tokens.ends[m.lastToken]!, tokens.starts[after]!).newline;
  if (tokens.words[after] === ':' || endsLine) {
    return {
      rule: m.value,
      firstToken: m.firstToken,
      lastToken: after < tokens.count && tokens.words[after] === ':' ? after : m.lastToken,
    };
  }
  return undefined;
}

/**
 * An unknown header ("Vitals:", "Medications:") also ends the previous section: a short line-start
 * phrase of capitalised words followed by a colon. Tested on the folded text, so only the shape.
 */
function isBareHeaderReset(text: string, tokens: Tokens, i: number): boolean {
  for (let k = i; k < Math.min(tokens.count, i + 5); k++) {
    if (tokens.words[k] === ':') return k > i;
    if (!/^[a-z]+$/.test(tokens.words[k]!)) return false;
  }
  return false;
}

export function findCues(
  engine: ContextEngine,
  text: string,
  tokens: Tokens,
  s: Sentence,
  tokenOf: (offset: number) => number,
): FoundCue[] {
  const cues: FoundCue[] = matchTrie(engine.root, text, tokens, () => true, s.firstToken, s.lastToken + 1).map((m) => ({
    rule: m.value.rule,
    firstToken: m.firstToken,
    lastToken: m.lastToken,
  }));
  if (engine.patterns.length > 0) {
    const from = tokens.starts[s.firstToken]!;
    const slice = text.slice(from, tokens.ends[s.lastToken]!);
    for (const { re, ref } of engine.patterns) {
      re.lastIndex = 0;
      for (const m of slice.matchAll(re)) {
        if (m[0].length === 0) continue;
        const a = tokenOf(from + m.index);
        const b = tokenOf(from + m.index + m[0].length - 1);
        // Literal matches win over patterns where they overlap: they are more specific.
        if (!cues.some((c) => c.firstToken <= b && a <= c.lastToken))
          cues.push({ rule: ref.rule, firstToken: a, lastToken: b });
      }
    }
    cues.sort((x, y) => x.firstToken - y.firstToken);
  }
  return cues;
}

export interface Applied {
  flag: ContextFlag;
  cue: FoundCue | null;
  section: Sentence['section'];
}

/**
 * The context flags that apply to a mention spanning tokens [first, last] of sentence `s`.
 * `mentionSpans` are all mentions' token ranges in the sentence: a cue inside another mention
 * is part of that mention's words, not a cue.
 */
export function applyCues(cues: FoundCue[], s: Sentence, first: number, last: number): Applied[] {
  const applied = new Map<ContextFlag, Applied>();
  for (let ci = 0; ci < cues.length; ci++) {
    const cue = cues[ci]!;
    const cat = cue.rule.category;
    if (cat === 'terminate' || cat === 'pseudo') continue;
    if (cue.firstToken <= last && first <= cue.lastToken) continue;
    const scope = cue.rule.maxScope ?? DEFAULT_SCOPE_WORDS;
    const dir = cue.rule.direction;
    let reaches = false;
    if (cue.lastToken < first && (dir === 'forward' || dir === 'both')) {
      reaches = first - cue.lastToken - 1 <= scope && !terminatedBetween(cues, cue.lastToken, first);
    } else if (cue.firstToken > last && (dir === 'backward' || dir === 'both')) {
      reaches = cue.firstToken - last - 1 <= scope && !terminatedBetween(cues, last, cue.firstToken);
    }
    if (!reaches) continue;
    const prev = applied.get(cat);
    // The nearest cue is the basis shown to the user.
    if (!prev || (prev.cue && distance(cue, first, last) < distance(prev.cue, first, last))) {
      applied.set(cat, { flag: cat, cue, section: null });
    }
  }
  // A header gives its context to everything after it in its section ("FHx: father w/ MwA").
  const sec = s.section;
  if (sec?.rule.category && !applied.has(sec.rule.category) && first > sec.lastToken) {
    applied.set(sec.rule.category, { flag: sec.rule.category, cue: null, section: sec });
  }
  return [...applied.values()];
}

function distance(cue: FoundCue, first: number, last: number): number {
  return cue.lastToken < first ? first - cue.lastToken : cue.firstToken - last;
}

function terminatedBetween(cues: FoundCue[], from: number, to: number): boolean {
  for (const c of cues) {
    if (c.rule.category === 'terminate' && c.firstToken > from && c.lastToken < to) return true;
  }
  return false;
}
