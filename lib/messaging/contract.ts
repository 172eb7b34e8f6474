/**
 * The one message contract between Chartlight's contexts, named by direction and validated at
 * runtime on receipt: anything malformed, oversized or from a foreign sender is dropped, never
 * thrown on. Payloads carry ids and offsets; page text (a finding's words and sentence) travels
 * only to the background's memory and on to the panel, never to storage.local, logs or URLs.
 */
import {
  ASSERTION_PRECEDENCE,
  HIGHLIGHT_CATEGORIES,
  type CompiledLexicon,
  type Cue,
  type Finding,
} from '../engine/types';

/** A finding as it travels: the engine's finding plus where it was found. */
export interface WireFinding extends Finding {
  /** Set for findings in a <textarea>/<input>: the field's label. */
  field?: string;
}

/**
 * Content script → background.
 * - findings: what the frame tree shows now (replaces the frame's previous list). A long list comes
 *   in parts, each a short task to send: the first replaces, the next ones carry `append: true`.
 * - open-entry: the user asked for an entry (click on a highlight, the card's button).
 * - entry-brief: the hover card asks for an entry's summary and evidence level, which stay out of
 *   the content script's bundle; the reply is an EntryBrief or null.
 */
export type ContentToBackground =
  | {
      type: 'findings';
      findings: WireFinding[];
      fields: WireFinding[];
      append?: boolean;
      /**
       * Findings and fields the frame has in all, sent when that is more than the background keeps
       * (MAX_FINDINGS_PER_FRAME): the rest is never sent, and the panel says how many it lacks.
       */
      total?: number;
    }
  | { type: 'open-entry'; entryId: string }
  | { type: 'entry-brief'; entryId: string }
  | { type: 'lexicon' };

/**
 * The name of the port (runtime.connect) a content script sends its first pass's text through.
 * A port, not a message per chunk: runtime.sendMessage opens and closes a channel each time, which
 * cost the page's main thread about three times as much as posting on one open port.
 */
export const ANALYZE_PORT = 'chartlight-analyze';

/**
 * A chunk of the page's text for the background to analyse (see analysis.ts), posted on the
 * ANALYZE_PORT: the analysis of first passes and page updates runs there, off the page's main
 * thread. `id` pairs the answer with its request; `offset` is where the chunk lies in the text
 * being read (negative for an update's chunk that starts in the text before the blocks it reads);
 * `complete`, whether it reaches the end of it; `hash`, the lexicon the content script holds. The answer, posted back
 * on the port, is an AnalysedChunk with the same `id`, or `{ id }` alone where there is none.
 */
export interface AnalyzeRequest {
  type: 'analyze';
  id: number;
  text: string;
  offset: number;
  complete: boolean;
  /** The findings wanted: mentions starting in [from, to) (the chunk without its lead-in and lead-out). */
  from: number;
  to: number;
  hash: string;
}

/** The background's reply to entry-brief. */
export interface EntryBrief {
  summary: string;
  evidence: string;
}

/** Background → content script (in one frame). */
export type BackgroundToContent =
  { type: 'step'; direction: 1 | -1 } | { type: 'reveal'; index: number } | { type: 'pause' } | { type: 'resume' };

/**
 * Side panel → background.
 * - always-scan: scan the tab's site automatically from now on. The panel calls
 *   `permissions.request({ origins: [sitePattern(url)] })` itself in its click handler (a user
 *   gesture, which a message does not carry), then sends this; the background registers the
 *   content script for the granted origin and scans the tab. Replies `{ granted, origin }`.
 * - pause-tab / resume-tab: stop scanning the tab (its highlights are cleared and its observers
 *   stopped) and start again.
 */
export type PanelToBackground =
  | { type: 'get-tab'; tabId: number }
  | { type: 'reveal'; tabId: number; frameId: number; index: number }
  | { type: 'scan-tab'; tabId: number }
  | { type: 'always-scan'; tabId: number }
  | { type: 'pause-tab'; tabId: number }
  | { type: 'resume-tab'; tabId: number };

export interface FrameFindings {
  frameId: number;
  findings: WireFinding[];
  fields: WireFinding[];
  /** How many the frame has in all, when it has more than MAX_FINDINGS_PER_FRAME. */
  total?: number;
}

export interface TabState {
  tabId: number;
  frames: FrameFindings[];
  /** An entry the user asked to open from the page (click on a highlight). */
  focusEntry: string | null;
  paused: boolean;
}

