/**
 * The content script's logic for one frame tree: scan, highlight, follow changes, show the hover
 * card, answer the background. Everything hangs off `signal`; aborting (extension update) undoes
 * it all, and a pause from the background stops the scanner and clears its highlights until resumed.
 *
 * What Chartlight does to a page, in full:
 * - highlights through the CSS Custom Highlight API (CSS.highlights), which is not the DOM;
 * - one host element for the hover card, appended to <html> when a card is first shown;
 * - the highlight styles added to each open shadow root, and to each same-origin frame document
 *   that the extension's style sheet did not reach, as a constructed style sheet in
 *   `adoptedStyleSheets` — document-level ::highlight() rules do not reach into shadow trees. This
 *   is not a DOM mutation: no node, attribute or text changes, and no MutationObserver sees it;
 * - event listeners (pointer, click, key) that only read.
 */
import { kept, type Engine } from '../engine/analyze';
import type { CompiledLexicon, Finding } from '../engine/types';
import { decodeFindings } from '../messaging/analysis';
import {
  ANALYZE_PORT,
  MAX_FINDINGS_PER_FRAME,
  MAX_FINDINGS_PER_MESSAGE,
  MAX_STRING,
  parseBackgroundMessage,
  type ContentToBackground,
  type WireFinding,
} from '../messaging/contract';
import { CARD_HOST_TAG, HoverCard, type EntryBrief } from './card';
import { highlightApi, staticRange, type PlacedFinding } from './highlights';
import { PageScanner, type RemoteAnalysis, type ScanReport } from './scanner';

declare const __CHARTLIGHT_MARKS__: boolean | undefined;
/** Benchmark builds mark when the last part of a report has gone (see scripts/bench.ts). */
const MARKS = typeof __CHARTLIGHT_MARKS__ === 'boolean' && __CHARTLIGHT_MARKS__;

export interface ContentEnv {
  win: Window;
  lexicon: CompiledLexicon;
  /**
   * The engine of that lexicon, or how to make it: made when first needed, as a first pass's
   * text is read in the background (an update, a field, a chunk the background did not answer).
   */
  engine: Engine | (() => Engine);
  signal: AbortSignal;
  send: (msg: ContentToBackground) => Promise<unknown>;
  onMessage: (listener: (msg: unknown) => void) => () => void;
  /** Opens a port to the background (runtime.connect): without it every chunk is analysed here. */
  connect?: (name: string) => ContentPort;
  /** The highlight style sheet's text, adopted into shadow roots and frames it does not reach. */
  highlightCss?: string;
  /**
   * Whether the topmost same-origin document scans the frames below it (default true). False in
   * Firefox: there each frame's own content script scans its own document.
   */
  scanFrames?: boolean;
  /** Categories switched off by the user or by the administrator's policy: never marked. */
  disabled?: ReadonlySet<string>;
  /**
   * Whether a first pass sends its text to the background to be analysed there, off the page's
   * main thread (default true; the page analyses any chunk the background does not answer).
   */
  analyzeInBackground?: boolean;
}

