/**
 * On a long page only the findings around what the user sees are registered as highlights (the
 * browser repaints every registered range after each change); the window follows scrolling, and a
 * finding stepped to is always shown. The Highlight API and hit-testing are stood in for here
 * (happy-dom has neither); the end-to-end tests run the real ones.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../../lib/engine/analyze';
import type { TextSpan } from '../../../lib/page/highlights';
import { NodeIndex } from '../../../lib/page/node-index';
import {
  CHUNK_MAX_CHARS,
  LIVE_SHOW_CHARS,
  PageScanner,
  SHOWN_AROUND,
  SHOW_ALL_MAX,
  indexAt,
  indexNear,
} from '../../../lib/page/scanner';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const engine = createEngine(loadKnowledge('tests/fixtures/knowledge-mini').lexicon);

/** Called for every range a highlight is given, where a test wants to watch them come. */
let onAdd: ((r: StaticRange) => void) | null = null;

class FakeHighlight extends Set<StaticRange> {
  override add(r: StaticRange): this {
    onAdd?.(r);
    return super.add(r);
  }
}
const registry = new Map<string, FakeHighlight>();
let caretNode: Node | null = null;

beforeEach(() => {
  registry.clear();
  Object.assign(window, { Highlight: FakeHighlight });
  // happy-dom makes a new CSS object on every read: stand in one that holds the registry.
  Object.defineProperty(window, 'CSS', { value: { highlights: registry }, configurable: true });
  (document as unknown as { caretPositionFromPoint: () => unknown }).caretPositionFromPoint = () =>
    caretNode ? { offsetNode: caretNode, offset: 0 } : null;
});

afterEach(() => {
  delete (document as unknown as { caretPositionFromPoint?: unknown }).caretPositionFromPoint;
});

function registered(): StaticRange[] {
  return [...registry.values()].flatMap((h) => [...h]);
}

/** Whether a range over exactly this span is registered (ranges are made when a finding is shown). */
function isShown(span: TextSpan): boolean {
  return registered().some(
    (r) =>
      r.startContainer === span.startContainer &&
      r.startOffset === span.startOffset &&
      r.endContainer === span.endContainer &&
      r.endOffset === span.endOffset,
  );
}

function longPage(paragraphs: number): HTMLElement[] {
  const ps: HTMLElement[] = [];
  for (let i = 0; i < paragraphs; i++) {
    const p = document.createElement('p');
    p.textContent = `Visit ${i}: reports nausea and photophobia.`;
    ps.push(p);
  }
  document.body.replaceChildren(...ps);
  return ps;
}

/** A scanner that has read the page and placed its window at `p`, as seen after the page rendered. */
async function scannedWithWindowAt(p: HTMLElement): Promise<{ scanner: PageScanner; ac: AbortController }> {
  caretNode = p.firstChild;
  const ac = new AbortController();
  const scanner = new PageScanner({ win: window, engine, signal: ac.signal, onReport: () => undefined });
  scanner.start();
  await scanner.idle();
  await new Promise((r) => setTimeout(r, 300));
  return { scanner, ac };
}