/** Limits that bound what one message may carry, so a hostile page cannot flood the background. */
export const MAX_FINDINGS_PER_MESSAGE = 5000;
/**
 * The most findings (page text and fields) the background keeps for one frame, however many parts
 * they arrive in, and so the most a content script sends: a 150,000-node page has 57,000. The
 * background mirrors each tab into storage.session, which holds 10 MB for the whole extension, and
 * Chrome counts about 1 kB per finding there.
 */
export const MAX_FINDINGS_PER_FRAME = 8000;
/** Above any page's count of findings: a larger `total` is no count. */
const MAX_TOTAL = 10_000_000;
export const MAX_STRING = 2000;
/** The longest text one analyze message may carry: a chunk, its lead-in and its lead-out. */
export const MAX_ANALYZE_CHARS = 32_768;
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31;
/** An offset that may lie before the text it counts from (an update's lead-in). */
const isOffset = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 31;
const isStr = (v: unknown, max = MAX_STRING): v is string => typeof v === 'string' && v.length <= max;
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const ASSERTIONS = new Set<string>(['affirmed', ...ASSERTION_PRECEDENCE]);
const CATEGORIES = new Set<string>(HIGHLIGHT_CATEGORIES);
const CUE_FLAGS = new Set<string>(ASSERTION_PRECEDENCE);

function isFinding(v: unknown): v is WireFinding {
  if (!isObj(v)) return false;
  if (!(isStr(v.concept, 100) && ID.test(v.concept) && isStr(v.category) && CATEGORIES.has(v.category))) return false;
  if (!(
    isStr(v.title, 300) &&
    isStr(v.text, 300) &&
    isStr(v.sentence) &&
    isInt(v.start) &&
    isInt(v.end) &&
    isInt(v.sentenceStart)
  ))
    return false;
  if (!(isStr(v.assertion) && ASSERTIONS.has(v.assertion))) return false;
  for (const f of ASSERTION_PRECEDENCE) if (!isBool(v[f])) return false;
  if (v.field !== undefined && !isStr(v.field, 100)) return false;
  if (!Array.isArray(v.cues) || v.cues.length > 10) return false;
  return v.cues.every(
    (c) =>
      isObj(c) &&
      isStr(c.flag) &&
      CUE_FLAGS.has(c.flag) &&
      isStr(c.text, 200) &&
      isInt(c.start) &&
      isInt(c.end) &&
      (c.kind === 'phrase' || c.kind === 'section' || c.kind === 'column'),
  );
}

function isFindingList(v: unknown): v is WireFinding[] {
  return Array.isArray(v) && v.length <= MAX_FINDINGS_PER_MESSAGE && v.every(isFinding);
}

/**
 * A findings message as the content script sends it: the same findings in a compact form. Chrome
 * serialises a message at about 20 ns a byte on the page's main thread, and as objects a finding
 * is some 450 bytes, most of them key names and sentences repeated for each finding of a sentence.
 * Here each concept (id, category, title) and each sentence is written once, and a finding is a
 * row of values; parseContentMessage unpacks it and validates the result as any findings message.
 */
export interface PackedFindings {
  type: 'findings-packed';
  /** [id, category, title] of each concept the findings name. */
  concepts: [string, string, string][];
  sentences: string[];
  findings: PackedFinding[];
  fields: PackedFinding[];
  append?: true;
  total?: number;
}

/**
 * [concept index, text, start, end, assertion index (ASSERTIONS_PACKED), flag bits (1 << index in
 * ASSERTION_PRECEDENCE), sentence index, sentenceStart, cues, field label (fields only)].
 */
export type PackedFinding = [number, string, number, number, number, number, number, number, PackedCue[], string?];
/** [flag index in ASSERTION_PRECEDENCE, kind index in CUE_KINDS, text, start, end]. */
export type PackedCue = [number, number, string, number, number];
/** A cue's kind on the wire: its index here (a phrase was 0 and a section 1 before columns came). */
export const CUE_KINDS: readonly Cue['kind'][] = ['phrase', 'section', 'column'];

/** What the content script sends: findings packed, every other message as it is. */
export type ContentWire = Exclude<ContentToBackground, { type: 'findings' }> | PackedFindings;

export const ASSERTIONS_PACKED = ['affirmed', ...ASSERTION_PRECEDENCE] as const;

