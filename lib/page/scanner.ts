/**
 * The page scanner: extract → analyze → place highlights, for one document and every same-origin
 * frame and open shadow root below it. Every effect it has (observers, listeners, timers,
 * highlights, the style sheets adopted into shadow roots) is owned by the AbortSignal it is given
 * or by its own run; `stop()` and aborting undo all of it.
 *
 * Work happens in slices of at most SLICE_BUDGET_MS, so a 20,000-node flowsheet never blocks the
 * EHR's own input handling. Each document (the page, each same-origin frame) is one text and one
 * unit of work: a change inside a frame rescans that frame only.
 */
import { analyze, type Engine, type FindingRange, type StringTable } from '../engine/analyze';
import { holdsSectionHeader } from '../engine/sections';
import type { Finding } from '../engine/types';
import { TextExtractor, blockAround, boxMark, isHeading, locate, textBefore } from './extract';
import { HighlightRegistry, highlightApi, placeFinding, type PlacedFinding } from './highlights';
import { NodeIndex } from './node-index';

export type { PlacedFinding } from './highlights';

/** Set by the build: true only in the benchmark's builds (see wxt.config.ts). */
declare const __CHARTLIGHT_MARKS__: boolean | undefined;
const MARKS = typeof __CHARTLIGHT_MARKS__ === 'boolean' && __CHARTLIGHT_MARKS__;

export interface FieldFinding extends Finding {
  /** Which field: its label, name or placeholder — never its value. */
  field: string;
}

export interface ScanReport {
  findings: Finding[];
  fields: FieldFinding[];
  /**
   * These findings follow those reported before (a page update that only added text at the end);
   * `fields` is then empty and unchanged. Otherwise the report replaces everything.
   */
  append?: boolean;
}

export interface ScannerOptions {
  win: Window;
  /** The engine, or how to make it when first needed (see ScannerOptions.remote). */
  engine: Engine | (() => Engine);
  signal: AbortSignal;
  /** Called once the page has settled after a change, with what the page now says. */
  onReport: (report: ScanReport) => void;
  /** Custom elements the scanner must ignore (the hover card host); see ExtractOptions.exclude. */
  exclude?: (el: Element) => boolean;
  /** Categories the user or administrator switched off. */
  disabled?: ReadonlySet<string>;
  /** Called once for each document the scanner takes on (the page and each same-origin frame). */
  onDocument?: (doc: Document, signal: AbortSignal) => void;
  /** Called once for each open shadow root the scanner walks into (to add the highlight styles). */
  onShadowRoot?: (root: ShadowRoot, signal: AbortSignal) => void;
  /** Called after a document's highlights were replaced (the card checks it is still current). */
  onCommit?: () => void;
  /**
   * Scan same-origin frames from this document (default true). Off where a frame's highlight
   * registry cannot be reached from its parent (Firefox, whose cross-frame views do not lead to
   * the frame's own CSS.highlights); each frame's own content script scans it there.
   */
  frames?: boolean;
  /** Clock, replaceable in tests. */
  now?: () => number;
  /**
   * Analyses a chunk of a first pass elsewhere, off the page's main thread (the background): the
   * findings of `text`, which lies at `offset` in the document's text, those in `range` (the chunk
   * without its lead-in and lead-out), or null (or a failure) when it could not, and the scanner
   * analyses the chunk itself. Page updates are sent the same way (see UpdateAsk); fields are
   * read here.
   */
  remote?: RemoteAnalysis;
}

export type RemoteAnalysis = (
  text: string,
  offset: number,
  complete: boolean,
  strings: StringTable,
  range: FindingRange,
) => Promise<Finding[] | null>;

/**
 * Chunks of a first pass analysed elsewhere (ScannerOptions.remote) are longer: sending one costs
 * the page a few ns a character, and its lead-in is analysed off the page. The first stays short,
 * so the top of the page is marked as soon as it is read.
 */
export const REMOTE_CHUNK_CHARS = 20_000;
/** How long after a pass read elsewhere the page's engine warms up (see commit). */
const WARM_UP_MS = 200;
/** Chunks sent and not yet answered, at most: the walk goes on while they are analysed. */
export const REMOTE_MAX_PENDING = 8;

/**
 * The longest stretch of work before yielding to the page. Chrome reports a "long task" from 50 ms;
 * 8 ms leaves room for the page's own work and a frame's rendering within one 16 ms frame.
 */
export const SLICE_BUDGET_MS = 8;

/**
 * Mutations are gathered for this long before one rescan, so an app that re-renders in bursts
 * costs one pass, not one per mutation. It is a delay from the first mutation, not a debounce that
 * restarts, so a page that changes continuously is still rescanned at this pace.
 */
export const MUTATION_DEBOUNCE_MS = 150;

/**
 * Text is analysed in chunks cut at line breaks, each with a lead-in of the text before it. This
 * is a chunk's default length, and the furthest a lead-in reaches back for a line break or a
 * section header; the scanner sizes its own chunks by the speed measured (up to CHUNK_MAX_CHARS).
 */
export const ANALYZE_CHUNK_CHARS = 6_000;

/**
 * The first chunk of a pass is short: the engine's code is not yet optimised when a page is first
 * read (its first chunks ran 10–20 times slower than later ones), and a chunk cannot be cut short
 * once begun. Later chunks are sized from the speed measured so far to take about CHUNK_TARGET_MS.
 */
export const FIRST_CHUNK_CHARS = 1_000;
const CHUNK_TARGET_MS = 4;

/**
 * The longest chunk of a pass or an update, once the engine runs at speed. Each chunk pays its
 * lead-in again and a fixed cost of its own (token arrays, sections, the mention table): the
 * 20,000-node bench page's text analysed in chunks of at most 6,000 characters took 68 ms, in
 * chunks of at most 20,000 34 ms, no chunk over 3 ms either way.
 */
export const CHUNK_MAX_CHARS = 20_000;

/** The next chunk's length after `chars` characters took `ms` to analyse. */
function nextChunkChars(chars: number, ms: number): number {
  const fit = ms > 0 ? (chars / ms) * CHUNK_TARGET_MS - ANALYZE_LEAD_CHARS : CHUNK_MAX_CHARS;
  return Math.round(Math.min(CHUNK_MAX_CHARS, Math.max(FIRST_CHUNK_CHARS, fit)));
}

/**
 * Each chunk after the first is analysed with this much of the text before it, so a sentence's
 * context cues and a section header just above the cut still apply; findings in that lead-in
 * belong to the previous chunk and are dropped.
 */
export const ANALYZE_LEAD_CHARS = 1_200;

/**
 * A line this short that precedes a chunk is carried into its lead-in even when it lies further
 * back: it may be the section header ("Family History") that sets context for what follows.
 */
export const SECTION_LINE_MAX = 40;

/** A mutation batch with more records than this is not inspected record by record. */
export const HUGE_BATCH_RECORDS = 500;

/**
 * A page update is read again block by block (the paragraphs, rows or cells it added or changed)
 * when its blocks hold at most this many nodes in all; a bigger one (a whole new view) gets a full
 * pass, which is sliced.
 */
export const UPDATE_MAX_NODES = 2_000;

/**
 * Up to this many findings a document shows them all. Beyond, it shows those around what the user
 * sees (SHOWN_AROUND before and after each of a few points sampled in the window) and moves that
 * window as the user scrolls: Chromium repaints after every highlight change at about 11 µs per
 * registered range, so 20,000 registered ranges would cost the page a quarter of a second per
 * change. The panel lists every finding either way.
 */
export const SHOW_ALL_MAX = 1_000;
export const SHOWN_AROUND = 150;

/**
 * A first pass shows what it finds before it ends only in the chunks that begin within this much
 * of the page's text: the top of the page, a screenful or two of dense chart text, which is usually
 * what is on screen while the rest is read. The first findings are shown at once, the rest of the
 * top once it is read, everything else when the pass ends. Every change to
 * the highlights costs the page a repaint walk of the whole document, whatever the number of
 * ranges changed (see HighlightRegistry): showing each chunk's findings as it came cost a
 * 150,000-node page eight walks of about 45 ms in its first second.
 */
export const LIVE_SHOW_CHARS = 6_000;

/** The shown window follows scrolling at most this often (a few frames). */
const REWINDOW_DELAY_MS = 80;

/** Where the shown window is anchored: a 2 × 3 grid of points over the viewport. */
const WINDOW_POINTS: readonly (readonly [number, number])[] = [
  [0.25, 0.1],
  [0.75, 0.1],
  [0.25, 0.5],
  [0.75, 0.5],
  [0.25, 0.9],
  [0.75, 0.9],
];

/** An update touching more separate places than this gets a full pass. */
const UPDATE_MAX_GROUPS = 64;

/** Removed text longer than this is not searched for a section header: the page gets a full pass. */
const REMOVED_TEXT_MAX = 20_000;

