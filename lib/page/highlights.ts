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

export class HighlightRegistry {
  private readonly owned = new Map<string, Highlight>();
  constructor(private readonly win: Window) {}

  /** Replaces everything this registry shows with `placed`. */
  set(placed: PlacedFinding[]): void {
    const api = highlightApi(this.win);
    if (!api) return;
    const byName = new Map<string, StaticRange[]>();
    for (const p of placed) {
      const name = highlightName(p.finding.category, p.finding.assertion);
      let list = byName.get(name);
      if (!list) byName.set(name, (list = []));
      list.push(p.range);
    }
    for (const [name, hl] of this.owned) {
      if (!byName.has(name)) {
        hl.clear();
        api.highlights.delete(name);
        this.owned.delete(name);
      }
    }
    const HighlightCtor = (this.win as unknown as { Highlight: typeof Highlight }).Highlight;
    for (const [name, ranges] of byName) {
      let hl = this.owned.get(name);
      if (!hl) {
        hl = new HighlightCtor();
        this.owned.set(name, hl);
      } else {
        hl.clear();
      }
      for (const r of ranges) hl.add(r);
      api.highlights.set(name, hl);
    }
  }

  clear(): void {
    const api = highlightApi(this.win);
    for (const [name, hl] of this.owned) {
      hl.clear();
      api?.highlights.delete(name);
    }
    this.owned.clear();
  }
}

export function rangeFor(win: Window, ex: Extracted, start: number, end: number): StaticRange | null {
  const a = locate(ex, start, false);
  const b = locate(ex, end, true);
  if (!a || !b) return null;
  const Ctor = (win as unknown as { StaticRange: typeof StaticRange }).StaticRange;
  return new Ctor({ startContainer: a.node, startOffset: a.offset, endContainer: b.node, endOffset: b.offset });
}