/** The content script's side: a findings message in its compact form (other messages as they are). */
export function packMessage(msg: ContentToBackground): ContentWire {
  if (msg.type !== 'findings') return msg;
  const concepts: [string, string, string][] = [];
  const conceptAt = new Map<string, number>();
  const sentences: string[] = [];
  const sentenceAt = new Map<string, number>();
  const row = (f: WireFinding): PackedFinding => {
    // Keyed by all three: the message says what the finding says, even where one id had two titles.
    const key = `${f.concept}\u0000${f.category}\u0000${f.title}`;
    let c = conceptAt.get(key);
    if (c === undefined) {
      conceptAt.set(key, (c = concepts.length));
      concepts.push([f.concept, f.category, f.title]);
    }
    let s = sentenceAt.get(f.sentence);
    if (s === undefined) {
      sentenceAt.set(f.sentence, (s = sentences.length));
      sentences.push(f.sentence);
    }
    let bits = 0;
    ASSERTION_PRECEDENCE.forEach((flag, i) => {
      if (f[flag]) bits |= 1 << i;
    });
    const cues = f.cues.map((q): PackedCue => [
      ASSERTION_PRECEDENCE.indexOf(q.flag),
      CUE_KINDS.indexOf(q.kind),
      q.text,
      q.start,
      q.end,
    ]);
    const out: PackedFinding = [
      c,
      f.text,
      f.start,
      f.end,
      ASSERTIONS_PACKED.indexOf(f.assertion),
      bits,
      s,
      f.sentenceStart,
      cues,
    ];
    if (f.field !== undefined) out.push(f.field);
    return out;
  };
  const packed: PackedFindings = {
    type: 'findings-packed',
    concepts,
    sentences,
    findings: msg.findings.map(row),
    fields: msg.fields.map(row),
  };
  if (msg.append) packed.append = true;
  if (msg.total !== undefined) packed.total = msg.total;
  return packed;
}

/**
 * The packed rows as findings objects, or null where the shape is wrong: indices in range, types
 * as the rows declare. What comes out is then validated as any findings list (isFindingList).
 */
function unpackRows(rows: unknown, concepts: unknown[], sentences: unknown[], field: boolean): unknown[] | null {
  if (!Array.isArray(rows) || rows.length > MAX_FINDINGS_PER_MESSAGE) return null;
  const out: unknown[] = [];
  for (const r of rows) {
    if (!Array.isArray(r) || r.length !== (field ? 10 : 9)) return null;
    const [c, text, start, end, a, bits, s, sentenceStart, cues, label] = r as unknown[];
    const concept = isInt(c) ? concepts[c] : undefined;
    const sentence = isInt(s) ? sentences[s] : undefined;
    if (!Array.isArray(concept) || concept.length !== 3 || sentence === undefined) return null;
    if (!isInt(a) || a >= ASSERTIONS_PACKED.length || !isInt(bits) || bits >= 1 << ASSERTION_PRECEDENCE.length)
      return null;
    if (!Array.isArray(cues) || cues.length > 10) return null;
    const cueObjs: unknown[] = [];
    for (const q of cues) {
      if (!Array.isArray(q) || q.length !== 5) return null;
      const [flag, kind, qtext, qstart, qend] = q as unknown[];
      if (!isInt(flag) || flag >= ASSERTION_PRECEDENCE.length || !isInt(kind) || kind >= CUE_KINDS.length) return null;
      cueObjs.push({
        flag: ASSERTION_PRECEDENCE[flag],
        text: qtext,
        start: qstart,
        end: qend,
        kind: CUE_KINDS[kind],
      });
    }
    const f: Obj = {
      concept: concept[0],
      category: concept[1],
      title: concept[2],
      text,
      start,
      end,
      assertion: ASSERTIONS_PACKED[a],
      sentence,
      sentenceStart,
      cues: cueObjs,
    };
    ASSERTION_PRECEDENCE.forEach((flag, i) => (f[flag] = (bits & (1 << i)) !== 0));
    if (field) f.field = label;
    out.push(f);
  }
  return out;
}

/** A packed findings message as the findings message it stands for, unvalidated; null if malformed. */
function unpackMessage(msg: Obj): Obj | null {
  const { concepts, sentences } = msg;
  if (!Array.isArray(concepts) || concepts.length > MAX_FINDINGS_PER_MESSAGE) return null;
  if (!Array.isArray(sentences) || sentences.length > MAX_FINDINGS_PER_MESSAGE) return null;
  const findings = unpackRows(msg.findings, concepts, sentences, false);
  const fields = unpackRows(msg.fields, concepts, sentences, true);
  if (!findings || !fields) return null;
  const out: Obj = { type: 'findings', findings, fields, append: msg.append };
  if (msg.total !== undefined) out.total = msg.total;
  return out;
}