const OBSERVE: MutationObserverInit = {
  subtree: true,
  childList: true,
  characterData: true,
  // The text before a change tells whether it was a section header (see holdsSectionHeader).
  characterDataOldValue: true,
};

interface PassJob {
  phase: 'text' | 'fields';
  extractor: TextExtractor;
  /** Where the next chunk of the text starts (the text before it is analysed and placed). */
  chunkStart: number;
  /** Length of the next chunk, fitted to how fast analysis has been running (see CHUNK_TARGET_MS). */
  chunkChars: number;
  placed: PlacedFinding[];
  /** The placed findings by text node, for hit-testing (built as they are placed). */
  byNode: NodeIndex;
  /** One copy of each string the pass's findings keep (see StringTable), dropped with the job. */
  strings: StringTable;
  /**
   * Nothing was shown when the pass began (a first pass): findings are shown as they are placed,
   * so the top of a long page is marked while the rest is still read. A rescan instead replaces
   * what is shown in one step at its end, so nothing flickers.
   */
  live: boolean;
  fieldEls: (HTMLTextAreaElement | HTMLInputElement)[];
  fieldIndex: number;
  fields: FieldFinding[];
  /** Text nodes whose characters changed while this job ran (their findings may be stale). */
  changed: Set<Node>;
  /** Nodes were removed while this job ran: its findings' nodes must be checked at commit. */
  removals: boolean;
  fieldsOnly: boolean;
  /** The same-origin frames met during the walk. */
  frames: Set<Element>;
  /** Chunks are sent to ScannerOptions.remote (a first pass). */
  remote: boolean;
  /** Chunks cut, in order, until their findings are placed. */
  pending: PendingChunk[];
  /** Nothing to do until a chunk is answered: the answer queues the next slice. */
  waiting: boolean;
  /** A chunk went unanswered: the rest of the pass is analysed here. */
  remoteFailed: boolean;
  /** Section headers already recorded (by offset): a pass's chunks share most of their headers. */
  headersSeen: Set<number>;
}

/** A chunk of a pass's text, cut: from `lead` (its lead-in) to `start`–`end`, and its lead-out. */
interface PendingChunk {
  start: number;
  end: number;
  lead: number;
  /** From its lead-in to the end of its lead-out. */
  text: string;
  complete: boolean;
  /** Undefined while sent and unanswered; null when it is analysed here. */
  findings: Finding[] | null | undefined;
}

/**
 * A page update whose text went to ScannerOptions.remote: its blocks read and its chunks cut and
 * sent, its findings put in place of the old ones once every chunk is answered. The page's main
 * thread reads the blocks and places the findings; the analysis between is not its work.
 */
interface UpdateAsk {
  groups: AskedGroup[];
  /** Chunks not answered yet. */
  unanswered: number;
  /**
   * Its report replaces the list rather than appending to it: blocks were left for the next update
   * (out of time), or old findings went where the blocks now hold no text.
   */
  replaces: boolean;
  /** One copy of each string the update's findings keep. */
  strings: StringTable;
  /** Text nodes whose characters changed while the chunks were out: their findings are not placed. */
  changed: Set<Node>;
  /** Nodes were removed meanwhile: each new finding's nodes are checked before it is placed. */
  removals: boolean;
  /** The document changed meanwhile (see finishUpdate). */
  touched: boolean;
}

/** A run of neighbouring blocks an update reads as one text (see update). */
interface AskedGroup {
  blocks: Element[];
  read: Pick<TextExtractor, 'nodes' | 'starts'>;
  chunks: AskedChunk[];
}

interface AskedChunk {
  text: string;
  /** Where `text` lies in the group's text (negative: it starts in the lead-in). */
  offset: number;
  complete: boolean;
  range: FindingRange;
  /** Undefined while out; null when the page analyses it itself. */
  findings: Finding[] | null | undefined;
}

interface DocUnit {
  doc: Document;
  win: Window;
  /** The <iframe> holding this document, null for the scanner's own document. */
  frameEl: Element | null;
  parent: DocUnit | null;
  registry: HighlightRegistry;
  placed: PlacedFinding[];
  byNode: NodeIndex;
  /**
   * The blocks holding a section header that gave a finding its context ("Family History"), with
   * their text then. An update that changes one's text reads the page again: a header that stops
   * being one (typed into, edited) takes its context away from every finding below it, beyond the
   * changed block. A re-render that puts back the same text changes nothing.
   */
  headerBlocks: WeakMap<Element, string>;
  fields: FieldFinding[];
  shadowRoots: Set<ShadowRoot>;
  frames: Set<Element>;
  /** The text fields met in the last full pass, read again when the user types in one. */
  fieldEls: (HTMLTextAreaElement | HTMLInputElement)[];
  /** A full pass is due. */
  dirty: boolean;
  fieldsDirty: boolean;
  /** Nodes a page update added or changed, read again block by block (when no full pass is due). */
  updated: Set<Node>;
  /** Those of `updated` that only a box ticked or unticked changed (their words are as they were). */
  boxes: Set<Node>;
  /** The document's headings as last read (see headingsOf), to tell a re-render from a change. */
  headings: string;
  /** A heading was removed since the last read of the headings. */
  headingRemoved: boolean;
  /** Findings were dropped since the last report: the next one must replace, not append. */
  dropped: boolean;
  job: PassJob | null;
  /** An update waiting for its chunks' findings (none while a pass runs). */
  asking: UpdateAsk | null;
  ac: AbortController;
  /** Indices in `placed` the shown window is built around (empty: everything is shown). */
  anchors: number[];
  windowTimer: ReturnType<typeof setTimeout> | null;
}

export interface ScannerStats {
  /** Completed document passes. */
  passes: number;
  /** Page updates read again block by block instead of by a full pass. */
  updates: number;
  /** Work slices run. */
  slices: number;
  /** The longest slice, in ms. */
  longestSliceMs: number;
  /** Mutation batches received (ignoring the extension's own). */
  batches: number;
  /** Chunks of first passes analysed elsewhere (ScannerOptions.remote), and those it did not answer. */
  remoteChunks: number;
  remoteMissed: number;
}

/**
 * Runs a function in a task of its own, as soon as the page's pending tasks allow: a message to
 * ourselves (as React's scheduler does). Not setTimeout(0), which browsers clamp to 4 ms once
 * nested, and not scheduler.postTask, whose tasks headless Chromium left waiting for up to a
 * hundred milliseconds each between slices.
 */
class TaskQueue {
  private generation = 0;
  private channel: MessageChannel | null = null;
  private pending: (() => void) | null = null;

  post(fn: () => void): void {
    const gen = ++this.generation;
    const run = () => {
      if (gen === this.generation) fn();
    };
    if (typeof MessageChannel === 'function') {
      if (!this.channel) {
        this.channel = new MessageChannel();
        this.channel.port1.onmessage = () => {
          const f = this.pending;
          this.pending = null;
          f?.();
        };
      }
      this.pending = run;
      this.channel.port2.postMessage(null);
      return;
    }
    setTimeout(run, 0);
  }

  cancel(): void {
    this.generation++;
    this.pending = null;
  }

  close(): void {
    this.cancel();
    this.channel?.port1.close();
    this.channel?.port2.close();
    this.channel = null;
  }
}

/** Takes findings out of the index and out of `placed` (a new array). */
function withoutFindings(
  placed: readonly PlacedFinding[],
  byNode: NodeIndex,
  gone: Set<PlacedFinding>,
): PlacedFinding[] {
  for (const p of gone) byNode.remove(p);
  return placed.filter((p) => !gone.has(p));
}

/**
 * Text nodes under removed nodes: the only places a finding can have left the page by a batch's
 * removals. Null when there are more than `budget` nodes, or a shadow host among them (its tree
 * is not walked here): the caller then checks every finding.
 */
function removedTextNodes(removed: readonly Node[], budget: number): Node[] | null {
  const out: Node[] = [];
  for (const root of removed) {
    if (root.nodeType === 3) out.push(root);
    if (root.nodeType !== 1) continue;
    const walker = root.ownerDocument!.createTreeWalker(root, 0x5 /* SHOW_ELEMENT | SHOW_TEXT */);
    for (let n: Node | null = root; n; n = walker.nextNode()) {
      if (--budget < 0) return null;
      if (n.nodeType === 3) out.push(n);
      else if ((n as Element).shadowRoot) return null;
    }
  }
  return out;
}

/** Nodes walked to find what a batch of removals took away before checking every finding instead. */
const STALE_WALK_MAX = 20_000;

export class PageScanner {
  private units: DocUnit[] = [];
  private byDoc = new Map<Document, DocUnit>();
  private placed: PlacedFinding[] = [];
  private current = -1;
  private delayTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly slices = new TaskQueue();
  private slicePending = false;
  private observer: MutationObserver | null = null;
  private run: AbortController | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly now: () => number;
  readonly stats: ScannerStats = {
    passes: 0,
    updates: 0,
    slices: 0,
    longestSliceMs: 0,
    batches: 0,
    remoteChunks: 0,
    remoteMissed: 0,
  };

