/**
 * text → findings: the one function the content script, the CLI and the tests all call.
 */
import {
  applyCues,
  createContextEngine,
  findCues,
  indexSections,
  pruneCues,
  sentenceAround,
  windowCell,
  type Applied,
  type ContextEngine,
  type FoundCue,
  type SectionMark,
  type Sentence,
} from './context';
import { createMatcher, findMentions, type Matcher } from './matcher';
import { toFolded, toOriginalEnd, toOriginalStart, type Folded } from './normalize';
import type { Tokens } from './tokens';
import {
  ASSERTION_PRECEDENCE,
  type Assertion,
  type CompiledLexicon,
  type ContextFlags,
  type Cue,
  type Finding,
  type Mention,
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

function noFlags(): ContextFlags {
  return { negated: false, uncertain: false, historical: false, hypothetical: false, family: false };
}

/**
 * A code at most this many tokens after a diagnosis on the same line labels that diagnosis
 * ("Chronic migraine without aura (ICD10:G43.709)", "Migraine - G43.909"): it takes the
 * diagnosis' context rather than being classified on its own.
 */
const CODE_LABEL_GAP_TOKENS = 4;

interface Classified {
  flags: ContextFlags;
  cues: Cue[];
  sentence: Sentence;
}

/**
 * Context classification over one text: the section index and each sentence's cues are computed
 * once and shared by every mention in it.
 */
class TextContext {
  private marks: SectionMark[] | null = null;
  /** Cues of the sentence classified last: mentions come in text order, several to a sentence. */
  private cuesOf: Sentence | null = null;
  private cues: FoundCue[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly text: string,
    private readonly folded: Folded,
    private readonly tokens: Tokens,
    /** Mentions whose words are not cues (sorted by token). */
    private readonly mentions: readonly Mention[],
  ) {}

  /** Whether any mention overlaps tokens [first, last]. */
  readonly overlapsMention = (first: number, last: number): boolean => {
    const ms = this.mentions;
    let lo = 0;
    let hi = ms.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = ms[mid]!;
      if (m.lastToken < first) lo = mid + 1;
      else if (m.firstToken > last) hi = mid - 1;
      else return true;
    }
    return false;
  };

  private lastSentence: Sentence | null = null;

  classify(first: number, last: number): Classified {
    this.marks ??= indexSections(this.engine.context, this.tokens, this.overlapsMention);
    // Mentions come in text order, often several to a sentence: reuse the sentence found last when
    // this mention lies well inside it (its bounds were real boundaries, not the reach limit).
    const prev = this.lastSentence;
    const sentence =
      prev && first >= prev.firstToken && last <= prev.lastToken && (!prev.capped || prev.cell === windowCell(first))
        ? prev
        : sentenceAround(this.tokens, this.marks, first, last);
    this.lastSentence = sentence;
    const known = this.cuesOf;
    if (!known || known.firstToken !== sentence.firstToken || known.lastToken !== sentence.lastToken) {
      this.cues = pruneCues(findCues(this.engine.context, this.tokens, sentence), this.tokens, this.overlapsMention);
      this.cuesOf = sentence;
      this.cueRecords.clear();
    }
    const cues = this.cues;
    const flags = noFlags();
    if (cues.length === 0 && !sentence.section) return { flags, cues: [], sentence };
    const basis: Cue[] = [];
    for (const a of applyCues(this.tokens, cues, sentence, first, last)) {
      flags[a.flag] = true;
      basis.push(this.cueOf(a));
    }
    return { flags, cues: basis, sentence };
  }

  /** Cue records of the current sentence, shared by its findings (most share their cue). */
  private cueRecords = new Map<FoundCue | SectionMark, Cue>();

  private cueOf(a: Applied): Cue {
    const key = a.cue ?? a.section!;
    let record = this.cueRecords.get(key);
    if (record && record.flag === a.flag) return record;
    record = this.makeCue(a);
    this.cueRecords.set(key, record);
    return record;
  }

  private makeCue(a: Applied): Cue {
    const range = a.cue ?? a.section!;
    const start = this.originalStart(range.firstToken);
    const end = this.originalEnd(range.lastToken);
    return { flag: a.flag, text: this.text.slice(start, end), start, end, kind: a.cue ? 'phrase' : 'section' };
  }

  originalStart(token: number): number {
    return toOriginalStart(this.folded, this.tokens.starts[token]!, this.text.length);
  }

  originalEnd(token: number): number {
    return toOriginalEnd(this.folded, this.tokens.ends[token]!);
  }
}

