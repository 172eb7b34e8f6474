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
import { analyze, type Engine } from '../engine/analyze';
import type { Finding } from '../engine/types';
import { TextExtractor, type Extracted } from './extract';
import { HighlightBatch, HighlightRegistry, highlightApi, rangeFor, type PlacedFinding } from './highlights';

export type { PlacedFinding } from './highlights';

export interface FieldFinding extends Finding {
  /** Which field: its label, name or placeholder — never its value. */
  field: string;
}

export interface ScanReport {
  findings: Finding[];
  fields: FieldFinding[];
}

export interface ScannerOptions {
  win: Window;
  engine: Engine;
  signal: AbortSignal;
  /** Called once the page has settled after a change, with what the page now says. */
  onReport: (report: ScanReport) => void;
  /** Elements the scanner must ignore (the hover card host). */
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
}

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
 * Text longer than this is analysed in chunks cut at line breaks. On a busy two-core machine the
 * whole pipeline (tokens, matcher, sentences, context cues) ran at about 0.5–1 MB/s on flowsheet
 * text dense with findings, so 6,000 characters stay within a few milliseconds.
 */
export const ANALYZE_CHUNK_CHARS = 6_000;

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

const OBSERVE: MutationObserverInit = { subtree: true, childList: true, characterData: true };

type Phase = 'extract' | 'analyze' | 'place' | 'fields';

/** Ranges created or added to highlights between two looks at the clock. */
const PLACE_STEP = 128;

interface PassJob {
  phase: Phase;
  extractor: TextExtractor;
  extracted: Extracted | null;
  findings: Finding[];
  chunkStart: number;
  placed: PlacedFinding[];
  placeIndex: number;
  /** The new highlights, filled as ranges are placed and shown at commit. */
  batch: HighlightBatch;
  fieldEls: (HTMLTextAreaElement | HTMLInputElement)[];
  fieldIndex: number;
  fields: FieldFinding[];
  /** Text nodes whose characters changed while this job ran (their findings may be stale). */
  changed: Set<Node>;
  fieldsOnly: boolean;
  /** The same-origin frames met during the walk. */
  frames: Set<Element>;
}

interface DocUnit {
  doc: Document;
  win: Window;
  /** The <iframe> holding this document, null for the scanner's own document. */
  frameEl: Element | null;
  parent: DocUnit | null;
  registry: HighlightRegistry;
  placed: PlacedFinding[];
  findings: Finding[];
  fields: FieldFinding[];
  shadowRoots: Set<ShadowRoot>;
  frames: Set<Element>;
  /** The text fields met in the last full pass, read again when the user types in one. */
  fieldEls: (HTMLTextAreaElement | HTMLInputElement)[];
  dirty: boolean;
  fieldsDirty: boolean;
  job: PassJob | null;
  ac: AbortController;
}

export interface ScannerStats {
  /** Completed document passes. */
  passes: number;
  /** Work slices run. */
  slices: number;
  /** The longest slice, in ms. */
  longestSliceMs: number;
  /** Mutation batches received (ignoring the extension's own). */
  batches: number;
}

export class PageScanner {
  private units: DocUnit[] = [];
  private byDoc = new Map<Document, DocUnit>();
  private placed: PlacedFinding[] = [];
  private byNode = new Map<Node, PlacedFinding[]>();
  private current = -1;
  private delayTimer: ReturnType<typeof setTimeout> | null = null;
  private sliceTimer: ReturnType<typeof setTimeout> | null = null;
  private observer: MutationObserver | null = null;
  private run: AbortController | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly now: () => number;
  readonly stats: ScannerStats = { passes: 0, slices: 0, longestSliceMs: 0, batches: 0 };

  constructor(private readonly opts: ScannerOptions) {
    this.now = opts.now ?? (() => opts.win.performance.now());
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
    this.sliceTimer = setTimeout(this.pump, 0);
  }