  constructor(private readonly opts: ScannerOptions) {
    // The clock, read hundreds of times a pass: its object found once (every property read on the
    // window crosses from the content script's world into the page's).
    const clock = opts.win.performance;
    this.now = opts.now ?? (() => clock.now());
    opts.signal.addEventListener('abort', () => this.stop(), { once: true });
  }

  /** Every finding shown, in document order (the page first, then its frames). */
  get findings(): readonly PlacedFinding[] {
    return this.placed;
  }

  /** Field findings (textarea/input), which have no place on the page. */
  get fieldFindings(): readonly FieldFinding[] {
    return this.units.flatMap((u) => u.fields);
  }

  private get engine(): Engine {
    const e = this.opts.engine;
    return typeof e === 'function' ? e() : e;
  }

  /** Whether the scanner is running (started and not stopped). */
  get running(): boolean {
    return this.run !== null;
  }

  /** Starts observing and schedules the first pass, in slices. */
  start(): void {
    if (this.opts.signal.aborted || this.run) return;
    this.run = new AbortController();
    const MO = (this.opts.win as unknown as { MutationObserver: typeof MutationObserver }).MutationObserver;
    this.observer = new MO((records) => this.onMutations(records));
    this.addUnit(this.opts.win.document, this.opts.win, null, null);
    // The first slice gets a task of its own: the content script's start (parsing the lexicon,
    // building the matcher) is already a task of its own length.
    this.nextSlice();
  }