/** The diagnosis a code mention labels: the mention just before it on the same line, if any. */
function labelledBy(
  engine: Engine,
  tokens: Tokens,
  mentions: readonly Mention[],
  code: Mention,
  /** Index in `mentions` of the first mention at or after the code. */
  k: number,
): Mention | null {
  let best: Mention | null = null;
  // Mentions are in text order; only the few just before the code can be near enough.
  for (let j = k - 1; j >= 0; j--) {
    const m = mentions[j]!;
    if (code.firstToken - m.lastToken - 1 > CODE_LABEL_GAP_TOKENS) break;
    if (m.lastToken < code.firstToken && !m.code && engine.lexicon.concepts[m.concept]?.category === 'diagnosis') {
      best = m;
      break;
    }
  }
  if (!best) return null;
  const gapFrom = tokens.ends[best.lastToken]!;
  const gapTo = tokens.starts[code.firstToken]!;
  for (let k = gapFrom; k < gapTo; k++) {
    const c = tokens.text.charCodeAt(k);
    if (c === 10 || c === 13 || c === 46 /* . */ || c === 59 /* ; */) return null;
  }
  return best;
}

export function analyze(engine: Engine, text: string): Finding[] {
  const { mentions, folded, tokens } = findMentions(engine.matcher, text);
  if (mentions.length === 0) return [];
  const ctx = new TextContext(engine, text, folded, tokens, mentions);
  const findings: Finding[] = [];
  let previous: Classified | null = null;
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i]!;
    const label = m.code ? labelledBy(engine, tokens, mentions, m, i) : null;
    // A code labels the diagnosis just before it, classified in the previous step.
    const c: Classified =
      label && previous && mentions[i - 1] === label
        ? previous
        : label
          ? ctx.classify(label.firstToken, label.lastToken)
          : ctx.classify(m.firstToken, m.lastToken);
    previous = c;
    const concept = engine.lexicon.concepts[m.concept]!;
    const sentenceStart = ctx.originalStart(c.sentence.firstToken);
    const sentenceEnd = ctx.originalEnd(c.sentence.lastToken);
    const f = c.flags;
    findings.push({
      concept: concept.id,
      category: concept.category,
      title: concept.title,
      text: text.slice(m.start, m.end),
      start: m.start,
      end: m.end,
      assertion: assertionOf(f),
      negated: f.negated,
      uncertain: f.uncertain,
      historical: f.historical,
      hypothetical: f.hypothetical,
      family: f.family,
      sentence: text.slice(sentenceStart, sentenceEnd),
      sentenceStart,
      cues: c.cues,
    });
  }
  return findings;
}

/**
 * Assertion of one given span (the CLI's --assertions mode): the span is treated as a mention, so
 * the classifier is judged on its own, apart from the lexicon. Other mentions the lexicon finds
 * in the text still count (their words are not cues; a code takes its diagnosis' context).
 */
export function classifySpan(
  engine: Engine,
  text: string,
  start: number,
  end: number,
): { flags: ContextFlags; cues: Cue[] } {
  const { mentions, folded, tokens } = findMentions(engine.matcher, text);
  if (tokens.count === 0) return { flags: noFlags(), cues: [] };
  const fStart = toFolded(folded, Math.max(0, Math.min(start, text.length)));
  const fEnd = Math.max(fStart + 1, toFolded(folded, Math.max(0, Math.min(end, text.length))));
  // Tokens that overlap [fStart, fEnd); a span between tokens takes the next one.
  let first = 0;
  while (first < tokens.count - 1 && tokens.ends[first]! <= fStart) first++;
  let last = first;
  while (last + 1 < tokens.count && tokens.starts[last + 1]! < fEnd) last++;
  // The span itself is the mention here: a larger lexicon match around it ("migraine without aura"
  // around "aura") does not hide the cues inside it.
  const others = mentions.filter((m) => m.lastToken < first || m.firstToken > last);
  const ctx = new TextContext(engine, text, folded, tokens, others);
  const code = mentions.find((m) => m.code && m.firstToken <= last && first <= m.lastToken);
  const after = code ? others.findIndex((m) => m.firstToken >= code.firstToken) : -1;
  const label = code ? labelledBy(engine, tokens, others, code, after < 0 ? others.length : after) : null;
  const c = label ? ctx.classify(label.firstToken, label.lastToken) : ctx.classify(first, last);
  return { flags: c.flags, cues: c.cues };
}
