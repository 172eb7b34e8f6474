/**
 * text → findings: the one function the content script, the CLI and the tests all call.
 */
import {
  applyCues,
  contextFrom,
  findCues,
  indexSections,
  newApplied,
  patternGroups,
  pruneCues,
  rulePhrases,
  sectionPhrases,
  sentenceAround,
  windowCell,
  type ContextEngine,
  type FoundCue,
  type SectionMark,
  type Sentence,
} from './context';
import {
  addMention,
  matcherFrom,
  formPhrases,
  newMentionTable,
  scanMentions,
  type Matcher,
  type MentionTable,
} from './matcher';
import { toFolded, toOriginalEnd, toOriginalStart, type Folded } from './normalize';
import { answerBelow, columnDenial, isWholeCell } from './answers';
import { prebuildTrie, type Tokens } from './tokens';
import {
  ASSERTION_PRECEDENCE,
  type Assertion,
  type CompiledLexicon,
  type ContextFlag,
  type ContextFlags,
  type Cue,
  type Finding,
  type PrebuiltEngine,
} from './types';

export interface Engine {
  lexicon: CompiledLexicon;
  matcher: Matcher;
  context: ContextEngine;
}

/**
 * The engine for a lexicon: from its prebuilt tries when it carries them (a compiled knowledge
 * base does), else worked out from its text. Prebuilt data that does not fit the lexicon is not
 * used: the engine is the same either way, only slower to make.
 */
export function createEngine(lexicon: CompiledLexicon): Engine {
  return prebuiltEngine(lexicon) ?? engineFrom(lexicon, prebuildEngine(lexicon));
}

/**
 * The engine from the prebuilt data a compiled lexicon carries, or null where it has none that
 * fits. The content script makes its engine this way only (its lexicon comes from the build), so
 * the code that builds tries from text stays out of its bundle.
 */
export function prebuiltEngine(lexicon: CompiledLexicon): Engine | null {
  const pre = lexicon.prebuilt;
  if (pre && pre.hash === lexicon.hash && pre.forms.at.length === lexicon.forms.length) {
    try {
      return engineFrom(lexicon, pre);
    } catch {
      // Malformed.
    }
  }
  return null;
}

function engineFrom(lexicon: CompiledLexicon, pre: PrebuiltEngine): Engine {
  return { lexicon, matcher: matcherFrom(lexicon, pre.forms), context: contextFrom(lexicon.context, pre) };
}

/** What createEngine needs from a lexicon beyond its text, made once when the knowledge is compiled. */
export function prebuildEngine(lexicon: CompiledLexicon): PrebuiltEngine {
  return {
    hash: lexicon.hash,
    forms: prebuildTrie(formPhrases(lexicon)),
    rules: prebuildTrie(rulePhrases(lexicon.context)),
    sections: prebuildTrie(sectionPhrases(lexicon.context)),
    groups: patternGroups(lexicon.context),
  };
}

export function assertionOf(flags: ContextFlags): Assertion {
  for (const flag of ASSERTION_PRECEDENCE) if (flags[flag]) return flag;
  return 'affirmed';
}

function noFlags(): ContextFlags {
  return { negated: false, uncertain: false, historical: false, hypothetical: false, family: false };
}

/** Context flags as bits, so a classification allocates no flags object. */
const NEGATED = 1;
const UNCERTAIN = 2;
const HISTORICAL = 4;
const HYPOTHETICAL = 8;
const FAMILY = 16;

function flagBit(flag: ContextFlag): number {
  switch (flag) {
    case 'negated':
      return NEGATED;
    case 'uncertain':
      return UNCERTAIN;
    case 'historical':
      return HISTORICAL;
    case 'hypothetical':
      return HYPOTHETICAL;
    case 'family':
      return FAMILY;
  }
}

function flagsOf(bits: number): ContextFlags {
  return {
    negated: (bits & NEGATED) !== 0,
    uncertain: (bits & UNCERTAIN) !== 0,
    historical: (bits & HISTORICAL) !== 0,
    hypothetical: (bits & HYPOTHETICAL) !== 0,
    family: (bits & FAMILY) !== 0,
  };
}

/** The assertion of every combination of flags, made by assertionOf itself. */
const ASSERTION_OF_BITS: readonly Assertion[] = Array.from({ length: 32 }, (_, bits) => assertionOf(flagsOf(bits)));