  /** Resolves when no work is pending (tests, the benchmark). */
  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((ok) => this.idleWaiters.push(ok));
  }

  private busy(): boolean {
    return this.delayTimer !== null || this.slicePending || this.units.some(hasWork);
  }

  private addUnit(doc: Document, win: Window, frameEl: Element | null, parent: DocUnit | null): DocUnit {
    const ac = new AbortController();
    const unit: DocUnit = {
      doc,
      win,
      frameEl,
      parent,
      registry: new HighlightRegistry(win),
      placed: [],
      byNode: new NodeIndex(),
      headerBlocks: new WeakMap(),
      fields: [],
      shadowRoots: new Set(),
      frames: new Set(),
      fieldEls: [],
      dirty: true,
      fieldsDirty: false,
      updated: new Set(),
      boxes: new Set(),
      headings: '',
      headingRemoved: false,
      dropped: false,
      job: null,
      asking: null,
      ac,
      anchors: [],
      windowTimer: null,
    };
    this.units.push(unit);
    this.byDoc.set(doc, unit);
    this.observer?.observe(doc, OBSERVE);
    const signal = ac.signal;
    doc.addEventListener('input', (e) => this.onInput(unit, e), { capture: true, passive: true, signal });
    // Scrolling the page or any pane in it (scroll events do not bubble, but they can be captured).
    const onView = () => this.scheduleRewindow(unit);
    doc.addEventListener('scroll', onView, { capture: true, passive: true, signal });
    win.addEventListener('resize', onView, { passive: true, signal });
    signal.addEventListener('abort', () => {
      if (unit.windowTimer !== null) clearTimeout(unit.windowTimer);
    });
    this.opts.onDocument?.(doc, signal);
    return unit;
  }

  private removeUnit(unit: DocUnit): void {
    for (const child of this.units.filter((u) => u.parent === unit)) this.removeUnit(child);
    unit.ac.abort();
    unit.registry.clear();
    this.units = this.units.filter((u) => u !== unit);
    if (this.byDoc.get(unit.doc) === unit) this.byDoc.delete(unit.doc);
  }

  private onInput(unit: DocUnit, e: Event): void {
    const t = e.target as Element | null;
    const tag = t?.tagName;
    if (t && ((tag === 'INPUT' && boxMark(t as HTMLInputElement) !== null) || tag === 'SELECT')) {
      // A box ticked or unticked changes the page text ("[ ]" to "[x]") without a mutation, and so
      // does another option chosen in a drop-down: its block is read again, with the radio buttons
      // beside it that the browser unticked.
      const block = t.parentNode ?? t;
      if (unit.job) unit.dirty = true;
      else if (!unit.dirty && !unit.updated.has(block)) {
        unit.updated.add(block);
        unit.boxes.add(block);
      }
      this.schedule();
    } else if (tag === 'TEXTAREA' || tag === 'INPUT') {
      unit.fieldsDirty = true;
      this.schedule();
    }
  }

  private isOwn(node: Node): boolean {
    const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
    return !!el && !!this.opts.exclude?.(el);
  }

  private onMutations(records: MutationRecord[]): void {
    if (!this.run) return;
    let any = false;
    const touched = new Set<DocUnit>();
    const huge = records.length > HUGE_BATCH_RECORDS;
    for (const r of records) {
      if (this.isOwn(r.target) || this.onlyOwnNodes(r)) continue;
      const doc = r.target.nodeType === 9 ? (r.target as Document) : r.target.ownerDocument;
      const unit = doc ? this.byDoc.get(doc) : undefined;
      if (!unit) continue;
      any = true;
      touched.add(unit);
      const removal = r.type === 'childList' && r.removedNodes.length > 0;
      const ask = unit.asking;
      if (ask) {
        // The update's chunks are out: what it read may have changed since.
        ask.touched = true;
        if (r.type === 'characterData') ask.changed.add(r.target);
        if (removal) ask.removals = true;
      }
      if (unit.job) {
        // A pass is under way: it may have read this part already. Its findings on changed or
        // removed nodes are dropped at its end, and a full pass follows.
        unit.dirty = true;
        if (r.type === 'characterData') unit.job.changed.add(r.target);
        if (removal || huge) unit.job.removals = true;
      } else if (huge) {
        unit.dirty = true;
      } else if (!unit.dirty) {
        // Read again only where the page changed: the added nodes, the changed text, the element
        // that lost children (its text, and so the context of what stays, changed). A header that
        // went away changed the context of everything after it: that takes a full pass.
        if (r.type === 'characterData' || removal) this.changedAt(unit, r.target);
        if (r.type === 'childList') for (const n of r.addedNodes) if (!this.isOwnNode(n)) this.changedAt(unit, n);
        if (this.removedHeader(unit, r)) unit.dirty = true;
      }
    }
    if (!any) return;
    this.stats.batches++;
    // A huge batch (a tab switch, a whole view replaced): nothing is worth keeping record by record;
    // every touched document gets a full pass and its old highlights are checked wholesale below.
    for (const unit of touched) {
      if (unit.job && huge) unit.job = null;
      if (unit.dirty) {
        unit.updated.clear();
        unit.boxes.clear();
      }
      this.dropStale(unit, huge ? null : records);
    }
    this.schedule();
  }

  private changedAt(unit: DocUnit, node: Node): void {
    unit.updated.add(node);
    unit.boxes.delete(node);
  }

  /** Whether a mutation took away text that was (or may have been) a section header. */
  private removedHeader(unit: DocUnit, r: MutationRecord): boolean {
    // A header block rendered again with the text it had: its header is still there.
    const root = unit.doc.body ?? unit.doc.documentElement;
    const block = root && r.target.isConnected ? blockAround(r.target, root, this.opts.exclude).block : null;
    if (block && sameHeader(unit, block)) return false;
    const texts: string[] = [];
    if (r.type === 'characterData') texts.push(r.oldValue ?? '');
    else
      for (const n of r.removedNodes) {
        if (this.isOwnNode(n)) continue;
        // Whether that changed the page's sections is known once the batch is in (see update).
        if (holdsHeading(n)) unit.headingRemoved = true;
        texts.push(n.textContent ?? '');
      }
    let length = 0;
    for (const t of texts) length += t.length;
    if (length > REMOVED_TEXT_MAX) return true;
    return texts.some((t) => holdsSectionHeader(this.engine, t));
  }

  private isOwnNode(n: Node): boolean {
    return n.nodeType === 1 && this.isOwn(n);
  }

  /** The hover card's host being added to <html> is the extension's own change. */
  private onlyOwnNodes(r: MutationRecord): boolean {
    if (r.type !== 'childList') return false;
    const nodes = [...r.addedNodes, ...r.removedNodes];
    return nodes.length > 0 && nodes.every((n) => this.isOwnNode(n));
  }

  /**
   * Removes at once every highlight that may no longer match the page (its text changed or left
   * the document), so a stale range is never painted while the rescan is pending.
   */
  private dropStale(unit: DocUnit, records: MutationRecord[] | null): void {
    const changed = new Set<Node>();
    const removed: Node[] = [];
    for (const r of records ?? []) {
      if (r.type === 'characterData') changed.add(r.target);
      else for (const n of r.removedNodes) removed.push(n);
    }
    if (records !== null && changed.size === 0 && removed.length === 0) return;
    // Only findings in changed text and under removed nodes can be stale: an app re-rendering one
    // pane of a long page must not cost a check of each of its tens of thousands of findings.
    const texts = records === null ? null : removedTextNodes(removed, STALE_WALK_MAX);
    if (texts === null) {
      const keep: PlacedFinding[] = [];
      const gone: PlacedFinding[] = [];
      for (const p of unit.placed) (isCurrent(p, changed, true) ? keep : gone).push(p);
      if (gone.length === 0) return;
      unit.placed = keep;
      unit.byNode = NodeIndex.of(keep);
      unit.registry.remove(gone);
    } else {
      const gone = new Set<PlacedFinding>();
      for (const n of [...changed, ...texts])
        for (const p of unit.byNode.at(n)) if (!isCurrent(p, changed, true)) gone.add(p);
      if (gone.size === 0) return;
      unit.placed = withoutFindings(unit.placed, unit.byNode, gone);
      unit.registry.remove(gone);
    }
    unit.dropped = true;
    this.reindex();
  }

  private schedule(): void {
    if (this.delayTimer !== null || !this.run) return;
    this.delayTimer = setTimeout(() => {
      this.delayTimer = null;
      this.pump();
    }, MUTATION_DEBOUNCE_MS);
  }

  private nextSlice(): void {
    this.slicePending = true;
    this.slices.post(this.pump);
  }

  /** Runs one slice of work and, if more remains, queues the next slice behind the page's tasks. */
  private pump = (): void => {
    this.slicePending = false;
    if (!this.run) return;
    const start = this.now();
    const more = this.work(start + SLICE_BUDGET_MS);
    const took = this.now() - start;
    this.stats.slices++;
    if (took > this.stats.longestSliceMs) this.stats.longestSliceMs = took;
    if (more) {
      this.nextSlice();
    } else if (!this.busy()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  /** Does work until `deadline`; returns whether work remains. */
  private work(deadline: number): boolean {
    let reported = false;
    const appended: Finding[] = [];
    let replace = false;
    const flush = () => {
      if (replace || !reported) this.report();
      else if (appended.length > 0) this.opts.onReport({ findings: appended, fields: [], append: true });
    };
    for (;;) {
      const unit = this.units.find(ready);
      if (!unit) break;
      if (!unit.job && !unit.dirty && (unit.asking !== null || unit.updated.size > 0)) {
        // An update whose chunks are out is ready only once all are answered (see `ready`).
        const update = unit.asking ? this.finishUpdate(unit) : this.update(unit, deadline);
        if (update === 'asked') continue;
        if (update === 'full') {
          unit.dirty = true;
          unit.updated.clear();
          unit.boxes.clear();
          continue;
        }
        if (update.added !== null && !unit.dropped && this.isLastWithFindings(unit)) appended.push(...update.added);
        else replace = true;
        unit.dropped = false;
        reported = true;
        this.stats.updates++;
        this.opts.onCommit?.();
      } else {
        if (!unit.job) {
          // A full pass reads what an update still waiting for its findings read, and more.
          if (unit.dirty) unit.asking = null;
          unit.job = this.newJob(unit, !unit.dirty);
          unit.dirty = false;
          unit.fieldsDirty = false;
          if (!unit.job.fieldsOnly) {
            unit.updated.clear();
            unit.boxes.clear();
          }
        }
        const finished = this.advance(unit, unit.job, deadline);
        // Waiting for its chunks' findings: another document may have work meanwhile.
        if (!finished && unit.job.waiting) continue;
        if (!finished) {
          if (reported) flush();
          return true;
        }
        this.commit(unit, unit.job);
        unit.job = null;
        unit.dropped = false;
        reported = true;
        replace = true;
      }
      if (this.now() >= deadline && this.units.some(ready)) {
        flush();
        return true;
      }
    }
    if (reported) flush();
    return false;
  }

  /** Whether no document after this one shows a finding (so this one's new findings end the list). */
  private isLastWithFindings(unit: DocUnit): boolean {
    for (let i = this.units.indexOf(unit) + 1; i < this.units.length; i++) {
      if (this.units[i]!.placed.length > 0) return false;
    }
    return true;
  }

  private newJob(unit: DocUnit, fieldsOnly: boolean): PassJob {
    const fieldEls: PassJob['fieldEls'] = fieldsOnly ? unit.fieldEls.filter((el) => el.isConnected) : [];
    const frames = new Set<Element>();
    const root = unit.doc.body ?? unit.doc.documentElement;
    const extractor = new TextExtractor(root ?? unit.doc, {
      exclude: this.opts.exclude,
      onField: (el) => fieldEls.push(el),
      onFrame: this.opts.frames === false ? undefined : (el) => frames.add(el),
      onShadowRoot: (sr) => this.takeShadowRoot(unit, sr),
    });
    const live = !fieldsOnly && unit.placed.length === 0;
    const job: PassJob = {
      phase: fieldsOnly ? 'fields' : 'text',
      extractor,
      chunkStart: 0,
      chunkChars: FIRST_CHUNK_CHARS,
      placed: [],
      byNode: new NodeIndex(),
      strings: new Map(),
      live,
      fieldEls,
      fieldIndex: 0,
      fields: [],
      changed: new Set(),
      removals: false,
      fieldsOnly,
      frames,
      remote: !fieldsOnly && this.opts.remote !== undefined,
      pending: [],
      waiting: false,
      remoteFailed: false,
      headersSeen: new Set(),
    };
    if (!fieldsOnly) {
      unit.headings = headingsOf(unit.doc);
      unit.headingRemoved = false;
    }
    if (live) {
      unit.registry.clear();
      unit.byNode = job.byNode; // hovering works on what is already marked
    }
    return job;
  }

  private takeShadowRoot(unit: DocUnit, sr: ShadowRoot): void {
    if (unit.shadowRoots.has(sr)) return;
    unit.shadowRoots.add(sr);
    // Mutations inside a shadow tree are not seen by an observer of the document.
    this.observer?.observe(sr, OBSERVE);
    this.opts.onShadowRoot?.(sr, unit.ac.signal);
  }

  /** Places and indexes findings (of a pass or an update), those the user switched on. */
  private place(
    unit: DocUnit,
    findings: readonly Finding[],
    read: Pick<TextExtractor, 'nodes' | 'starts'>,
    out: PlacedFinding[],
    byNode: NodeIndex | null,
    headersSeen = new Set<number>(),
  ): void {
    const disabled = this.opts.disabled;
    const root = unit.doc.body ?? unit.doc.documentElement;
    const memo = { node: null, length: 0 };
    for (const f of findings) {
      if (disabled?.has(f.category)) continue;
      const p = placeFinding(read, f, f.start, f.end, memo);
      if (!p) continue;
      out.push(p);
      byNode?.add(p);
      for (const cue of f.cues) {
        // Headers in an update's lead-in lie before the blocks read: recorded when they were read.
        if (cue.kind !== 'section' || cue.start < 0 || headersSeen.has(cue.start)) continue;
        headersSeen.add(cue.start);
        const at = locate(read, cue.start, false, memo);
        const where = at && root ? blockAround(at.node, root, this.opts.exclude) : null;
        const text = where?.block ? shortText(where.block, HEADER_BLOCK_MAX_CHARS) : null;
        if (text !== null) unit.headerBlocks.set(where!.block!, text);
      }
    }
  }

  /** Advances a job until it is finished (true) or the deadline passes (false). */
  private advance(unit: DocUnit, job: PassJob, deadline: number): boolean {
    const disabled = this.opts.disabled;
    while (deadline === Infinity || this.now() < deadline) {
      if (job.phase === 'text') {
        const step = this.textStep(unit, job, deadline);
        if (step === 'wait') {
          job.waiting = true;
          return false;
        }
        if (step === 'done') job.phase = 'fields';
      } else {
        if (job.fieldIndex >= job.fieldEls.length) return true;
        const el = job.fieldEls[job.fieldIndex++]!;
        const value = fieldValue(el);
        if (!value) continue;
        const label = fieldLabel(el) || `field ${job.fieldIndex}`;
        for (const f of analyze(this.engine, value, 0, job.strings))
          if (!disabled?.has(f.category)) job.fields.push({ ...f, field: label });
      }
    }
    return false;
  }

  /** Places a chunk's findings; a first pass shows the top of the page as soon as it is read. */
  private placeChunk(unit: DocUnit, job: PassJob, findings: readonly Finding[], begun: number, end: number): void {
    const ex = job.extractor;
    this.place(unit, findings, ex, job.placed, job.byNode, job.headersSeen);
    if (job.live && begun < LIVE_SHOW_CHARS) {
      // The first findings at once, the rest of the top of the page together once it is read:
      // two highlight changes, not one per chunk.
      const topRead = end >= LIVE_SHOW_CHARS || (ex.done && end >= ex.length);
      if (unit.registry.size === 0 || topRead) unit.registry.add(job.placed.slice(0, SHOW_ALL_MAX));
    }
  }

  /**
   * One step of a pass's text: place the oldest chunk's findings once they are known (analysing
   * it here unless it went elsewhere and was answered), else read on and cut the next chunk,
   * exactly as analyzeChunk cuts, so the findings are the same either way. A chunk is cut once the
   * text reaches past its end, so its cut is the one a whole reading would make. 'wait' when only
   * answers can move the pass on, 'done' when all of it is placed.
   */
  private textStep(unit: DocUnit, job: PassJob, deadline: number): 'more' | 'wait' | 'done' {
    const ex = job.extractor;
    job.waiting = false;
    const head = job.pending[0];
    if (head && head.findings !== undefined) {
      job.pending.shift();
      let findings = head.findings;
      const range = { from: head.start, to: head.end };
      if (findings) this.stats.remoteChunks++;
      else {
        const t0 = this.now();
        findings = analyze(this.engine, head.text, head.lead, job.strings, head.complete, range);
        if (!job.remote) job.chunkChars = nextChunkChars(head.end - head.lead, this.now() - t0);
      }
      this.placeChunk(unit, job, findings, head.start, head.end);
      return 'more';
    }
    const need = job.chunkStart + job.chunkChars + ANALYZE_LEAD_OUT_CHARS + 1;
    if (!ex.done && ex.length < need) {
      ex.run(deadline, this.now, need);
      return 'more';
    }
    if (job.chunkStart >= ex.length) return job.pending.length > 0 ? 'wait' : 'done';
    if (job.pending.length >= REMOTE_MAX_PENDING) return 'wait';
    // One copy of the text around the chunk serves its cut, its lead-out and the message: copying
    // the walk's text out of its parts is what a chunk costs the page here.
    const from = job.chunkStart;
    const base = Math.max(0, from - ANALYZE_CHUNK_CHARS - ANALYZE_LEAD_CHARS);
    const w = ex.slice(base, from + job.chunkChars + 1 + ANALYZE_LEAD_OUT_CHARS);
    const around: TextSource = { length: ex.length, slice: (a, b) => w.slice(a - base, b - base) };
    const { start, end, lead } = nextChunk(around, from, job.chunkChars);
    const out = leadOutEnd(around, end);
    const text = w.slice(lead - base, out - base);
    const chunk: PendingChunk = { start, end, lead, text, complete: out === ex.length, findings: undefined };
    job.pending.push(chunk);
    job.chunkStart = end;
    if (!job.remote || job.remoteFailed) {
      chunk.findings = null;
      return 'more';
    }
    job.chunkChars = REMOTE_CHUNK_CHARS;
    const settle = (findings: Finding[] | null) => {
      chunk.findings = findings;
      if (!findings) {
        job.remoteFailed = true;
        this.stats.remoteMissed++;
      }
      // The answer moves on a pass that stopped for it (not one replaced since, nor a stopped scanner).
      if (!job.waiting) return;
      job.waiting = false;
      if (unit.job === job && this.run && !this.slicePending) this.nextSlice();
    };
    this.ask(text, lead, chunk.complete, job.strings, { from: start, to: end }, settle);
    return 'more';
  }

  private commit(unit: DocUnit, job: PassJob): void {
    const wasLive = job.live;
    job.live = false; // the pass is done: the shown window may move again
    unit.fields = job.fields;
    this.stats.passes++;
    if (job.fieldsOnly) return;
    unit.fieldEls = job.fieldEls;
    // A mutation that arrived while the job ran may have changed text it already read: those
    // findings are not shown, and the unit is dirty again so the next pass finds them afresh.
    let placed = job.placed;
    let byNode = job.byNode;
    if (job.changed.size > 0 || job.removals) {
      placed = job.placed.filter((p) => isCurrent(p, job.changed, job.removals));
      if (placed.length !== job.placed.length) byNode = NodeIndex.of(placed);
    }
    unit.placed = placed;
    unit.byNode = byNode;
    if (wasLive && placed === job.placed && placed.length > SHOW_ALL_MAX) {
      // The top of the page is shown already: leave it until the page has rendered and the window
      // can be placed where the user is, one highlight change instead of two.
      unit.anchors = [];
      this.scheduleRewindow(unit);
    } else this.rewindow(unit, false);
    this.syncFrames(unit, job.frames);
    this.reindex();
    // Its chunks were read elsewhere: the page's own engine (made now if it was not) reads one of
    // its sentences once the page is idle. An update's text is analysed elsewhere too, but the
    // update asks the engine whether its text holds a section header, and should not wait for it
    // to be made and its code to compile.
    const warm = placed[0]?.finding.sentence;
    if (job.remote && warm) setTimeout(() => this.run && analyze(this.engine, warm), WARM_UP_MS);
    this.opts.onCommit?.();
    if (MARKS) performance.mark(`chartlight:done:${this.placed.length}`);
  }

  /**
   * Reads again only the blocks a page update touched (with the text before them as context), and
   * puts their findings in place of the old ones there. 'full' when the update is too big or too
   * spread out for that, or touches the document's top level: a full pass does it instead.
   * `added`: the new findings when the update only added findings after all others, else null.
   * 'asked' when its text went to ScannerOptions.remote: finishUpdate places the findings.
   */
  private update(unit: DocUnit, deadline: number): 'full' | 'asked' | { added: Finding[] | null } {
    const exclude = this.opts.exclude;
    const root = unit.doc.body ?? unit.doc.documentElement;
    if (!root) return 'full';
    const blocks = new Set<Element>();
    // Blocks whose words no update changed (only boxes were ticked): they bring no new header.
    const boxOnly = new Set<Element>();
    const worded = new Set<Element>();
    for (const n of unit.updated) {
      if (!n.isConnected) continue; // added and removed again: nothing to read
      const where = blockAround(n, root, exclude);
      if (where.block) {
        blocks.add(where.block);
        (unit.boxes.has(n) ? boxOnly : worded).add(where.block);
      } else if (where.content) return 'full';
      // A block put among a line's inline content cuts that line in two: the context of the text
      // on either side changed, so the block holding the line is read again as a whole.
      if (where.block === n && n.parentNode && splitsLine(n as Element, root, exclude)) {
        const line = blockAround(n.parentNode, root, exclude);
        if (line.block) blocks.add(line.block);
        else if (line.content) return 'full';
      }
    }
    unit.updated.clear();
    unit.boxes.clear();
    for (const b of worded) boxOnly.delete(b);
    // The outermost blocks, in document order, grouped into runs of neighbours (a hundred
    // paragraphs appended together are one text, read with one lead-in).
    const outer = [...blocks].filter((b) => {
      for (let a = b.parentNode; a; a = a.parentNode) if (blocks.has(a as Element)) return false;
      return true;
    });
    outer.sort((a, b) => (a.compareDocumentPosition(b) & 4 /* FOLLOWING */ ? -1 : 1));
    const groups: Element[][] = [];
    for (const b of outer) {
      const g = groups[groups.length - 1];
      if (g && b.previousElementSibling === g[g.length - 1]) g.push(b);
      else groups.push([b]);
    }
    if (groups.length > UPDATE_MAX_GROUPS) return 'full';
    for (const b of outer) {
      if (unit.headerBlocks.has(b) && !sameHeader(unit, b)) return 'full';
    }
    // A heading ends the section above it: one taken away or put in changes the context of what
    // follows, unless the page only rendered the same headings again (an app re-rendering a pane).
    let headingsChanged = false;
    if (unit.headingRemoved || outer.some(holdsHeading)) {
      const now = headingsOf(unit.doc);
      headingsChanged = now !== unit.headings;
      unit.headings = now;
      const removed = unit.headingRemoved;
      unit.headingRemoved = false;
      if (headingsChanged && removed) return 'full';
    }
    let added: Finding[] | null = [];
    const ask: UpdateAsk = {
      groups: [],
      unanswered: 0,
      replaces: false,
      strings: new Map(),
      changed: new Set(),
      removals: false,
      touched: false,
    };
    for (let gi = 0; gi < groups.length; gi++) {
      if (gi > 0 && this.now() >= deadline) {
        // Out of time: the rest waits for the next slice, and this report replaces.
        for (const g of groups.slice(gi)) for (const b of g) unit.updated.add(b);
        added = null;
        break;
      }
      const group = groups[gi]!;
      const frames: Element[] = [];
      const ex = new TextExtractor(group, {
        exclude,
        onField: (el) => {
          // A block read again meets the fields it held before: each is listed once.
          if (unit.fieldEls.includes(el)) return;
          unit.fieldEls.push(el);
          unit.fieldsDirty = true;
        },
        onFrame: this.opts.frames === false ? undefined : (el) => frames.push(el),
        onShadowRoot: (sr) => this.takeShadowRoot(unit, sr),
      });
      if (!ex.run(Infinity, this.now, Infinity, UPDATE_MAX_NODES)) return 'full';
      for (const el of frames) this.trackFrame(unit, el, true);
      const text = ex.result().text;
      if (text.length === 0) {
        // Nothing to read there now: the old findings in these blocks go.
        if (this.dropOld(unit, ex)) added = null;
        continue;
      }
      // A new header heads the text after it too: unless nothing follows, that takes a full pass.
      // A header rendered again as it was is no new header: the findings below have its context.
      const same = (group.length === 1 && sameHeader(unit, group[0]!)) || group.every((b) => boxOnly.has(b));
      // So does a heading of any name: it ends the section above it (see extract.ts).
      if (
        !same &&
        (holdsSectionHeader(this.engine, text) || (headingsChanged && group.some(holdsHeading))) &&
        followedByContent(group[group.length - 1]!, root)
      )
        return 'full';
      const lead = textBefore(group[0]!, root, ANALYZE_LEAD_CHARS, ANALYZE_CHUNK_CHARS, SECTION_LINE_MAX, exclude);
      // The break a whole walk makes before the group: a blank line before a heading.
      const gap = isHeading(group[0]!) ? '\n\n' : '\n';
      const shift = lead.length > 0 ? lead.length + gap.length : 0;
      const all = shift > 0 ? `${lead}${gap}${text}` : text;
      // Cut as analyzeChunk cuts, so the findings are the same as a pass's.
      const chunks: AskedChunk[] = [];
      for (let from = shift; from < all.length;) {
        const { start, end, lead: at } = nextChunk(all, from, CHUNK_MAX_CHARS);
        const out = leadOutEnd(all, end);
        // Offsets in the blocks' own text: the lead-in's lie before 0.
        const range = { from: start - shift, to: end - shift };
        chunks.push({
          text: all.slice(at, out),
          offset: at - shift,
          complete: out === all.length,
          range,
          findings: undefined,
        });
        from = end;
      }
      ask.groups.push({ blocks: group, read: ex, chunks });
    }
    // Old findings already went where the blocks hold no text: the report replaces.
    if (added === null) ask.replaces = true;
    unit.asking = ask;
    if (!this.opts.remote || ask.groups.length === 0) return this.finishUpdate(unit);
    this.sendUpdate(unit, ask);
    return 'asked';
  }

  /** Takes away the findings shown in the text an update read; whether there were any. */
  private dropOld(unit: DocUnit, read: Pick<TextExtractor, 'nodes'>): boolean {
    const old = new Set<PlacedFinding>();
    for (const node of read.nodes) for (const p of unit.byNode.at(node)) old.add(p);
    if (old.size === 0) return false;
    unit.placed = withoutFindings(unit.placed, unit.byNode, old);
    unit.registry.remove([...old]);
    return true;
  }

  /**
   * Puts an update's findings in `blocks` (read as `read`) in place of the old ones there, in
   * document order, and shows them as the window allows. Those whose text changed while the
   * update's chunks were out are left out (the change queued its own update). Returns `added`
   * with the new findings, or null when this was more than findings added after all others.
   */
  private putInPlace(
    unit: DocUnit,
    blocks: readonly Element[],
    read: Pick<TextExtractor, 'nodes' | 'starts'>,
    found: readonly Finding[],
    ask: UpdateAsk,
    added: Finding[] | null,
  ): Finding[] | null {
    // The old findings in these blocks give way to the new ones.
    if (this.dropOld(unit, read)) added = null;
    let fresh: PlacedFinding[] = [];
    this.place(unit, found, read, fresh, null);
    if (ask.changed.size > 0 || ask.removals) fresh = fresh.filter((p) => isCurrent(p, ask.changed, ask.removals));
    for (const p of fresh) unit.byNode.add(p);
    if (fresh.length === 0) return added;
    // Into document order: after every finding that precedes the group.
    const first = blocks[0]!;
    let lo = 0;
    let hi = unit.placed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (first.compareDocumentPosition(unit.placed[mid]!.startContainer) & 2 /* PRECEDING */) lo = mid + 1;
      else hi = mid;
    }
    if (lo < unit.placed.length) added = null;
    unit.placed.splice(lo, 0, ...fresh);
    added?.push(...fresh.map((p) => p.finding));
    this.showInserted(unit, lo, fresh);
    return added;
  }

  /**
   * Asks ScannerOptions.remote for a chunk's findings, `settle` told of the answer. Called in a
   * microtask, so a remote that throws at once is a chunk unanswered too.
   */
  private ask(
    text: string,
    offset: number,
    complete: boolean,
    strings: StringTable,
    range: FindingRange,
    settle: (findings: Finding[] | null) => void,
  ): void {
    Promise.resolve()
      .then(() => this.opts.remote!(text, offset, complete, strings, range))
      .then(settle, () => settle(null));
  }

  /** Sends an update's chunks; the last answer queues the slice that places them (finishUpdate). */
  private sendUpdate(unit: DocUnit, ask: UpdateAsk): void {
    for (const g of ask.groups) {
      for (const chunk of g.chunks) {
        ask.unanswered++;
        this.ask(chunk.text, chunk.offset, chunk.complete, ask.strings, chunk.range, (findings) => {
          chunk.findings = findings;
          if (!findings) this.stats.remoteMissed++;
          ask.unanswered--;
          // Only for the update still waiting (not one a full pass made moot, nor a stopped scanner).
          if (ask.unanswered === 0 && unit.asking === ask && this.run && !this.slicePending) this.nextSlice();
        });
      }
    }
  }

  /**
   * Places an update's findings: once all its chunks are answered, or at once when there is no
   * ScannerOptions.remote. The chunks nobody answered are analysed here.
   */
  private finishUpdate(unit: DocUnit): 'full' | { added: Finding[] | null } {
    const ask = unit.asking!;
    unit.asking = null;
    let added: Finding[] | null = ask.replaces ? null : [];
    const founds: Finding[][] = [];
    for (const g of ask.groups) {
      const found: Finding[] = [];
      for (const c of g.chunks) {
        let findings = c.findings;
        if (findings) this.stats.remoteChunks++;
        else findings = analyze(this.engine, c.text, c.offset, ask.strings, c.complete, c.range);
        found.push(...findings);
      }
      // A section header in the blocks read is recorded with its block's text (see place), which is
      // read now: had the page changed meanwhile, the text recorded might not be the one the
      // findings below it were read with, and a later change to it would go unseen.
      if (ask.touched && found.some((f) => f.cues.some((q) => q.kind === 'section' && q.start >= 0))) return 'full';
      founds.push(found);
    }
    ask.groups.forEach((g, i) => (added = this.putInPlace(unit, g.blocks, g.read, founds[i]!, ask, added)));
    this.reindex();
    if (MARKS) performance.mark(`chartlight:done:${this.placed.length}`);
    return { added };
  }

  /**
   * Shows a document's findings: all of them up to SHOW_ALL_MAX, else those around what the user
   * sees now (found by hit-testing a few points of the viewport, so panes that scroll on their own
   * and side columns count as well as the page's own scrolling).
   */
  private rewindow(unit: DocUnit, hitTest = true): void {
    const placed = unit.placed;
    if (placed.length <= SHOW_ALL_MAX) {
      unit.anchors = [];
      unit.registry.setShown(placed);
      return;
    }
    if (!hitTest) {
      // Right after a pass the page's layout may be stale, and hit-testing would force it: keep the
      // window where it was (or at the top) now, and look again once the page has rendered.
      const keep = unit.anchors.length > 0 ? unit.anchors.map((a) => Math.min(a, placed.length - 1)) : [0];
      unit.anchors = [];
      this.showAround(unit, keep);
      this.scheduleRewindow(unit);
      return;
    }
    const anchors: number[] = [];
    const w = unit.win.innerWidth;
    const h = unit.win.innerHeight;
    for (const [fx, fy] of WINDOW_POINTS) {
      const hit = caretAt(unit.doc, fx * w, fy * h);
      if (hit) anchors.push(indexNear(placed, unit.byNode, hit));
    }
    // The finding last stepped to or revealed stays shown wherever it is.
    const current = this.placed[this.current];
    if (current) {
      const i = placed.indexOf(current);
      if (i >= 0) anchors.push(i);
    }
    if (anchors.length === 0) anchors.push(0);
    if (windowHolds(unit.anchors, anchors) && unit.registry.size > 0) return;
    this.showAround(unit, anchors);
  }

  private showAround(unit: DocUnit, anchors: number[]): void {
    const placed = unit.placed;
    unit.anchors = anchors;
    const shown = new Set<PlacedFinding>();
    for (const a of anchors) {
      const end = Math.min(placed.length, a + SHOWN_AROUND);
      for (let k = Math.max(0, a - SHOWN_AROUND); k < end; k++) shown.add(placed[k]!);
    }
    unit.registry.setShown(shown);
  }

  /** Findings an update inserted at `at`: shown when all are shown or when they fall in the window. */
  private showInserted(unit: DocUnit, at: number, fresh: readonly PlacedFinding[]): void {
    if (unit.placed.length <= SHOW_ALL_MAX) {
      unit.registry.add(fresh);
      return;
    }
    unit.anchors = unit.anchors.map((a) => (a >= at ? a + fresh.length : a));
    if (unit.anchors.length === 0) return this.rewindow(unit, false); // the page just grew past SHOW_ALL_MAX
    const near = unit.anchors.some((a) => at + fresh.length > a - SHOWN_AROUND && at < a + SHOWN_AROUND);
    if (near) unit.registry.add(fresh);
  }

  /**
   * Moves the shown window a little after scrolling (or a pass) — by then the page has usually
   * rendered, so hit-testing finds its layout fresh rather than forcing it.
   */
  private scheduleRewindow(unit: DocUnit): void {
    if (unit.windowTimer !== null || unit.placed.length <= SHOW_ALL_MAX || unit.job?.live) return;
    unit.windowTimer = setTimeout(() => {
      // Hit-testing needs the page's layout: run it just after the page's next frame, when the
      // page has laid itself out. At any other moment a page that has just changed makes the hit
      // test lay it out and repaint-walk it inside this task (100 ms on a 150,000-node page whose
      // app had appended a section), where the page would have done that work in its own frame.
      const after = () => {
        unit.windowTimer = null;
        if (this.run && !unit.ac.signal.aborted) this.rewindow(unit);
      };
      const raf = unit.win.requestAnimationFrame?.bind(unit.win);
      if (raf) raf(() => (unit.windowTimer = setTimeout(after, 0)));
      else after();
    }, REWINDOW_DELAY_MS);
  }

  /** Shows a finding about to be revealed (stepped to from the keyboard or the panel). */
  showFinding(p: PlacedFinding): void {
    const unit = p.startContainer.ownerDocument ? this.byDoc.get(p.startContainer.ownerDocument) : null;
    if (!unit || unit.registry.has(p)) return;
    this.rewindow(unit);
    unit.registry.add([p]);
  }

  /** Takes on the same-origin frames met in a pass and lets go of those that are gone. */
  private syncFrames(unit: DocUnit, frames: Set<Element>): void {
    for (const el of frames) this.trackFrame(unit, el, false);
    for (const el of [...unit.frames]) {
      if (!frames.has(el)) {
        unit.frames.delete(el);
        for (const child of this.units.filter((u) => u.parent === unit && u.frameEl === el)) this.removeUnit(child);
      }
    }
  }

  private trackFrame(unit: DocUnit, el: Element, schedule: boolean): void {
    if (!unit.frames.has(el)) {
      unit.frames.add(el);
      // A frame that navigates (a tab of the EHR loading another chart) gets a new document.
      el.addEventListener('load', () => this.checkFrame(unit, el), { signal: unit.ac.signal });
    }
    this.checkFrame(unit, el, schedule);
  }

  private checkFrame(unit: DocUnit, el: Element, schedule = true): void {
    if (!this.run) return;
    let doc: Document | null = null;
    try {
      doc = (el as HTMLIFrameElement).contentDocument;
    } catch {
      doc = null; // cross-origin: out of reach by design
    }
    const existing = this.units.find((u) => u.parent === unit && u.frameEl === el);
    if (existing && existing.doc === doc) return;
    if (existing) this.removeUnit(existing);
    const win = doc?.defaultView;
    if (!doc || !win || this.byDoc.has(doc)) return;
    this.addUnit(doc, win, el, unit);
    if (schedule) this.schedule();
  }

  private reindex(): void {
    this.placed = this.units.length === 1 ? this.units[0]!.placed : this.units.flatMap((u) => u.placed);
    if (this.current >= this.placed.length) this.current = -1;
  }

  private report(): void {
    this.opts.onReport({
      // Made only for a report: an update that appends must not copy every finding of a long page.
      findings: this.units.flatMap((u) => u.placed.map((p) => p.finding)),
      fields: this.units.flatMap((u) => u.fields),
    });
  }

  /** The finding under a caret position (from caretPositionFromPoint), if any. */
  findingAt(node: Node, offset: number): PlacedFinding | null {
    const list = node.ownerDocument ? this.byDoc.get(node.ownerDocument)?.byNode.at(node) : undefined;
    if (!list) return null;
    for (const p of list) {
      const afterStart = node !== p.startContainer || offset >= p.startOffset;
      const beforeEnd = node !== p.endContainer || offset < p.endOffset;
      if (afterStart && beforeEnd) return p;
    }
    return null;
  }

  /** The window whose document holds a finding (for the flash and the card's position). */
  windowOf(p: PlacedFinding): Window | null {
    return this.byDoc.get(p.startContainer.ownerDocument!)?.win ?? null;
  }

  /** The chain of <iframe> elements from the scanner's document down to a finding's document. */
  framePath(p: PlacedFinding): Element[] {
    const path: Element[] = [];
    for (let u = this.byDoc.get(p.startContainer.ownerDocument!); u?.frameEl; u = u.parent ?? undefined) {
      path.unshift(u.frameEl);
    }
    return path;
  }

  /** Open shadow roots met in a document (hit-testing needs them to see into shadow trees). */
  shadowRootsOf(doc: Document): ShadowRoot[] {
    return [...(this.byDoc.get(doc)?.shadowRoots ?? [])];
  }

  /** Moves to the next (+1) or previous (-1) finding and returns it. */
  step(direction: 1 | -1): PlacedFinding | null {
    if (this.placed.length === 0) return null;
    this.current =
      this.current < 0 && direction < 0
        ? this.placed.length - 1
        : (this.current + direction + this.placed.length) % this.placed.length;
    return this.placed[this.current] ?? null;
  }

  /** Index of a finding in `findings`, so stepping continues from a hovered or revealed one. */
  setCurrent(p: PlacedFinding): void {
    const i = this.placed.indexOf(p);
    if (i >= 0) this.current = i;
  }

  /** Stops everything: observers, timers, listeners, highlights. `start()` may run again after. */
  stop(): void {
    if (this.delayTimer !== null) clearTimeout(this.delayTimer);
    this.delayTimer = null;
    this.slices.close();
    this.slicePending = false;
    this.observer?.disconnect();
    this.observer = null;
    for (const u of [...this.units]) this.removeUnit(u);
    this.units = [];
    this.byDoc.clear();
    this.run?.abort();
    this.run = null;
    this.placed = [];
    this.current = -1;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

/** The caret position under a viewport point, as a node (no Range is kept). */
function caretAt(doc: Document, x: number, y: number): Node | null {
  const d = doc as Document & {
    caretPositionFromPoint?: (x: number, y: number) => { offsetNode: Node } | null;
    caretRangeFromPoint?: (x: number, y: number) => Range | null;
  };
  if (d.caretPositionFromPoint) return d.caretPositionFromPoint(x, y)?.offsetNode ?? null;
  return d.caretRangeFromPoint?.(x, y)?.startContainer ?? null;
}

/** Text nodes indexNear looks through for a finding before it falls back on indexAt. */
const NEAR_TEXT_NODES = 200;

/**
 * indexAt, found first by reading on from `node` through the next few text nodes for one where a
 * finding starts. indexAt's comparisons each cost a walk over siblings in Chromium, and some pages
 * hold 100,000 elements under one parent: a window placed there took 20 ms of comparisons.
 */
export function indexNear(placed: readonly PlacedFinding[], byNode: NodeIndex, node: Node): number {
  const doc = node.ownerDocument;
  if (doc && placed.length > 0) {
    const walker = doc.createTreeWalker(doc, 4 /* SHOW_TEXT */);
    walker.currentNode = node;
    let n: Node | null = node;
    for (let k = 0; n && k < NEAR_TEXT_NODES; k++, n = walker.nextNode()) {
      let first = -1;
      for (const p of byNode.at(n)) {
        if (p.startContainer !== n) continue;
        const i = placed.indexOf(p);
        if (i >= 0 && (first < 0 || i < first)) first = i;
      }
      if (first >= 0) return first;
    }
  }
  return indexAt(placed, node);
}

/** Index of the first placed finding that does not precede `node` in document order. */
export function indexAt(placed: readonly PlacedFinding[], node: Node): number {
  let lo = 0;
  let hi = placed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const other = placed[mid]!.startContainer;
    if (other !== node && node.compareDocumentPosition(other) & 2 /* PRECEDING */) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, placed.length - 1);
}

/**
 * Whether the window shown around the `shown` anchors still holds each new anchor with a margin
 * of SHOWN_AROUND / 3 findings either side: then it can stay. Every move costs the page a repaint
 * walk of the whole document (45-70 ms at 150,000 nodes), so scrolling moves it only when what
 * the user sees nears its edge.
 */
function windowHolds(shown: readonly number[], anchors: readonly number[]): boolean {
  const reach = SHOWN_AROUND - Math.ceil(SHOWN_AROUND / 3);
  return anchors.every((a) => shown.some((b) => Math.abs(a - b) <= reach));
}

/**
 * The longest header block recorded (see DocUnit.headerBlocks). A header inside a longer block (a
 * note in one <pre>) is one line of it: typing into it changes a text node whose old text holds the
 * header, which the mutation itself shows. Reading a big block's text on every update would cost
 * more than the rare full pass it saves.
 */
const HEADER_BLOCK_MAX_CHARS = 200;

/** The text under `el` when it is at most `max` characters, else null (read no further). */
function shortText(el: Element, max: number): string | null {
  const walker = el.ownerDocument.createTreeWalker(el, 4 /* SHOW_TEXT */);
  let text = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    text += (n as Text).data;
    if (text.length > max) return null;
  }
  return text;
}

