/**
 * The highlight registry: one CSS Custom Highlight per name (contract 2), filled with StaticRanges.
 * StaticRange, not Range: live Ranges are updated by the browser on every DOM mutation of the page,
 * which slows the EHR's own scripts; static ones cost nothing until painted.
 */
import type { Finding } from '../engine/types';
import { locate, type Extracted } from './extract';
import { highlightName } from './highlight-names';

export interface PlacedFinding {
  finding: Finding;
  range: StaticRange;
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
 * Highlights being filled, shown all at once by `HighlightRegistry.show` — or, live, each shown as
 * soon as it is made, so the ranges added after it are painted as they come (a first pass, where
 * nothing was shown before, marks the top of a long page while the rest is still being read).
 */
export class HighlightBatch {
  readonly byName = new Map<string, Highlight>();
  constructor(
    private readonly Ctor: typeof Highlight | null,
    private readonly onNew: ((name: string, hl: Highlight) => void) | null = null,
  ) {}

  add(p: PlacedFinding): void {
    if (!this.Ctor) return;
    const name = highlightName(p.finding.category, p.finding.assertion);
    let hl = this.byName.get(name);
    if (!hl) {
      this.byName.set(name, (hl = new this.Ctor()));
      this.onNew?.(name, hl);
    }
    hl.add(p.range);
  }
}

export class HighlightRegistry {
  private owned = new Map<string, Highlight>();
  constructor(private readonly win: Window) {}

  /**
   * A new, empty set of highlights to fill in steps (a big page's thousands of ranges). `live`: it
   * replaces what this registry shows now, and each of its highlights is shown once made.
   */
  begin(live = false): HighlightBatch {
    const api = highlightApi(this.win);
    const Ctor = api ? (this.win as unknown as { Highlight: typeof Highlight }).Highlight : null;
    if (!live || !api) return new HighlightBatch(Ctor);
    this.clear();
    return new HighlightBatch(Ctor, (name, hl) => {
      api.highlights.set(name, hl);
      this.owned.set(name, hl);
    });
  }

  /** Adds findings to what is shown (the findings of a page update). */
  add(placed: readonly PlacedFinding[]): void {
    const api = highlightApi(this.win);
    if (!api) return;
    const Ctor = (this.win as unknown as { Highlight: typeof Highlight }).Highlight;
    for (const p of placed) {
      const name = highlightName(p.finding.category, p.finding.assertion);
      let hl = this.owned.get(name);
      if (!hl) {
        this.owned.set(name, (hl = new Ctor()));
        api.highlights.set(name, hl);
      }
      hl.add(p.range);
    }
  }

  /** Replaces everything this registry shows with the batch, in one step. */
  show(batch: HighlightBatch): void {
    const api = highlightApi(this.win);
    if (!api) return;
    for (const name of this.owned.keys()) if (!batch.byName.has(name)) api.highlights.delete(name);
    for (const [name, hl] of batch.byName) api.highlights.set(name, hl);
    this.owned = new Map(batch.byName);
  }

  /** Replaces everything this registry shows with `placed`. */
  set(placed: readonly PlacedFinding[]): void {
    const batch = this.begin();
    for (const p of placed) batch.add(p);
    this.show(batch);
  }

  /** Takes single findings away (their text changed), leaving the rest as it is. */
  remove(placed: readonly PlacedFinding[]): void {
    for (const p of placed) {
      this.owned.get(highlightName(p.finding.category, p.finding.assertion))?.delete(p.range);
    }
  }

  clear(): void {
    const api = highlightApi(this.win);
    for (const name of this.owned.keys()) api?.highlights.delete(name);
    this.owned.clear();
  }
}

export function rangeFor(win: Window, ex: Pick<Extracted, 'segments'>, start: number, end: number): StaticRange | null {
  const a = locate(ex, start, false);
  const b = locate(ex, end, true);
  if (!a || !b) return null;
  const init = { startContainer: a.node, startOffset: a.offset, endContainer: b.node, endOffset: b.offset };
  const Ctor = (win as unknown as { StaticRange?: typeof StaticRange }).StaticRange;
  // Every browser with the Highlight API has StaticRange; the plain record serves DOM emulations
  // (unit tests), where nothing is painted.
  return typeof Ctor === 'function' ? new Ctor(init) : ({ ...init, collapsed: false } as unknown as StaticRange);
}
