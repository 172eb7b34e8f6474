/**
 * text → findings: the one function the content script, the CLI and the tests all call.
 */
import { applyCues, createContextEngine, findCues, splitSentences, type ContextEngine } from './context';
import { createMatcher, findMentions, tokenAt, type Matcher } from './matcher';
import { toOriginalEnd, toOriginalStart } from './normalize';
import {
  ASSERTION_PRECEDENCE,
  type Assertion,
  type CompiledLexicon,
  type ContextFlags,
  type Cue,
  type Finding,
} from './types';

export interface Engine {
  lexicon: CompiledLexicon;
  matcher: Matcher;
  context: ContextEngine;
}

export function createEngine(lexicon: CompiledLexicon): Engine {
  return { lexicon, matcher: createMatcher(lexicon), context: createContextEngine(lexicon.context) };
}

export function assertionOf(flags: ContextFlags): Assertion {
  for (const flag of ASSERTION_PRECEDENCE) if (flags[flag]) return flag;
  return 'affirmed';
}

export function analyze(engine: Engine, text: string): Finding[] {
  const { mentions, folded, tokens } = findMentions(engine.matcher, text);
  if (mentions.length === 0) return [];
  const ft = folded.text;
  const sentences = splitSentences(engine.context, ft, tokens);
  const findings: Finding[] = [];
  const tokenOf = (offset: number) => tokenAt(tokens, offset);
  let si = 0;
  let cuesFor = -1;
  let cues: ReturnType<typeof findCues> = [];
  for (const m of mentions) {
    while (si < sentences.length - 1 && sentences[si]!.lastToken < m.firstToken) si++;
    const s = sentences[si]!;
    if (cuesFor !== si) {
      cues = findCues(engine.context, ft, tokens, s, tokenOf);
      cuesFor = si;
    }
    const flags: ContextFlags = {
      negated: false,
      uncertain: false,
      historical: false,
      hypothetical: false,
      family: false,
    };
    const basis: Cue[] = [];
    for (const a of applyCues(cues, s, m.firstToken, m.lastToken)) {
      flags[a.flag] = true;
      const range = a.cue ?? a.section!;
      const start = toOriginalStart(folded, tokens.starts[range.firstToken]!);
      const end = toOriginalEnd(folded, tokens.ends[range.lastToken]!, text.length);
      basis.push({ flag: a.flag, text: text.slice(start, end), start, end, kind: a.cue ? 'phrase' : 'section' });
    }
    const concept = engine.lexicon.concepts[m.concept]!;
    const sentenceStart = toOriginalStart(folded, tokens.starts[s.firstToken]!);
    const sentenceEnd = toOriginalEnd(folded, tokens.ends[s.lastToken]!, text.length);
    findings.push({
      concept: concept.id,
      category: concept.category,
      title: concept.title,
      text: text.slice(m.start, m.end),
      start: m.start,
      end: m.end,
      assertion: assertionOf(flags),
      ...flags,
      sentence: text.slice(sentenceStart, sentenceEnd),
      sentenceStart,
      cues: basis,
    });
  }
  return findings;
}

/**
 * Assertion of one given span (the CLI's --assertions mode): the span is treated as a mention, so
 * the classifier is judged on its own, apart from the lexicon.
 */
export function classifySpan(
  engine: Engine,
  text: string,
  start: number,
  end: number,
): { flags: ContextFlags; cues: Cue[] } {
  const { folded, tokens } = findMentions(engine.matcher, text);
  const flags: ContextFlags = {
    negated: false,
    uncertain: false,
    historical: false,
    hypothetical: false,
    family: false,
  };
  const cuesOut: Cue[] = [];
  if (tokens.count === 0) return { flags, cues: cuesOut };
  const ft = folded.text;
  const fStart = foldedIndex(folded.map, start);
  const fEnd = Math.max(fStart, foldedIndex(folded.map, end) - 1);
  const first = tokenAt(tokens, fStart);
  const last = Math.max(first, tokenAt(tokens, fEnd));
  const sentences = splitSentences(engine.context, ft, tokens);
  const s = sentences.find((x) => x.firstToken <= first && first <= x.lastToken) ?? sentences[sentences.length - 1]!;
  const cues = findCues(engine.context, ft, tokens, s, (o) => tokenAt(tokens, o));
  for (const a of applyCues(cues, s, first, last)) {
    flags[a.flag] = true;
    const range = a.cue ?? a.section!;
    const cs = toOriginalStart(folded, tokens.starts[range.firstToken]!);
    const ce = toOriginalEnd(folded, tokens.ends[range.lastToken]!, text.length);
    cuesOut.push({ flag: a.flag, text: text.slice(cs, ce), start: cs, end: ce, kind: a.cue ? 'phrase' : 'section' });
  }
  return { flags, cues: cuesOut };
}

function foldedIndex(map: Int32Array | null, original: number): number {
  if (!map) return original;
  let lo = 0;
  let hi = map.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid]! < original) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