/**
 * A copy of `part` (a piece of `text`) that does not keep `text` alive. V8 makes a substring of 13
 * or more characters a view into its parent, so one sentence kept by one finding would keep the
 * whole text it was cut from: on a long page, megabytes of chunk text for as long as the findings
 * live. Concatenation makes a new string, which slicing then copies out flat.
 */
export function ownCopy(part: string): string {
  return part.length < 13 ? part : (' ' + part).slice(1);
}

/**
 * Strings that findings keep, one copy of each: charts repeat themselves (flowsheet rows, template
 * sentences, the same symptom named hundreds of times), and a long page's findings would otherwise
 * hold tens of thousands of equal strings. Keys and values are the copies, never views into page
 * text (see ownCopy).
 */
export type StringTable = Map<string, string>;

export function kept(table: StringTable, part: string): string {
  const known = table.get(part);
  if (known !== undefined) return known;
  const copy = ownCopy(part);
  table.set(copy, copy);
  return copy;
}

/** The cues of a finding without any: one shared, frozen list rather than one per finding. */
const NO_CUES: Cue[] = Object.freeze([]) as unknown as Cue[];

/**
 * A code at most this many tokens after a diagnosis on the same line labels that diagnosis
 * ("Chronic migraine without aura (ICD10:G43.709)", "Migraine - G43.909"): it takes the
 * diagnosis' context rather than being classified on its own.
 */
const CODE_LABEL_GAP_TOKENS = 4;

/** A distinct sentence's cues (token indices relative to its first token), and where it is. */
interface SentenceCues {
  start: number;
  length: number;
  cues: FoundCue[];
  next: SentenceCues | undefined;
}

/**
 * Context classification over one text: the section index and each sentence's cues are computed
 * once and shared by every mention in it. `classify` leaves its answer in `flags`, `cues` and
 * `sentence`, read before the next call: a page has tens of thousands of mentions, and a result
 * object for each would only feed the garbage collector.
 */
class TextContext {
  /** Flags (bits) of the mention classified last. */
  flags = 0;
  /** The cues that set them, in the order applyCues reports them; NO_CUES when none. */
  cues: Cue[] = NO_CUES;
  /** The sentence it lies in. */
  sentence: Sentence | null = null;

  private marks: SectionMark[] | null = null;
  /** Cues of the sentence classified last: mentions come in text order, several to a sentence. */
  private cuesOf: Sentence | null = null;
  private found: FoundCue[] = [];
  private readonly applied = newApplied();
  /** Cue records of the current sentence, shared by its findings (most share their cue). */
  private readonly recordKeys: (FoundCue | SectionMark)[] = [];
  private readonly records: Cue[] = [];
  private recordCount = 0;
  /** The basis being built, before it is compared with the last one. */
  private readonly basis: Cue[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly text: string,
    private readonly folded: Folded,
    private readonly tokens: Tokens,
    /** Mentions whose words are not cues (sorted by token). */
    private readonly mentions: MentionTable,
    /** Where `text` lies in the text the findings are reported in (see analyze). */
    private readonly offset: number,
    private readonly strings: StringTable,
  ) {}

  /** Whether token k begins with a capital letter in the text as written (the tokens are folded). */
  readonly capitalAt = (k: number): boolean => {
    const c = this.text.charCodeAt(toOriginalStart(this.folded, this.tokens.starts[k]!, this.text.length));
    return c >= 65 && c <= 90;
  };

  /** Whether any mention overlaps tokens [first, last]. */
  readonly overlapsMention = (first: number, last: number): boolean => this.mentionIn(first, last) >= 0;