/** Whether `block` is a recorded header block whose text is what it was. */
function sameHeader(unit: DocUnit, block: Element): boolean {
  const was = unit.headerBlocks.get(block);
  return was !== undefined && shortText(block, HEADER_BLOCK_MAX_CHARS) === was;
}

/** Whether the block `el` stands next to inline content: text, or an element that is no block. */
function splitsLine(el: Element, root: Node, exclude?: (el: Element) => boolean): boolean {
  for (const side of [el.previousSibling, el.nextSibling]) {
    let n = side;
    while (n && n.nodeType === 3 && (n as Text).data.trim() === '')
      n = side === el.previousSibling ? n.previousSibling : n.nextSibling;
    if (!n) continue;
    if (n.nodeType === 3) return true;
    if (n.nodeType === 1 && blockAround(n, root, exclude).block !== n) return true;
  }
  return false;
}

/** Whether any node comes after `node` (outside it) within `root`. */
function followedByContent(node: Node, root: Node): boolean {
  for (let n: Node | null = node; n && n !== root; n = n.parentNode) {
    for (let s = n.nextSibling; s; s = s.nextSibling) {
      if (s.nodeType === 1 || (s.nodeType === 3 && (s as Text).data.trim() !== '')) return true;
    }
  }
  return false;
}