/** What the content script uses of a runtime.Port. */
export interface ContentPort {
  postMessage(msg: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (msg: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface ContentController {
  scanner: PageScanner;
  card: HoverCard;
  pause(): void;
  resume(): void;
}

const FOCUS_HIGHLIGHT = 'chartlight-focus';
/** How long a revealed finding stays flashed: long enough to find it on a busy screen. */
const FLASH_MS = 1500;

/**
 * Whether this frame is scanned by the content script of a same-origin frame above it. The frame
 * tree's topmost same-origin document scans every frame below it (including about:blank, srcdoc
 * and frames created after load, which a content script may never reach), so that stepping through
 * findings and the one hover card span all the tabs of a frame-based EHR.
 */
export function scannedByParent(win: Window): boolean {
  try {
    return !!win.frameElement;
  } catch {
    return false;
  }
}

export function startContent(env: ContentEnv): ContentController | null {
  const { win, signal } = env;
  if (!highlightApi(win)) return null; // No CSS Custom Highlight API: never fall back to wrapping text.
  const scanFrames = env.scanFrames !== false;
  if (scanFrames && scannedByParent(win)) return null;
  const engine = env.engine;
  const doc = win.document;
  const briefs = new Map<string, Promise<EntryBrief | null>>();
  const card = new HoverCard({
    doc,
    signal,
    brief: (id) => {
      let p = briefs.get(id);
      if (!p) briefs.set(id, (p = env.send({ type: 'entry-brief', entryId: id }).then(asBrief, () => null)));
      return p;
    },
    onOpen: (id) => void env.send({ type: 'open-entry', entryId: id }).catch(() => undefined),
  });
  const isCardHost = (el: Element) => el.localName === CARD_HOST_TAG;
  const reporter = new Reporter(env.send, signal);
  const css = env.highlightCss;

  const scanner: PageScanner = new PageScanner({
    win,
    engine,
    signal,
    exclude: isCardHost,
    frames: scanFrames,
    disabled: env.disabled,
    remote:
      env.analyzeInBackground === false || !env.connect ? undefined : remoteAnalysis(env.connect, env.lexicon, signal),
    onReport: (r) => reporter.report(r),
    onShadowRoot: (root, s) => css && adoptStyles(root, css, s),
    onDocument: (d, s) => {
      if (css && d !== doc) adoptStyles(d, css, s);
      listen(d, s);
    },
    onCommit: () => {
      // After a re-render the card's mention is a new finding at the same place (the card stays,
      // WCAG 1.4.13 "persistent"); if the mention is gone, a card about vanished text misleads.
      const f = card.finding;
      if (!f || scanner.findings.some((p) => p.finding === f)) return;
      const same = scanner.findings.find((p) => sameMention(p.finding, f));
      if (same) card.rebind(same.finding);
      else card.hide();
    },
  });

  let pending: { doc: Document; x: number; y: number; target: EventTarget | null } | null = null;
  let frame = 0;
  const onMove = () => {
    frame = 0;
    const m = pending;
    pending = null;
    if (!m || !scanner.running) return;
    if (card.owns(m.target)) return card.enter();
    const p = findingAtPoint(scanner, m.doc, m.x, m.y);
    if (!p) return card.leave();
    card.enter();
    if (card.finding !== p.finding) {
      scanner.setCurrent(p);
      card.show(p.finding, anchorRect(scanner, p), false);
    }
  };

  function listen(d: Document, s: AbortSignal): void {
    const opts = { capture: true, passive: true, signal: s } as const;
    // One hit-test per frame at most: pointermove fires far more often than the screen repaints.
    d.addEventListener(
      'mousemove',
      (e) => {
        pending = { doc: d, x: e.clientX, y: e.clientY, target: e.target };
        if (!frame) frame = win.requestAnimationFrame(onMove);
      },
      opts,
    );
    d.addEventListener('mouseleave', () => card.leave(), opts);
    d.addEventListener(
      'keydown',
      (e) => {
        if (e.key === 'Escape' && card.isOpen) card.hide();
      },
      opts,
    );
    d.addEventListener(
      'click',
      (e) => {
        if (e.button !== 0 || e.defaultPrevented || card.owns(e.target) || hasSelection(d)) return;
        const p = findingAtPoint(scanner, d, e.clientX, e.clientY);
        if (p) void env.send({ type: 'open-entry', entryId: p.finding.concept }).catch(() => undefined);
      },
      opts,
    );
  }

  const off = env.onMessage((raw) => {
    const msg = parseBackgroundMessage(raw);
    if (!msg) return;
    if (msg.type === 'pause') return controller.pause();
    if (msg.type === 'resume') return controller.resume();
    const p = msg.type === 'step' ? scanner.step(msg.direction) : (scanner.findings[msg.index] ?? null);
    if (!p) return;
    scanner.setCurrent(p);
    scanner.showFinding(p);
    reveal(scanner, p, signal);
    card.show(p.finding, anchorRect(scanner, p), true);
  });
  signal.addEventListener(
    'abort',
    () => {
      off();
      if (frame) win.cancelAnimationFrame(frame);
    },
    { once: true },
  );

  const controller: ContentController = {
    scanner,
    card,
    pause() {
      card.hide();
      scanner.stop();
      reporter.cancel();
    },
    resume() {
      scanner.start();
    },
  };
  scanner.start();
  return controller;
}

/** The same mention of the same concept in the same context, found again by a later pass. */
export function sameMention(a: Finding, b: Finding): boolean {
  return (
    a.concept === b.concept &&
    // Offsets within the sentence, not the page: a page update is read on its own, so the same
    // mention read again may sit at another offset of another text.
    a.start - a.sentenceStart === b.start - b.sentenceStart &&
    a.end - a.start === b.end - b.start &&
    a.assertion === b.assertion &&
    a.text === b.text &&
    a.sentence === b.sentence
  );
}

/** How long the port to the background stays open with no chunk on it (a pass's chunks come close). */
const PORT_IDLE_MS = 2000;

/**
 * A chunk analysed by the background with the same lexicon: its findings rebuilt on the chunk's own
 * text, or null (no answer, another lexicon, a malformed reply) so the scanner analyses it here.
 * The chunks go on one port, opened for a pass and closed once it has been idle a while; if it
 * closes with chunks out (the extension was updated, the background stopped), they come back null.
 */
export function remoteAnalysis(
  connect: NonNullable<ContentEnv['connect']>,
  { hash, concepts }: CompiledLexicon,
  signal: AbortSignal,
): RemoteAnalysis {
  let port: ContentPort | null = null;
  /** The strings the open port's replies have named, by number (see NamedStrings). */
  let named: string[] = [];
  let id = 0;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const waiting = new Map<number, (reply: unknown) => void>();
  const close = () => {
    clearTimeout(idle);
    const p = port;
    port = null;
    p?.disconnect();
    for (const answer of waiting.values()) answer(null);
    waiting.clear();
  };
  signal.addEventListener('abort', close, { once: true });
  const open = (): ContentPort => {
    if (port) return port;
    const p = connect(ANALYZE_PORT);
    named = [];
    p.onMessage.addListener((reply) => {
      const n = (reply as { id?: unknown } | null)?.id as number;
      const answer = waiting.get(n);
      if (!answer) return;
      waiting.delete(n);
      answer(reply);
      if (waiting.size === 0) idle = setTimeout(close, PORT_IDLE_MS);
    });
    p.onDisconnect.addListener(() => port === p && close());
    return (port = p);
  };
  return (text, offset, complete, strings, { from, to }) => {
    let list = named;
    let on: ContentPort | null = null;
    return new Promise<unknown>((answer) => {
      if (signal.aborted) return answer(null);
      clearTimeout(idle);
      const n = id++;
      waiting.set(n, answer);
      try {
        on = open();
        list = named;
        on.postMessage({ type: 'analyze', id: n, text, offset, complete, from, to, hash });
      } catch {
        // No port (the extension was updated): the scanner analyses the chunk.
        waiting.delete(n);
        answer(null);
      }
    }).then((reply) => {
      const findings = decodeFindings(reply, text, offset, concepts, hash, (s) => kept(strings, s), list);
      // An answer not read leaves the port's strings and the background's apart: the next chunks
      // go on a new port, both sides' lists empty.
      if (!findings && on === port && (reply as { rows?: unknown } | null)?.rows !== undefined) close();
      // The background was asked for the chunk's own findings only: held to that all the same.
      return findings && findings.filter((f) => f.start >= from && f.start < to);
    });
  };
}

function asBrief(v: unknown): EntryBrief | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  return typeof o.summary === 'string' && typeof o.evidence === 'string'
    ? { summary: o.summary, evidence: o.evidence }
    : null;
}

/**
 * Findings per message. Copying a message costs about 10 µs per finding (its sentence included), so
 * a flowsheet's 2,000 findings in one message held the page for ~40 ms; 250 keep each part short.
 */
export const REPORT_PART = 250;

/**
 * Sends a report in parts, each in its own task and each made only when it is sent (clipping
 * 50,000 findings at once would itself be a long task). A newer full report cancels the parts of
 * an older one still waiting (its first part replaces the frame's list in the background); an
 * appended report queues behind what is still being sent. No more findings are sent than the
 * background keeps for a frame (MAX_FINDINGS_PER_FRAME): past that, messages carry only the total.
 */
export class Reporter {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private queue: { report: ScanReport; from: number; first: boolean }[] = [];
  /** Findings and fields sent since the last full report: what the background holds. */
  private sent = 0;
  /** Findings and fields the frame has in all. */
  private total = 0;

  constructor(
    private readonly send: (msg: ContentToBackground) => Promise<unknown>,
    signal: AbortSignal,
    private readonly part = REPORT_PART,
    private readonly maxPerFrame = MAX_FINDINGS_PER_FRAME,
  ) {
    signal.addEventListener('abort', () => this.cancel(), { once: true });
  }

  report(r: ScanReport): void {
    if (!r.append) {
      this.cancel();
      this.sent = 0;
      this.total = r.findings.length + r.fields.length;
    } else if (r.findings.length === 0) return;
    else this.total += r.findings.length;
    this.queue.push({ report: r, from: 0, first: !r.append });
    if (this.timer === null) this.next();
  }

  private next = (): void => {
    this.timer = null;
    const item = this.queue[0];
    if (!item) return;
    const { report, from } = item;
    const fields = item.first ? Math.min(report.fields.length, MAX_FINDINGS_PER_MESSAGE, this.maxPerFrame) : 0;
    const room = Math.max(0, this.maxPerFrame - this.sent - fields);
    const count = Math.min(this.part, room, Math.max(0, report.findings.length - from));
    const total = this.total > this.maxPerFrame ? this.total : undefined;
    void this.send(wirePart(report, from, item.first, count, total, fields)).catch(() => undefined);
    this.sent += count + fields;
    item.first = false;
    item.from += count;
    // Done with this report when all of it is sent, or when the background has no more room.
    if (item.from >= report.findings.length || this.sent >= this.maxPerFrame) this.queue.shift();
    if (this.queue.length > 0) this.timer = setTimeout(this.next, 0);
    else if (MARKS) performance.mark('chartlight:reported');
  };

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }
}

/**
 * One message of a report: `count` findings from `from`, clipped to the contract's limits so a
 * long row is never dropped whole. The first message of a full report replaces the frame's list
 * and carries the fields (the first `fields` of them); every other one is appended.
 */
export function wirePart(
  r: ScanReport,
  from: number,
  first: boolean,
  count = REPORT_PART,
  total?: number,
  fields = MAX_FINDINGS_PER_MESSAGE,
): ContentToBackground {
  const findings = r.findings.slice(from, from + count).map(clip);
  const counted = total === undefined ? {} : { total };
  if (!first) return { type: 'findings', findings, fields: [], append: true, ...counted };
  const sent = r.fields.slice(0, fields).map((f) => ({ ...clip(f), field: f.field.slice(0, 100) }));
  return { type: 'findings', findings, fields: sent, ...counted };
}

/** A whole report as messages (tests; the Reporter makes them one at a time). */
export function toWireParts(r: ScanReport, part = REPORT_PART): ContentToBackground[] {
  const out: ContentToBackground[] = [];
  for (let i = 0; i === 0 || i < r.findings.length; i += part) out.push(wirePart(r, i, i === 0 && !r.append, part));
  return out;
}

function clip(f: Finding): WireFinding {
  const text = f.text.slice(0, 300);
  const title = f.title.slice(0, 300);
  let { sentence, sentenceStart } = f;
  if (sentence.length > MAX_STRING) {
    const at = f.start - sentenceStart;
    const from = Math.max(0, Math.min(at - MAX_STRING / 2, sentence.length - MAX_STRING));
    sentence = sentence.slice(from, from + MAX_STRING);
    sentenceStart += from;
  }
  const cues = f.cues.slice(0, 10).map((c) => ({ ...c, text: c.text.slice(0, 200) }));
  const { concept, category, assertion, negated, uncertain, historical, hypothetical, family, start, end } = f;
  return {
    concept,
    category,
    title,
    text,
    start,
    end,
    assertion,
    negated,
    uncertain,
    historical,
    hypothetical,
    family,
    sentence,
    sentenceStart,
    cues,
  };
}

function hasSelection(doc: Document): boolean {
  const sel = doc.getSelection();
  return !!sel && !sel.isCollapsed;
}

/** Caret position under a point: the standard API, with Chrome's older one as fallback. */
export function hitTest(
  doc: Document,
  x: number,
  y: number,
  shadowRoots: ShadowRoot[] = [],
): { node: Node; offset: number } | null {
  const d = doc as Document & {
    caretPositionFromPoint?: (
      x: number,
      y: number,
      opts?: { shadowRoots: ShadowRoot[] },
    ) => { offsetNode: Node; offset: number } | null;
    caretRangeFromPoint?: (x: number, y: number) => Range | null;
  };
  if (d.caretPositionFromPoint) {
    const p = d.caretPositionFromPoint(x, y, { shadowRoots });
    return p ? { node: p.offsetNode, offset: p.offset } : null;
  }
  const r = d.caretRangeFromPoint?.(x, y);
  return r ? { node: r.startContainer, offset: r.startOffset } : null;
}

/**
 * The finding under a point, from the caret position and the scanner's own index — never from the
 * highlight registry, whose lookup grows with the number of highlights. The caret lands between
 * characters, so the character after and the one before are both tried, and the point must lie
 * inside the finding's boxes (the caret also snaps to the nearest text from empty margins).
 */
export function findingAtPoint(scanner: PageScanner, doc: Document, x: number, y: number): PlacedFinding | null {
  const hit = hitTest(doc, x, y, scanner.shadowRootsOf(doc));
  if (!hit) return null;
  const p =
    scanner.findingAt(hit.node, hit.offset) ?? (hit.offset > 0 ? scanner.findingAt(hit.node, hit.offset - 1) : null);
  if (!p) return null;
  const r = liveRange(p);
  if (!r) return null;
  for (const box of r.getClientRects()) {
    if (x >= box.left - 1 && x <= box.right + 1 && y >= box.top - 1 && y <= box.bottom + 1) return p;
  }
  return null;
}

/** A short-lived Range for measuring (live Ranges slow the page's mutations, so none is kept). */
function liveRange(r: PlacedFinding): Range | null {
  const doc = r.startContainer.ownerDocument;
  if (!doc) return null;
  try {
    const range = doc.createRange();
    range.setStart(r.startContainer, r.startOffset);
    range.setEnd(r.endContainer, r.endOffset);
    return range;
  } catch {
    return null; // the text changed under the range: the next pass replaces it
  }
}

/** Where a finding is, in the viewport of the scanner's own document (through its frames). */
export function anchorRect(scanner: PageScanner, p: PlacedFinding): { left: number; top: number; bottom: number } {
  const box = liveRange(p)?.getBoundingClientRect();
  let left = box?.left ?? 0;
  let top = box?.top ?? 0;
  let bottom = box?.bottom ?? 0;
  for (const frame of scanner.framePath(p).reverse()) {
    const f = frame.getBoundingClientRect();
    left += f.left + frame.clientLeft;
    top += f.top + frame.clientTop;
    bottom += f.top + frame.clientTop;
  }
  return { left, top, bottom };
}

function reveal(scanner: PageScanner, p: PlacedFinding, signal: AbortSignal): void {
  const win = scanner.windowOf(p);
  const api = win && highlightApi(win);
  if (!win || !api) return;
  const el = p.startContainer.parentElement;
  // Instant, not smooth: the card is placed beside the word right after the scroll.
  el?.scrollIntoView({ block: 'center', inline: 'nearest' });
  const Ctor = (win as unknown as { Highlight: typeof Highlight }).Highlight;
  api.highlights.set(FOCUS_HIGHLIGHT, new Ctor(staticRange(win, p)));
  const t = setTimeout(() => api.highlights.delete(FOCUS_HIGHLIGHT), FLASH_MS);
  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(t);
      api.highlights.delete(FOCUS_HIGHLIGHT);
    },
    { once: true },
  );
}

/**
 * Adds the highlight styles to a shadow root or a frame's document as a constructed style sheet
 * (see the header: not a DOM mutation), and takes it away again when `signal` aborts.
 */
export function adoptStyles(root: Document | ShadowRoot, css: string, signal: AbortSignal): void {
  const doc = root.nodeType === 9 ? (root as Document) : root.ownerDocument;
  const win = doc?.defaultView as (Window & typeof globalThis) | null | undefined;
  if (!win) return;
  try {
    const sheet = new win.CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    signal.addEventListener(
      'abort',
      () => {
        try {
          root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
        } catch {
          // The document is gone with its frame.
        }
      },
      { once: true },
    );
  } catch {
    // No constructable style sheets (an old engine): those highlights are registered but unstyled.
  }
}