  /** The first token of the first mention that overlaps tokens [first, last], or -1. */
  readonly mentionIn = (first: number, last: number): number => {
    const { firstToken, lastToken } = this.mentions;
    // Mentions do not overlap each other, so their ends rise with their starts: the first whose
    // end reaches `first` is the only candidate.
    let lo = 0;
    let hi = this.mentions.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lastToken[mid]! < first) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.mentions.count && firstToken[lo]! <= last ? firstToken[lo]! : -1;
  };

  classify(first: number, last: number): void {
    this.marks ??= indexSections(this.engine.context, this.tokens, this.overlapsMention, this.capitalAt);
    // Mentions come in text order, often several to a sentence: reuse the sentence found last when
    // this mention lies well inside it (its bounds were real boundaries, not the reach limit).
    const prev = this.sentence;
    const sentence =
      prev && first >= prev.firstToken && last <= prev.lastToken && (!prev.capped || prev.cell === windowCell(first))
        ? prev
        : sentenceAround(this.tokens, this.marks, first, last);
    this.sentence = sentence;
    const known = this.cuesOf;
    if (!known || known.firstToken !== sentence.firstToken || known.lastToken !== sentence.lastToken) {
      this.found = pruneCues(this.cuesIn(sentence), sentence.firstToken, this.tokens, this.mentionIn);
      this.cuesOf = sentence;
      this.recordCount = 0;
    }
    const previous = this.cues;
    this.flags = 0;
    this.cues = NO_CUES;
    if (this.found.length === 0 && !sentence.section) return;
    const applied = this.applied;
    const n = applyCues(this.tokens, this.found, sentence, first, last, applied);
    if (n === 0) return;
    const basis = this.basis;
    let bits = 0;
    let same = previous.length === n;
    for (let i = 0; i < n; i++) {
      const flag = applied.flags[i]!;
      bits |= flagBit(flag);
      basis[i] = this.cueOf(flag, applied.cues[i]!, applied.sections[i]!);
      if (basis[i] !== previous[i]) same = false;
    }
    this.flags = bits;
    // Neighbouring mentions often rest on the same cues ("no fever, chills or aura"): they share
    // one list, as they share its records.
    this.cues = same ? previous : basis.slice(0, n);
  }

  /**
   * The cues of a sentence, with token indices relative to its first token, remembered by its
   * folded text: which cues a sentence holds depends on its words alone (see findCues), and charts
   * repeat their sentences — templates, flowsheet rows, copied-forward notes — so each distinct
   * sentence is searched once per text. The key is a hash of the sentence's tokens and the
   * characters between them; a hit is confirmed letter by letter against the first occurrence.
   */
  private cuesIn(sentence: Sentence): FoundCue[] {
    const { text, starts, ends, hashes } = this.tokens;
    const first = sentence.firstToken;
    const last = sentence.lastToken;
    let h = 0x811c9dc5 | 0;
    for (let t = first; t <= last; t++) {
      h = Math.imul(h ^ hashes[t]!, 0x01000193);
      if (t < last) for (let k = ends[t]!; k < starts[t + 1]!; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
    }
    // A small integer key: V8 keeps it unboxed.
    const key = h & 0x3fffffff;
    const start = starts[first]!;
    const length = ends[last]! - start;
    const memo = (this.cueMemo ??= new Map());
    const head = memo.get(key);
    for (let e = head; e !== undefined; e = e.next) {
      if (e.length !== length) continue;
      let k = 0;
      while (k < length && text.charCodeAt(e.start + k) === text.charCodeAt(start + k)) k++;
      if (k === length) return e.cues;
    }
    const found = findCues(this.engine.context, this.tokens, sentence);
    const cues: FoundCue[] = [];
    for (let i = 0; i < found.length; i++) {
      const c = found[i]!;
      cues.push({ rule: c.rule, firstToken: c.firstToken - first, lastToken: c.lastToken - first });
    }
    memo.set(key, { start, length, cues, next: head });
    return cues;
  }

  /** Cues of each distinct sentence (see cuesIn), chained by key. */
  private cueMemo: Map<number, SentenceCues> | null = null;

  private cueOf(flag: ContextFlag, cue: FoundCue | null, section: SectionMark | null): Cue {
    const key = cue ?? section!;
    const keys = this.recordKeys;
    let at = -1;
    for (let i = this.recordCount - 1; i >= 0 && at < 0; i--) if (keys[i] === key) at = i;
    if (at >= 0 && this.records[at]!.flag === flag) return this.records[at]!;
    const start = this.originalStart(key.firstToken);
    const end = this.originalEnd(key.lastToken);
    const record: Cue = {
      flag,
      text: kept(this.strings, this.text.slice(start, end)),
      start: start + this.offset,
      end: end + this.offset,
      kind: cue ? 'phrase' : 'section',
    };
    if (at < 0) {
      at = this.recordCount++;
      keys[at] = key;
    }
    this.records[at] = record;
    return record;
  }

  originalStart(token: number): number {
    return toOriginalStart(this.folded, this.tokens.starts[token]!, this.text.length);
  }

  originalEnd(token: number): number {
    return toOriginalEnd(this.folded, this.tokens.ends[token]!);
  }
}