/** The text of every heading of a document, in order: what decides where its sections end. */
function headingsOf(doc: Document): string {
  const out: string[] = [];
  for (const h of doc.querySelectorAll('h1,h2,h3,h4,h5,h6')) out.push(h.textContent ?? '');
  return out.join('\n');
}

/** Whether a node is or holds a heading element, which ends the section above it. */
function holdsHeading(n: Node): boolean {
  return n.nodeType === 1 && (isHeading(n as Element) || (n as Element).querySelector('h1,h2,h3,h4,h5,h6') !== null);
}

function hasWork(u: DocUnit): boolean {
  return u.dirty || u.fieldsDirty || u.job !== null || u.asking !== null || u.updated.size > 0;
}

/**
 * Has work that can be done now (not only answers to wait for). A full pass due does not wait for
 * an update's answers: it makes them moot.
 */
function ready(u: DocUnit): boolean {
  return hasWork(u) && !u.job?.waiting && !(u.asking && u.asking.unanswered > 0 && !u.dirty);
}

/** Text to analyse in chunks: a string, or the text a walk has read so far. */
export interface TextSource {
  readonly length: number;
  slice(start: number, end: number): string;
}

/**
 * Analyses the chunk of `text` that starts at `from` (see nextChunk) and returns its findings in
 * offsets of the whole text, and where the next chunk starts. Called until `end` reaches the text's
 * length, it yields what one `analyze(engine, text)` would, in steps of bounded length.
 */