describe('the shown window', () => {
  it('shows every finding of a page with few of them', async () => {
    longPage(10);
    const ac = new AbortController();
    const scanner = new PageScanner({ win: window, engine, signal: ac.signal, onReport: () => undefined });
    scanner.start();
    await scanner.idle();
    expect(scanner.findings).toHaveLength(20);
    expect(registered()).toHaveLength(20);
    ac.abort();
    expect(registry.size).toBe(0);
  });

  it('shows only the findings around the viewport on a long page, and follows scrolling', async () => {
    const ps = longPage(2000); // 4,000 findings
    caretNode = ps[10]!.firstChild;
    // Browser range objects are made for the findings shown, not for every finding placed.
    let made = 0;
    const w = window as unknown as { StaticRange?: unknown };
    w.StaticRange = class {
      constructor(init: StaticRangeInit) {
        Object.assign(this, init, { collapsed: false });
        made++;
      }
    };
    const ac = new AbortController();
    const scanner = new PageScanner({ win: window, engine, signal: ac.signal, onReport: () => undefined });
    scanner.start();
    await scanner.idle();
    // The window is placed once the page has rendered after the pass (a timer, not the pass).
    await new Promise((r) => setTimeout(r, 300));
    delete w.StaticRange; // happy-dom has none
    expect(scanner.findings.length).toBe(4000);
    expect(scanner.findings.length).toBeGreaterThan(SHOW_ALL_MAX);
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThanOrEqual(SHOW_ALL_MAX + 2 * SHOWN_AROUND);
    expect(registered().length).toBeLessThanOrEqual(2 * SHOWN_AROUND);
    const at = (i: number) => scanner.findings.findIndex((p) => p.startContainer === ps[i]!.firstChild);
    expect(isShown(scanner.findings[at(10)]!)).toBe(true);
    expect(isShown(scanner.findings[at(1900)]!)).toBe(false);

    // The user scrolls down to paragraph 1900.
    caretNode = ps[1900]!.firstChild;
    document.dispatchEvent(new Event('scroll'));
    await new Promise((r) => setTimeout(r, 300));
    expect(isShown(scanner.findings[at(1900)]!)).toBe(true);
    expect(isShown(scanner.findings[at(10)]!)).toBe(false);
    expect(registered().length).toBeLessThanOrEqual(2 * SHOWN_AROUND);

    // Stepping to a finding far from the viewport shows it.
    const far = scanner.findings[at(500)]!;
    scanner.setCurrent(far);
    scanner.showFinding(far);
    expect(isShown(far)).toBe(true);
    ac.abort();
  });

  it('shows only the top of a long page while its first pass runs, the window at its end', async () => {
    // 2,000 paragraphs of 200 characters with one finding each: 400,000 characters, 2,000 findings.
    const filler = ' Vitals stable, labs reviewed, plan discussed with the team and the family.'.repeat(3);
    const ps: HTMLElement[] = [];
    for (let i = 0; i < 2000; i++) {
      const p = document.createElement('p');
      p.textContent = `Visit ${String(i).padStart(4, '0')}: nausea.${filler}`.slice(0, 199);
      ps.push(p);
    }
    document.body.replaceChildren(...ps);
    caretNode = ps[1500]!.firstChild; // the user is far down the page
    const ac = new AbortController();
    // A slow clock (3 ms a reading), as on a busy machine: chunks stay short, a slice holds one or two.
    let clock = 0;
    const now = () => (clock += 3);
    const scanner = new PageScanner({ win: window, engine, signal: ac.signal, now, onReport: () => undefined });
    const paragraphOf = (r: StaticRange) => ps.indexOf(r.startContainer.parentElement!);
    let furthestDuringPass = -1;
    const slicesThatShowed = new Set<number>();
    onAdd = (r) => {
      if (scanner.stats.passes > 0) return;
      furthestDuringPass = Math.max(furthestDuringPass, paragraphOf(r));
      slicesThatShowed.add(scanner.stats.slices);
    };
    scanner.start();
    await scanner.idle();
    onAdd = null;
    // However many slices the pass took, only the top of the page was shown before it ended.
    // Chunks that begin within LIVE_SHOW_CHARS are shown; a chunk is at most CHUNK_MAX_CHARS.
    expect(furthestDuringPass).toBeGreaterThanOrEqual(0);
    expect(furthestDuringPass).toBeLessThan((LIVE_SHOW_CHARS + CHUNK_MAX_CHARS) / 200 + 1);
    // Each highlight change costs the page a repaint walk: the first findings, then the rest of the top.
    expect(slicesThatShowed.size).toBeLessThanOrEqual(2);
    // At its end the window moves to where the user is.
    await new Promise((r) => setTimeout(r, 300));
    expect(scanner.findings).toHaveLength(2000);
    const shown = registered().map(paragraphOf);
    expect(shown).toContain(1500);
    expect(Math.min(...shown)).toBeGreaterThan(1500 - SHOWN_AROUND - 1);
    ac.abort();
  });

  it('keeps the window while what the user sees stays well inside it, and moves it near its edge', async () => {
    const ps = longPage(2000); // 4,000 findings, two per paragraph
    const { scanner, ac } = await scannedWithWindowAt(ps[10]!);
    const at = (i: number) => scanner.findings.find((p) => p.startContainer === ps[i]!.firstChild)!;
    const scrollTo = async (i: number) => {
      caretNode = ps[i]!.firstChild;
      document.dispatchEvent(new Event('scroll'));
      await new Promise((r) => setTimeout(r, 300));
    };
    let changes = 0;
    onAdd = () => changes++;
    // 40 paragraphs down (80 findings): still inside the window with room to spare.
    await scrollTo(50);
    expect(changes).toBe(0);
    expect(isShown(at(50))).toBe(true);
    // 90 paragraphs further (180 findings from where the window was placed): it moves.
    await scrollTo(100);
    expect(changes).toBeGreaterThan(0);
    expect(isShown(at(100))).toBe(true);
    expect(isShown(at(100 + SHOWN_AROUND / 2 - 10))).toBe(true);
    onAdd = null;
    ac.abort();
  });

  it('hit-tests for the window only once the page has drawn its next frame', async () => {
    const ps = longPage(2000);
    const { scanner, ac } = await scannedWithWindowAt(ps[10]!);
    // Frames held back: what runs at the next frame waits here until the test draws one.
    const frames: FrameRequestCallback[] = [];
    const raf = vi.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => frames.push(cb));
    const caret = vi.spyOn(document as unknown as { caretPositionFromPoint: () => unknown }, 'caretPositionFromPoint');
    try {
      caretNode = ps[200]!.firstChild;
      document.dispatchEvent(new Event('scroll'));
      await new Promise((r) => setTimeout(r, 300));
      // The delay has passed, but no frame has been drawn: no hit test yet, the window stays.
      expect(frames.length).toBe(1);
      expect(caret).not.toHaveBeenCalled();
      const at = scanner.findings.find((p) => p.startContainer === ps[200]!.firstChild)!;
      expect(isShown(at)).toBe(false);
      // The frame is drawn; just after it the window moves to where the user is.
      frames.shift()!(performance.now());
      await new Promise((r) => setTimeout(r, 20));
      expect(caret).toHaveBeenCalled();
      expect(isShown(at)).toBe(true);
    } finally {
      raf.mockRestore();
      caret.mockRestore();
      ac.abort();
    }
  });

  it('shows an update near the viewport and keeps one far away for later', async () => {
    const ps = longPage(2000);
    caretNode = ps[1999]!.firstChild; // the user is at the end of the page
    const ac = new AbortController();
    const scanner = new PageScanner({ win: window, engine, signal: ac.signal, onReport: () => undefined });
    scanner.start();
    await scanner.idle();
    const passes = scanner.stats.passes;
    const tail = document.createElement('p');
    tail.textContent = 'Denies aura.';
    ps[1999]!.after(tail);
    const head = document.createElement('p');
    head.textContent = 'Aura today.';
    ps[3]!.after(head);
    await new Promise((r) => setTimeout(r, 300));
    await scanner.idle();
    expect(scanner.stats.passes).toBe(passes); // read as an update, not a full pass
    const find = (node: Node | null) => scanner.findings.find((p) => p.startContainer === node)!;
    expect(find(tail.firstChild).finding.assertion).toBe('negated');
    expect(find(head.firstChild).finding.assertion).toBe('affirmed');
    expect(isShown(find(tail.firstChild))).toBe(true);
    expect(isShown(find(head.firstChild))).toBe(false);
    ac.abort();
  });

  it('finds where the viewport is among the findings by reading on, without comparing positions', async () => {
    // Inline spans under one parent, a finding in one span of seven (a flowsheet row, a long line).
    const main = document.createElement('main');
    for (let i = 0; i < 700; i++) {
      const span = document.createElement('span');
      span.textContent = i % 7 === 3 ? 'nausea ' : 'word ';
      main.append(span);
    }
    document.body.replaceChildren(main);
    const ac = new AbortController();
    const scanner = new PageScanner({ win: window, engine, signal: ac.signal, onReport: () => undefined });
    scanner.start();
    await scanner.idle();
    const placed = scanner.findings;
    expect(placed).toHaveLength(100);
    const byNode = NodeIndex.of(placed);
    const compare = vi.spyOn(Node.prototype, 'compareDocumentPosition');
    try {
      // Every span up to the last finding (the 697th) has one at most six spans on.
      for (const span of [...main.children].slice(0, 697)) {
        compare.mockClear();
        const near = indexNear(placed, byNode, span.firstChild!);
        expect(compare).not.toHaveBeenCalled();
        expect(near).toBe(indexAt(placed, span.firstChild!));
      }
      // Past the last finding nothing is near: the search falls back on comparisons, with the same answer.
      const tail = document.createElement('span');
      tail.textContent = 'end';
      main.append(tail);
      expect(indexNear(placed, byNode, tail.firstChild!)).toBe(indexAt(placed, tail.firstChild!));
    } finally {
      compare.mockRestore();
    }
    ac.abort();
  });
});