/**
 * The diagnosis a code labels: the mention just before it on the same line, if any, as its index
 * in `mentions`; -1 if none.
 */
function labelledBy(
  engine: Engine,
  tokens: Tokens,
  mentions: MentionTable,
  /** The code's first token. */
  codeFirst: number,
  /** Index in `mentions` of the first mention at or after the code. */
  k: number,
): number {
  let best = -1;
  // Mentions are in text order; only the few just before the code can be near enough.
  for (let j = k - 1; j >= 0; j--) {
    const lastToken = mentions.lastToken[j]!;
    if (codeFirst - lastToken - 1 > CODE_LABEL_GAP_TOKENS) break;
    if (
      lastToken < codeFirst &&
      mentions.code[j] !== 1 &&
      engine.lexicon.concepts[mentions.concept[j]!]?.category === 'diagnosis'
    ) {
      best = j;
      break;
    }
  }
  if (best < 0) return -1;
  const gapFrom = tokens.ends[mentions.lastToken[best]!]!;
  const gapTo = tokens.starts[codeFirst]!;
  for (let k = gapFrom; k < gapTo; k++) {
    const c = tokens.text.charCodeAt(k);
    if (c === 10 || c === 13 || c === 46 /* . */ || c === 59 /* ; */) return -1;
  }
  return best;
}

/** Where findings are wanted: mentions that start in [from, to), offsets as the findings give them. */
export interface FindingRange {
  from: number;
  to: number;
}

/**
 * The findings of a text, with their context. `offset` is where the text lies in a longer one (a
 * chunk of a page): the offsets of findings and cues are in that one, so the findings of a chunk
 * are final as made, not copied over with their cues to be moved (60,000 on a long page).
 *
 * `only` limits the findings to the mentions starting in a range: a chunk's lead-in and lead-out
 * are read for their context (a section header above, an answer below) and their own mentions are
 * another chunk's, so they are not classified at all.
 */
export function analyze(
  engine: Engine,
  text: string,
  offset = 0,
  strings: StringTable = new Map(),
  /** The text ends where the page's does (not a chunk's end): a table running to it has ended. */
  complete = true,
  only?: FindingRange,
): Finding[] {
  const { table: mentions, folded, tokens } = scanMentions(engine.matcher, text, true);
  const n = mentions.count;
  if (n === 0) return [];
  const ctx = new TextContext(engine, text, folded, tokens, mentions, offset, strings);
  const concepts = engine.lexicon.concepts;
  const { concept: conceptOf, start: startOf, end: endOf, firstToken, lastToken, code } = mentions;
  const rangeFrom = only ? only.from - offset : -Infinity;
  const rangeTo = only ? only.to - offset : Infinity;
  let wanted = n;
  if (only) {
    wanted = 0;
    for (let i = 0; i < n; i++) if (startOf[i]! >= rangeFrom && startOf[i]! < rangeTo) wanted++;
    if (wanted === 0) return [];
  }
  const findings = new Array<Finding>(wanted);
  let made = 0;
  let bits = 0;
  let cues: Cue[] = NO_CUES;
  let sentence: Sentence | null = null;
  // The sentence as the findings show it, kept while consecutive findings share it.
  let shown: Sentence | null = null;
  let sentenceStart = 0;
  let sentenceText = '';
  for (let i = 0; i < n; i++) {
    if (startOf[i]! < rangeFrom || startOf[i]! >= rangeTo) continue;
    const label = code[i] === 1 ? labelledBy(engine, tokens, mentions, firstToken[i]!, i) : -1;
    // A code labels the diagnosis just before it, classified in the previous step: it keeps that
    // classification. Otherwise the mention (or the diagnosis it labels) is classified now. (Mentions
    // come in text order: where the diagnosis lies before the range, nothing was classified yet.)
    if (!(label >= 0 && sentence !== null && label === i - 1)) {
      if (label >= 0) ctx.classify(firstToken[label]!, lastToken[label]!);
      else ctx.classify(firstToken[i]!, lastToken[i]!);
      bits = ctx.flags;
      cues = ctx.cues;
      sentence = ctx.sentence!;
    }
    if (sentence !== shown) {
      shown = sentence;
      const from = ctx.originalStart(sentence!.firstToken);
      sentenceStart = from + offset;
      sentenceText = kept(strings, text.slice(from, ctx.originalEnd(sentence!.lastToken)));
    }
    const concept = concepts[conceptOf[i]!]!;
    const start = startOf[i]!;
    const end = endOf[i]!;
    // Words that say their concept is absent ("afebrile") deny it themselves, and are the cue shown.
    const absent = code[i] === 2;
    let own = absent ? bits | NEGATED : bits;
    let ownCues = absent ? absentCues(cues, text, start, end, offset, strings) : cues;
    // A flowsheet's header cell is answered by its column: denied where every row says no. A
    // label alone on its line is answered by a plain no on the next ("Aura" then "No").
    if (!absent && (own & NEGATED) === 0) {
      const column = isWholeCell(text, start, end) ? columnDenial(text, start, end, complete) : null;
      const below = column ? null : answerBelow(text, start, end);
      if (column || below) {
        own |= NEGATED;
        ownCues = [answerCue(column ?? below!, column ? 'column' : 'phrase', text, offset, strings), ...cues];
      }
    }
    findings[made++] = {
      concept: concept.id,
      category: concept.category,
      title: concept.title,
      text: kept(strings, text.slice(start, end)),
      start: start + offset,
      end: end + offset,
      assertion: ASSERTION_OF_BITS[own]!,
      negated: (own & NEGATED) !== 0,
      uncertain: (own & UNCERTAIN) !== 0,
      historical: (own & HISTORICAL) !== 0,
      hypothetical: (own & HYPOTHETICAL) !== 0,
      family: (own & FAMILY) !== 0,
      sentence: sentenceText,
      sentenceStart,
      cues: ownCues,
    };
  }
  return findings;
}