export function analyzeChunk(
  engine: Engine,
  text: string | TextSource,
  from: number,
  size = ANALYZE_CHUNK_CHARS,
  /** Added to every offset reported: where `text` itself lies in the text being placed. */
  offset = 0,
  strings?: StringTable,
): { findings: Finding[]; end: number; lead: number } {
  const { start, end, lead } = nextChunk(text, from, size);
  const out = leadOutEnd(text, end);
  // Findings in the lead-in were reported with the previous chunk, those in the lead-out will be
  // with the next: those two are read for context only.
  const range = { from: start + offset, to: end + offset };
  const findings = analyze(engine, text.slice(lead, out), lead + offset, strings, out === text.length, range);
  return { findings, end, lead };
}

/**
 * A chunk is read with a few lines of the text after it (ANALYZE_LEAD_OUT_LINES, at most
 * ANALYZE_LEAD_OUT_CHARS): the answer to a label at a chunk's last line may stand on the next
 * ("Aura" then "No"). Where the chunk's text ends, or no line ends near enough, there is none.
 */
export const ANALYZE_LEAD_OUT_LINES = 3;
export const ANALYZE_LEAD_OUT_CHARS = 400;

function leadOutEnd(text: string | TextSource, end: number): number {
  if (end >= text.length) return end;
  const w = text.slice(end, Math.min(text.length, end + ANALYZE_LEAD_OUT_CHARS));
  let at = -1;
  for (let n = 0; n < ANALYZE_LEAD_OUT_LINES; n++) {
    const nl = w.indexOf('\n', at + 1);
    if (nl < 0) break;
    at = nl;
  }
  if (end + w.length === text.length && w.indexOf('\n', at + 1) < 0) return text.length;
  return at < 0 ? end : end + at;
}