  /** Resolves when no work is pending (tests, the benchmark). */
  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((ok) => this.idleWaiters.push(ok));
  }

  private busy(): boolean {
    return this.delayTimer !== null || this.sliceTimer !== null || this.units.some((u) => u.dirty || u.fieldsDirty);
  }

  /** A full pass over every document, now, in one go (the CLI-like path; tests and benchmark). */
  scanNow(): void {
    if (this.opts.signal.aborted) return;
    if (!this.run) {
      this.start();
    }
    for (const u of this.units) {
      u.dirty = true;
      u.job = null;
    }
    while (this.work(Infinity));
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
      findings: [],
      fields: [],
      shadowRoots: new Set(),
      frames: new Set(),
      fieldEls: [],
      dirty: true,
      fieldsDirty: false,
      job: null,
      ac,
    };
    this.units.push(unit);
    this.byDoc.set(doc, unit);
    this.observer?.observe(doc, OBSERVE);
    const signal = ac.signal;
    doc.addEventListener('input', (e) => this.onInput(unit, e), { capture: true, passive: true, signal });
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
    if (tag === 'TEXTAREA' || tag === 'INPUT') {
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
      unit.dirty = true;
      touched.add(unit);
      if (!huge && r.type === 'characterData') unit.job?.changed.add(r.target);
    }
    if (!any) return;
    this.stats.batches++;
    // A huge batch (a tab switch, a whole view replaced): nothing is worth keeping record by record;
    // every touched document gets a full pass and its old highlights are checked wholesale below.
    for (const unit of touched) {
      if (unit.job && huge) unit.job = null;
      this.dropStale(unit, huge ? null : records);
    }
    this.schedule();
  }

  /** The hover card's host being added to <html> is the extension's own change. */
  private onlyOwnNodes(r: MutationRecord): boolean {
    if (r.type !== 'childList') return false;
    const nodes = [...r.addedNodes, ...r.removedNodes];
    return nodes.length > 0 && nodes.every((n) => n.nodeType === 1 && this.isOwn(n));
  }

  /**
   * Removes at once every highlight that may no longer match the page (its text changed or left
   * the document), so a stale range is never painted while the rescan is pending.
   */
  private dropStale(unit: DocUnit, records: MutationRecord[] | null): void {
    const changed = new Set<Node>();
    let removals = records === null;
    for (const r of records ?? []) {
      if (r.type === 'characterData') changed.add(r.target);
      else if (r.removedNodes.length > 0) removals = true;
    }
    const keep: PlacedFinding[] = [];
    const gone: PlacedFinding[] = [];
    for (const p of unit.placed) (isCurrent(p, changed, removals) ? keep : gone).push(p);
    if (gone.length === 0) return;
    unit.placed = keep;
    unit.findings = keep.map((p) => p.finding);
    unit.registry.remove(gone);
    this.reindex();
  }

  private schedule(): void {
    if (this.delayTimer !== null || !this.run) return;
    this.delayTimer = setTimeout(() => {
      this.delayTimer = null;
      this.pump();
    }, MUTATION_DEBOUNCE_MS);
  }

  /** Runs one slice of work and, if more remains, queues the next slice behind the page's tasks. */
  private pump = (): void => {
    this.sliceTimer = null;
    if (!this.run) return;
    const start = this.now();
    const more = this.work(start + SLICE_BUDGET_MS);
    const took = this.now() - start;
    this.stats.slices++;
    if (took > this.stats.longestSliceMs) this.stats.longestSliceMs = took;
    if (more) {
      this.sliceTimer = setTimeout(this.pump, 0);
    } else if (!this.busy()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  /** Does work until `deadline`; returns whether work remains. */
  private work(deadline: number): boolean {
    let reported = false;
    for (;;) {
      const unit = this.units.find((u) => u.dirty || u.fieldsDirty || u.job);
      if (!unit) break;
      if (!unit.job) {
        unit.job = this.newJob(unit, !unit.dirty);
        unit.dirty = false;
        unit.fieldsDirty = false;
      }
      const finished = this.advance(unit, unit.job, deadline);
      if (!finished) return true;
      this.commit(unit, unit.job);
      unit.job = null;
      reported = true;
      if (this.now() >= deadline && this.units.some((u) => u.dirty || u.fieldsDirty || u.job)) {
        this.report();
        return true;
      }
    }
    if (reported) this.report();
    return false;
  }

  private newJob(unit: DocUnit, fieldsOnly: boolean): PassJob {
    const fieldEls: PassJob['fieldEls'] = fieldsOnly ? unit.fieldEls.filter((el) => el.isConnected) : [];
    const frames = new Set<Element>();
    const root = unit.doc.body ?? unit.doc.documentElement;
    const signal = unit.ac.signal;
    const extractor = new TextExtractor(root ?? unit.doc, {
      exclude: this.opts.exclude,
      onField: (el) => fieldEls.push(el),
      onFrame: this.opts.frames === false ? undefined : (el) => frames.add(el),
      onShadowRoot: (sr) => {
        if (unit.shadowRoots.has(sr)) return;
        unit.shadowRoots.add(sr);
        // Mutations inside a shadow tree are not seen by an observer of the document.
        this.observer?.observe(sr, OBSERVE);
        this.opts.onShadowRoot?.(sr, signal);
      },
    });
    const job: PassJob = {
      phase: 'extract',
      extractor,
      extracted: null,
      findings: [],
      chunkStart: 0,
      placed: [],
      placeIndex: 0,
      batch: unit.registry.begin(),
      fieldEls,
      fieldIndex: 0,
      fields: [],
      changed: new Set(),
      fieldsOnly,
      frames,
    };
    // Typing in a field changes no DOM: only the fields need reading again.
    if (fieldsOnly) job.phase = 'fields';
    return job;
  }

  /** Advances a job until it is finished (true) or the deadline passes (false). */
  private advance(unit: DocUnit, job: PassJob, deadline: number): boolean {
    const { engine, disabled } = this.opts;
    const keep = (f: Finding) => !disabled?.has(f.category);
    while (this.now() < deadline || deadline === Infinity) {
      if (job.phase === 'extract') {
        if (!job.extractor.run(deadline, this.now)) return false;
        job.extracted = job.extractor.result();
        job.phase = 'analyze';
      } else if (job.phase === 'analyze') {
        const text = job.extracted!.text;
        if (job.chunkStart >= text.length) {
          job.phase = 'place';
          continue;
        }
        const chunk = analyzeChunk(engine, text, job.chunkStart);
        for (const f of chunk.findings) if (keep(f)) job.findings.push(f);
        job.chunkStart = chunk.end;
      } else if (job.phase === 'place') {
        const ex = job.extracted!;
        const stopAt = Math.min(job.findings.length, job.placeIndex + PLACE_STEP);
        for (; job.placeIndex < stopAt; job.placeIndex++) {
          const f = job.findings[job.placeIndex]!;
          const range = rangeFor(unit.win, ex, f.start, f.end);
          if (!range) continue;
          const p = { finding: f, range };
          job.placed.push(p);
          job.batch.add(p);
        }
        if (job.placeIndex >= job.findings.length) job.phase = 'fields';
      } else {
        if (job.fieldIndex >= job.fieldEls.length) return true;
        const el = job.fieldEls[job.fieldIndex++]!;
        const value = fieldValue(el);
        if (!value) continue;
        const label = fieldLabel(el) || `field ${job.fieldIndex}`;
        for (const f of analyze(engine, value)) if (keep(f)) job.fields.push({ ...f, field: label });
      }
    }
    return false;
  }

  private commit(unit: DocUnit, job: PassJob): void {
    unit.fields = job.fields;
    this.stats.passes++;
    if (job.fieldsOnly) return;
    unit.fieldEls = job.fieldEls;
    // A mutation that arrived while the job ran may have changed text it already read: those
    // findings are not shown, and the unit is dirty again so the next pass finds them afresh.
    const placed = job.placed.filter((p) => isCurrent(p, job.changed, true));
    unit.placed = placed;
    unit.findings = placed.map((p) => p.finding);
    unit.registry.show(job.batch);
    if (placed.length !== job.placed.length) {
      const kept = new Set(placed);
      unit.registry.remove(job.placed.filter((p) => !kept.has(p)));
    }
    this.syncFrames(unit, job.frames);
    this.reindex();
    this.opts.onCommit?.();
  }

  /** Takes on the same-origin frames met in a pass and lets go of those that are gone. */
  private syncFrames(unit: DocUnit, frames: Set<Element>): void {
    const signal = unit.ac.signal;
    for (const el of frames) {
      if (!unit.frames.has(el)) {
        unit.frames.add(el);
        // A frame that navigates (a tab of the EHR loading another chart) gets a new document.
        el.addEventListener('load', () => this.checkFrame(unit, el), { signal });
      }
      this.checkFrame(unit, el, false);
    }
    for (const el of [...unit.frames]) {
      if (!frames.has(el)) {
        unit.frames.delete(el);
        for (const child of this.units.filter((u) => u.parent === unit && u.frameEl === el)) this.removeUnit(child);
      }
    }
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
    this.placed = this.units.flatMap((u) => u.placed);
    this.byNode = new Map();
    for (const p of this.placed) {
      const r = p.range;
      const nodes = r.startContainer === r.endContainer ? [r.startContainer] : [r.startContainer, r.endContainer];
      for (const n of nodes) {
        let list = this.byNode.get(n);
        if (!list) this.byNode.set(n, (list = []));
        list.push(p);
      }
    }
    if (this.current >= this.placed.length) this.current = -1;
  }

  private report(): void {
    this.opts.onReport({
      findings: this.units.flatMap((u) => u.findings),
      fields: this.units.flatMap((u) => u.fields),
    });
  }

  /** The finding under a caret position (from caretPositionFromPoint), if any. */
  findingAt(node: Node, offset: number): PlacedFinding | null {
    const list = this.byNode.get(node);
    if (!list) return null;
    for (const p of list) {
      const r = p.range;
      const afterStart = node !== r.startContainer || offset >= r.startOffset;
      const beforeEnd = node !== r.endContainer || offset < r.endOffset;
      if (afterStart && beforeEnd) return p;
    }
    return null;
  }

  /** The window whose document holds a finding (for the flash and the card's position). */
  windowOf(p: PlacedFinding): Window | null {
    return this.byDoc.get(p.range.startContainer.ownerDocument!)?.win ?? null;
  }

  /** The chain of <iframe> elements from the scanner's document down to a finding's document. */
  framePath(p: PlacedFinding): Element[] {
    const path: Element[] = [];
    for (let u = this.byDoc.get(p.range.startContainer.ownerDocument!); u?.frameEl; u = u.parent ?? undefined) {
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
    if (this.sliceTimer !== null) clearTimeout(this.sliceTimer);
    this.delayTimer = null;
    this.sliceTimer = null;
    this.observer?.disconnect();
    this.observer = null;
    for (const u of [...this.units]) this.removeUnit(u);
    this.units = [];
    this.byDoc.clear();
    this.run?.abort();
    this.run = null;
    this.placed = [];
    this.byNode.clear();
    this.current = -1;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

/**
 * Analyses the chunk of `text` that starts at `from` (see nextChunk) and returns its findings in
 * offsets of the whole text, and where the next chunk starts. Called until `end` reaches the text's
 * length, it yields what one `analyze(engine, text)` would, in steps of bounded length.
 */
export function analyzeChunk(engine: Engine, text: string, from: number): { findings: Finding[]; end: number } {
  const { start, end, lead } = nextChunk(text, from);
  const findings: Finding[] = [];
  for (const f of analyze(engine, text.slice(lead, end))) {
    if (f.start + lead < start) continue; // in the lead-in: the previous chunk reported it
    findings.push(shift(f, lead));
  }
  return { findings, end };
}

/** Whether a placed finding still matches the page: its nodes are attached and unchanged. */
function isCurrent(p: PlacedFinding, changed: Set<Node>, checkAttached: boolean): boolean {
  const r = p.range;
  if (changed.has(r.startContainer) || changed.has(r.endContainer)) return false;
  if (!checkAttached) return true;
  const a = r.startContainer as Text;
  const b = r.endContainer as Text;
  return a.isConnected && b.isConnected && r.startOffset <= a.data.length && r.endOffset <= b.data.length;
}

/** The next chunk of `text` to analyse from `from`: cut at a line break, with a lead-in. */
export function nextChunk(text: string, from: number): { start: number; end: number; lead: number } {
  let end = text.length;
  if (end - from > ANALYZE_CHUNK_CHARS) {
    const cut = text.lastIndexOf('\n', from + ANALYZE_CHUNK_CHARS);
    end = cut > from ? cut + 1 : from + ANALYZE_CHUNK_CHARS;
  }
  if (from === 0) return { start: 0, end, lead: 0 };
  let lead = Math.max(0, from - ANALYZE_LEAD_CHARS);
  const nl = text.lastIndexOf('\n', lead);
  lead = nl >= 0 ? nl + 1 : 0;
  // Carry the nearest short line above the cut into the lead-in: it may be a section header.
  const header = lastShortLine(text, from);
  if (header !== null && header < lead) lead = header;
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

function shift(f: Finding, by: number): Finding {
  if (by === 0) return f;
  return {
    ...f,
    start: f.start + by,
    end: f.end + by,
    sentenceStart: f.sentenceStart + by,
    cues: f.cues.map((c) => ({ ...c, start: c.start + by, end: c.end + by })),
  };
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
