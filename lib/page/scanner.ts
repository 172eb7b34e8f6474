/**
 * The page scanner: extract → analyze → place highlights, for one document (one frame). Every
 * effect it has (observer, listeners, timers, highlights) is owned by the AbortSignal it is given;
 * aborting undoes all of it.
 */
import { analyze, type Engine } from '../engine/analyze';
import type { Finding } from '../engine/types';
import { extractText, type Extracted } from './extract';
import { HighlightRegistry, rangeFor, type PlacedFinding } from './highlights';

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
  /** Called after each pass with what the page now says. */
  onReport: (report: ScanReport) => void;
  /** Elements the scanner must ignore (the hover card host). */
  exclude?: (el: Element) => boolean;
  /** Categories the user or administrator switched off. */
  disabled?: ReadonlySet<string>;
}

/**
 * Mutations are gathered for this long before one rescan, so an app that re-renders in bursts
 * costs one pass, not one per mutation.
 */
export const MUTATION_DEBOUNCE_MS = 150;

export class PageScanner {
  private readonly registry: HighlightRegistry;
  private placed: PlacedFinding[] = [];
  private byNode = new Map<Node, PlacedFinding[]>();
  private current = -1;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private observer: MutationObserver | null = null;

  constructor(private readonly opts: ScannerOptions) {
    this.registry = new HighlightRegistry(opts.win);
    opts.signal.addEventListener('abort', () => this.stop(), { once: true });
  }

  get findings(): readonly PlacedFinding[] {
    return this.placed;
  }

  start(): void {
    if (this.opts.signal.aborted) return;
    this.scanNow();
    const MO = (this.opts.win as unknown as { MutationObserver: typeof MutationObserver }).MutationObserver;
    this.observer = new MO((records) => {
      if (records.some((r) => !this.isOwn(r.target))) this.schedule();
    });
    this.observer.observe(this.opts.win.document, { subtree: true, childList: true, characterData: true });
    this.opts.win.document.addEventListener('input', this.onInput, { capture: true, signal: this.opts.signal });
  }

  private readonly onInput = (e: Event) => {
    const t = e.target as Element | null;
    if (t && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT')) this.schedule();
  };

  private isOwn(node: Node): boolean {
    const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
    return !!el && !!this.opts.exclude?.(el);
  }

  schedule(): void {
    if (this.timer !== null || this.opts.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.scanNow();
    }, MUTATION_DEBOUNCE_MS);
  }

  scanNow(): void {
    if (this.opts.signal.aborted) return;
    const { win, engine, disabled } = this.opts;
    const doc = win.document;
    const extracted: Extracted = extractText(doc.body ?? doc.documentElement, { exclude: this.opts.exclude });
    const findings = analyze(engine, extracted.text).filter((f) => !disabled?.has(f.category));
    const placed: PlacedFinding[] = [];
    for (const f of findings) {
      const range = rangeFor(win, extracted, f.start, f.end);
      if (range) placed.push({ finding: f, range });
    }
    this.placed = placed;
    this.byNode = new Map();
    for (const p of placed) {
      for (const n of [p.range.startContainer, p.range.endContainer]) {
        let list = this.byNode.get(n);
        if (!list) this.byNode.set(n, (list = []));
        if (!list.includes(p)) list.push(p);
      }
    }
    this.registry.set(placed);
    this.opts.onReport({ findings, fields: this.scanFields() });
  }

  /** Text in form fields cannot be highlighted in place; its findings go to the panel's list. */
  private scanFields(): FieldFinding[] {
    const out: FieldFinding[] = [];
    const doc = this.opts.win.document;
    const fields = doc.querySelectorAll<HTMLTextAreaElement | HTMLInputElement>(
      'textarea, input[type="text"], input:not([type])',
    );
    fields.forEach((el, i) => {
      const value = el.value;
      if (!value) return;
      const label = fieldLabel(el) || `field ${i + 1}`;
      for (const f of analyze(this.opts.engine, value)) {
        if (!this.opts.disabled?.has(f.category)) out.push({ ...f, field: label });
      }
    });
    return out;
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

  /** Moves to the next (+1) or previous (-1) finding and returns it. */
  step(direction: 1 | -1): PlacedFinding | null {
    if (this.placed.length === 0) return null;
    this.current = (this.current + direction + this.placed.length) % this.placed.length;
    return this.placed[this.current] ?? null;
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.observer?.disconnect();
    this.observer = null;
    this.registry.clear();
    this.placed = [];
    this.byNode.clear();
  }
}

function fieldLabel(el: HTMLTextAreaElement | HTMLInputElement): string {
  const byFor = el.id ? el.ownerDocument.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
  const text = byFor?.textContent ?? el.closest('label')?.textContent ?? el.getAttribute('aria-label') ?? el.name ?? '';
  return text.trim().slice(0, 80);
}
