/**
 * The highlight registry: one CSS Custom Highlight per name (contract 2), filled with StaticRanges.
 * StaticRange, not Range: live Ranges are updated by the browser on every DOM mutation of the page,
 * which slows the EHR's own scripts; static ones cost nothing until painted. A finding's place is
 * kept as a plain record, and a StaticRange is made only while the finding is shown: a long page
 * has tens of thousands of findings and shows about a thousand, and making a browser object for
 * each held single slices of a first pass for 60-85 ms (allocation and its garbage collection).
 */
import type { Finding } from '../engine/types';
import { locate, type Extracted, type NodeLengthMemo } from './extract';
import { highlightName } from './highlight-names';

/** Where a finding is in the page's text nodes (the fields of a StaticRange, as plain data). */
export interface TextSpan {
  readonly startContainer: Node;
  readonly startOffset: number;
  readonly endContainer: Node;
  readonly endOffset: number;
}

/**
 * A finding with its place in the page: one object, not a finding plus a span. A long page holds
 * tens of thousands of these for as long as it is open (57,000 at 150,000 nodes).
 */
export interface PlacedFinding extends TextSpan {
  readonly finding: Finding;
}

interface HighlightApi {
  highlights: Map<string, Highlight>;
}

export function highlightApi(win: Window): HighlightApi | null {
  const css = (win as unknown as { CSS?: { highlights?: Map<string, Highlight> } }).CSS;
  return css?.highlights && typeof (win as unknown as { Highlight?: unknown }).Highlight === 'function'
    ? (css as HighlightApi)
    : null;
}

/**
 * The findings a document shows, as CSS highlights under their contract names. Showing is
 * incremental (`add`, `remove`, `setShown` changes only what differs), because every change costs
 * the page twice in Chromium's next frame:
 * - a repaint at about 11 µs per range registered (20,000 ranges: a quarter of a second), so the
 *   scanner keeps only the findings around what the user sees registered on a long page;
 * - a paint-invalidation walk of the whole document, however few ranges changed, because the
 *   styles draw lines (text-decoration): about 9 ms on a 20,000-node page and 45-50 ms on a
 *   150,000-node one (a background colour alone costs 0.5 ms). So the scanner changes the
 *   highlights as seldom as it can: the top of the page during a first pass, then once at its end.
 */
export class HighlightRegistry {
  private owned = new Map<string, Highlight>();
  /** Each shown finding with the StaticRange registered for it. */
  private shown = new Map<PlacedFinding, StaticRange>();
  constructor(private readonly win: Window) {}

  /** How many findings are registered now. */
  get size(): number {
    return this.shown.size;
  }

  has(p: PlacedFinding): boolean {
    return this.shown.has(p);
  }

  private highlightFor(p: PlacedFinding, api: HighlightApi): Highlight {
    const name = highlightName(p.finding.category, p.finding.assertion);
    let hl = this.owned.get(name);
    if (!hl) {
      const Ctor = (this.win as unknown as { Highlight: typeof Highlight }).Highlight;
      this.owned.set(name, (hl = new Ctor()));
      api.highlights.set(name, hl);
    }
    return hl;
  }

  /** Shows these findings too. */
  add(placed: Iterable<PlacedFinding>): void {
    const api = highlightApi(this.win);
    if (!api) return;
    for (const p of placed) {
      if (this.shown.has(p)) continue;
      const range = staticRange(this.win, p);
      this.shown.set(p, range);
      this.highlightFor(p, api).add(range);
    }
  }

  /** Takes findings away (their text changed or they left the shown window). */
  remove(placed: Iterable<PlacedFinding>): void {
    for (const p of placed) {
      const range = this.shown.get(p);
      if (!range) continue;
      this.shown.delete(p);
      this.owned.get(highlightName(p.finding.category, p.finding.assertion))?.delete(range);
    }
  }

  /** Shows exactly these findings, in one step (no frame sees a mix of old and new). */
  setShown(placed: Iterable<PlacedFinding>): void {
    const next = placed instanceof Set ? (placed as Set<PlacedFinding>) : new Set(placed);
    const gone: PlacedFinding[] = [];
    for (const p of this.shown.keys()) if (!next.has(p)) gone.push(p);
    this.remove(gone);
    this.add(next);
  }

  /** Replaces everything this registry shows with `placed` (tests, the benchmark's replay). */
  set(placed: readonly PlacedFinding[]): void {
    this.setShown(placed);
  }

  clear(): void {
    const api = highlightApi(this.win);
    for (const name of this.owned.keys()) api?.highlights.delete(name);
    this.owned.clear();
    this.shown.clear();
  }
}

/**
 * A finding placed at text offsets [start, end) of an extraction, in its text nodes; `memo` is
 * shared by a run of findings placed in text order (see NodeLengthMemo).
 */
export function placeFinding(
  ex: Pick<Extracted, 'nodes' | 'starts'>,
  finding: Finding,
  start: number,
  end: number,
  memo: NodeLengthMemo = { node: null, length: 0 },
): PlacedFinding | null {
  const a = locate(ex, start, false, memo);
  const b = locate(ex, end, true, memo);
  if (!a || !b) return null;
  return { finding, startContainer: a.node, startOffset: a.offset, endContainer: b.node, endOffset: b.offset };
}

/** A StaticRange of `win` over a span, for registering or measuring. */
export function staticRange(win: Window, span: TextSpan): StaticRange {
  const Ctor = (win as unknown as { StaticRange?: typeof StaticRange }).StaticRange;
  // The span is the range's init dictionary as it is (the browser reads the four fields it needs):
  // no object made per range. Every browser with the Highlight API has StaticRange; the plain
  // record serves DOM emulations (unit tests), where nothing is painted.
  if (typeof Ctor === 'function') return new Ctor(span);
  const { startContainer, startOffset, endContainer, endOffset } = span;
  return { startContainer, startOffset, endContainer, endOffset, collapsed: false } as unknown as StaticRange;
}