export function parseContentMessage(msg: unknown): ContentToBackground | null {
  if (!isObj(msg)) return null;
  if (msg.type === 'findings-packed') {
    const unpacked = unpackMessage(msg);
    return unpacked && parseContentMessage(unpacked);
  }
  if (msg.type === 'findings' && isFindingList(msg.findings) && isFindingList(msg.fields)) {
    if (msg.total !== undefined && !(isInt(msg.total) && msg.total >= 0 && msg.total <= MAX_TOTAL)) return null;
    const total = msg.total === undefined ? {} : { total: msg.total };
    return msg.append === true
      ? { type: 'findings', findings: msg.findings, fields: msg.fields, append: true, ...total }
      : { type: 'findings', findings: msg.findings, fields: msg.fields, ...total };
  }
  if ((msg.type === 'open-entry' || msg.type === 'entry-brief') && isStr(msg.entryId, 100) && ID.test(msg.entryId)) {
    return { type: msg.type, entryId: msg.entryId };
  }
  if (msg.type === 'lexicon') return { type: 'lexicon' };
  return null;
}

/**
 * A message on the ANALYZE_PORT: a well-formed request; `{ id }` alone for one that is not but
 * names its id (answered with nothing, so the page analyses that chunk itself); else null.
 */
export function parseAnalyzeRequest(msg: unknown): AnalyzeRequest | { id: number } | null {
  if (!isObj(msg) || !isInt(msg.id)) return null;
  if (
    msg.type === 'analyze' &&
    isStr(msg.text, MAX_ANALYZE_CHARS) &&
    isOffset(msg.offset) &&
    isBool(msg.complete) &&
    isInt(msg.from) &&
    isInt(msg.to) &&
    isStr(msg.hash, 100)
  ) {
    const { id, text, offset, complete, from, to, hash } = msg;
    return { type: 'analyze', id, text, offset, complete, from, to, hash };
  }
  return { id: msg.id };
}

/**
 * The content script's check of the lexicon the background hands it: the shape the engine needs,
 * so a wrong reply ends in "no scan", never in an exception on the page.
 */
export function isLexicon(v: unknown): v is CompiledLexicon {
  return (
    isObj(v) &&
    Array.isArray(v.concepts) &&
    Array.isArray(v.forms) &&
    isObj(v.codes) &&
    isObj(v.context) &&
    Array.isArray((v.context as Obj).rules) &&
    Array.isArray((v.context as Obj).sections)
  );
}

export function parseBackgroundMessage(msg: unknown): BackgroundToContent | null {
  if (!isObj(msg)) return null;
  if (msg.type === 'step' && (msg.direction === 1 || msg.direction === -1))
    return { type: 'step', direction: msg.direction };
  if (msg.type === 'reveal' && isInt(msg.index)) return { type: 'reveal', index: msg.index };
  if (msg.type === 'pause' || msg.type === 'resume') return { type: msg.type };
  return null;
}

export function parsePanelMessage(msg: unknown): PanelToBackground | null {
  if (!isObj(msg)) return null;
  if (msg.type === 'get-tab' && isInt(msg.tabId)) return { type: 'get-tab', tabId: msg.tabId };
  if (
    (msg.type === 'scan-tab' || msg.type === 'always-scan' || msg.type === 'pause-tab' || msg.type === 'resume-tab') &&
    isInt(msg.tabId)
  ) {
    return { type: msg.type, tabId: msg.tabId };
  }
  if (msg.type === 'reveal' && isInt(msg.tabId) && isInt(msg.frameId) && isInt(msg.index)) {
    return { type: 'reveal', tabId: msg.tabId, frameId: msg.frameId, index: msg.index };
  }
  return null;
}

/**
 * The match pattern that grants a page's site: its scheme, host and port, any path
 * ("https://ehr.example.org/*"). Null for pages that cannot be granted (file:, about:, the stores).
 */
export function sitePattern(url: string | undefined): string | null {
  if (!url) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  return `${u.protocol}//${u.hostname}/*`;
}

/** storage.session key for a tab's state (memory only; cleared when the tab closes). */
export const tabKey = (tabId: number) => `tab:${tabId}`;