/** The no that answers a label laid out apart from it (its column's first, or the line below), as its cue. */
function answerCue(
  at: { start: number; end: number },
  kind: 'column' | 'phrase',
  text: string,
  offset: number,
  strings: StringTable,
): Cue {
  return {
    flag: 'negated',
    text: kept(strings, text.slice(at.start, at.end)),
    start: at.start + offset,
    end: at.end + offset,
    kind,
  };
}

/** The cues of a finding whose own words deny it: those words first, as a negation cue. */
function absentCues(
  cues: Cue[],
  text: string,
  start: number,
  end: number,
  offset: number,
  strings: StringTable,
): Cue[] {
  const own: Cue = {
    flag: 'negated',
    text: kept(strings, text.slice(start, end)),
    start: start + offset,
    end: end + offset,
    kind: 'phrase',
  };
  return [own, ...cues.filter((c) => c.flag !== 'negated')];
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
  const { table: mentions, folded, tokens } = scanMentions(engine.matcher, text, true);
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
  const others = newMentionTable();
  let code = -1; // the first code the span lies on
  // The span stands among the mentions as a mention of no concept, as a lexicon finding would: a
  // cue that runs on into it is cut short before it ("before SAH has been ruled out").
  let spanAdded = false;
  const addSpan = () => {
    spanAdded = true;
    addMention(others, -1, tokens.starts[first]!, tokens.ends[last]!, first, last, false);
  };
  for (let i = 0; i < mentions.count; i++) {
    const a = mentions.firstToken[i]!;
    const b = mentions.lastToken[i]!;
    if (b < first || a > last) {
      if (a > last && !spanAdded) addSpan();
      addMention(others, mentions.concept[i]!, mentions.start[i]!, mentions.end[i]!, a, b, mentions.code[i] === 1);
    } else if (code < 0 && mentions.code[i] === 1) code = i;
  }
  if (!spanAdded) addSpan();
  const ctx = new TextContext(engine, text, folded, tokens, others, 0, new Map());
  let label = -1;
  if (code >= 0) {
    const codeFirst = mentions.firstToken[code]!;
    let after = 0;
    while (after < others.count && others.firstToken[after]! < codeFirst) after++;
    label = labelledBy(engine, tokens, others, codeFirst, after);
  }
  if (label >= 0) ctx.classify(others.firstToken[label]!, others.lastToken[label]!);
  else ctx.classify(first, last);
  return { flags: flagsOf(ctx.flags), cues: ctx.cues };
}