/** Whether a placed finding still matches the page: its nodes are attached and unchanged. */
function isCurrent(r: PlacedFinding, changed: Set<Node>, checkAttached: boolean): boolean {
  if (changed.has(r.startContainer) || changed.has(r.endContainer)) return false;
  if (!checkAttached) return true;
  const a = r.startContainer as Text;
  const b = r.endContainer as Text;
  return a.isConnected && b.isConnected && r.startOffset <= a.data.length && r.endOffset <= b.data.length;
}

/**
 * The next chunk of `text` to analyse from `from`: cut at a line break, with a lead-in. Only a
 * window of the text around `from` is looked at, so a text without line breaks (one 10 MB node)
 * costs the same per chunk as any other.
 */
export function nextChunk(
  text: string | TextSource,
  from: number,
  size = ANALYZE_CHUNK_CHARS,
): { start: number; end: number; lead: number } {
  const length = text.length;
  const base = Math.max(0, from - ANALYZE_CHUNK_CHARS - ANALYZE_LEAD_CHARS);
  const w = text.slice(base, Math.min(length, from + size + 1));
  let end = length;
  if (end - from > size) {
    const cut = w.lastIndexOf('\n', from - base + size);
    end = cut >= 0 && cut + base > from ? cut + base + 1 : from + size;
  }
  if (from === 0) return { start: 0, end, lead: 0 };
  const reach = Math.max(0, from - ANALYZE_LEAD_CHARS);
  const nl = w.lastIndexOf('\n', reach - base);
  // Without a line break near enough, the lead-in starts mid-line: its findings are dropped anyway.
  let lead = nl >= 0 && reach - (nl + base) <= ANALYZE_CHUNK_CHARS ? nl + base + 1 : reach;
  // Carry the nearest short line above the cut into the lead-in: it may be a section header.
  const header = lastShortLine(w, from - base);
  if (header !== null && header + base < lead) lead = header + base;
  return { start: from, end, lead };
}

/** Start of the last line before `pos` no longer than SECTION_LINE_MAX, searched a bounded way back. */
function lastShortLine(text: string, pos: number): number | null {
  let lineEnd = pos - 1;
  const floor = Math.max(0, pos - ANALYZE_CHUNK_CHARS);
  while (lineEnd > floor) {
    const lineStart = text.lastIndexOf('\n', lineEnd - 1) + 1;
    const line = text.slice(lineStart, lineEnd).trim();
    if (line.length > 0 && line.length <= SECTION_LINE_MAX && !line.includes('\t')) return lineStart;
    if (lineStart === 0) return null;
    lineEnd = lineStart - 1;
  }
  return null;
}

/** Only text-like fields: a password, date or checkbox never holds a clinical note. */
const TEXT_INPUT_TYPES = new Set(['', 'text', 'search']);

function fieldValue(el: HTMLTextAreaElement | HTMLInputElement): string {
  if (el.tagName === 'INPUT' && !TEXT_INPUT_TYPES.has((el.getAttribute('type') ?? '').toLowerCase())) return '';
  return el.value;
}

function fieldLabel(el: HTMLTextAreaElement | HTMLInputElement): string {
  const root = el.getRootNode() as Document | ShadowRoot;
  let text: string | null = null;
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    text = labelledBy
      .split(/\s+/)
      .map((id) => root.getElementById?.(id)?.textContent ?? '')
      .join(' ');
  }
  if (!text && el.labels && el.labels.length > 0) text = el.labels[0]!.textContent;
  text ||= el.getAttribute('aria-label') || el.getAttribute('placeholder') || el.getAttribute('name') || '';
  return text.replace(/\s+/g, ' ').trim().slice(0, 80);
}

/** For the content script: whether the page can show highlights at all. */
export function canHighlight(win: Window): boolean {
  return highlightApi(win) !== null;
}
