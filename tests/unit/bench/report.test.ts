import { describe, expect, it } from 'vitest';
import {
  checks,
  ratioLines,
  ratios,
  renderMarkdown,
  renderSvg,
  textBar,
  type BenchResults,
  type SizeResult,
} from '../../../scripts/bench/report';

function size(target: number, firstPassMs: number, floorMs: number, peerMs: number | null, longest = 20): SizeResult {
  return {
    target,
    nodes: target + 50,
    textNodes: target / 2,
    textChars: target * 30,
    reps: 3,
    firstPass: {
      spanMs: firstPassMs,
      busyMs: firstPassMs * 0.8,
      longestTaskMs: longest,
      tasksOver50: longest > 50 ? 1 : 0,
      tasks: 4,
      visibleMs: 30,
      lastHighlightMs: firstPassMs + 5,
      paintAfterMs: 3,
      highlights: 100,
      gapsMs: 0,
      longestInside: { script: longest },
      marks: null,
    },
    longTasks: { count: 0, longestMs: 0 },
    floor: { walkMs: floorMs / 2, matchMs: floorMs / 2, totalMs: floorMs, mentions: 100, pairedRatio: NaN },
    replay: { extractMs: 1, analyzeMs: 2, rangesMs: 3, registerMs: 4, reregisterMs: 5, findings: 100 },
    peer:
      peerMs === null
        ? { skipped: 'budget' }
        : { scriptMs: peerMs, layoutMs: 9, marks: 90, terms: 50, reps: 1, sampledTerms: null },
    updates: { latencyMs: 160, busyMs: 2, longestTaskMs: 2, batches: 3, rescans: 1 },
    hover: { p95Ms: 0.2, lookupP95Ms: 0.01, hits: 10, tried: 10 },
    heap: { extensionBytes: 3e6 },
    mutations: 0,
  };
}

function results(sizes: SizeResult[]): BenchResults {
  return {
    date: '2026-11-27T10:00:00.000Z',
    browser: 'Chromium 156',
    cpuSlowdown: 1,
    knowledgeDir: 'knowledge',
    lexicon: { forms: 10, concepts: 5, codes: 3, version: 'v', hash: 'h' },
    lexiconLoad: { parseMs: 1, createMs: 2, warmMs: 1 },
    startup: { spanMs: 20, compileMs: 2 },
    lexiconHeapBytes: 1e6,
    search: {
      where: 'side panel page',
      p95Ms: 10,
      medianMs: 2,
      buildMs: 3,
      queries: 20,
      node: { p95Ms: 8, medianMs: 1 },
    },
    throughput: [
      { forms: 10, mbPerS: 80, ms: 10, chars: 800_000 },
      { forms: 1000, mbPerS: 70, ms: 11, chars: 800_000 },
      { forms: 10_000, mbPerS: 50, ms: 16, chars: 800_000 },
    ],
    network: { external: 0, urls: [] },
    sizes,
    durationS: 100,
    loadAverage: [1, 1],
    cores: 2,
  };
}

describe('bench report', () => {
  it('computes both headline ratios per size', () => {
    const r = results([size(2000, 10, 5, 1000), size(20_000, 40, 30, 2000)]);
    expect(ratios(r)).toEqual([
      { target: 2000, nodes: 2050, firstPassOverFloor: 2, peerOverFirstPass: 100 },
      { target: 20_000, nodes: 20_050, firstPassOverFloor: 40 / 30, peerOverFirstPass: 50 },
    ]);
    expect(ratioLines(r)[0]).toContain('first pass ÷ floor =   2.00×');
  });

  it('prefers the paired (back-to-back) ratio to the ratio of medians when there is one', () => {
    const s = size(20_000, 40, 30, 2000);
    s.floor.pairedRatio = 1.5;
    expect(ratios(results([s]))[0]!.firstPassOverFloor).toBe(1.5);
  });

  it('passes the floor and peer targets only when every size meets them', () => {
    const good = checks(results([size(2000, 10, 5, 1000), size(20_000, 40, 30, 2000)]));
    expect(good.find((c) => c.id === 'floor')!.verdict).toBe('pass');
    expect(good.find((c) => c.id === 'peer')!.verdict).toBe('pass');
    const bad = checks(results([size(2000, 10, 5, 1000), size(20_000, 90, 30, 500)]));
    expect(bad.find((c) => c.id === 'floor')!.verdict).toBe('fail');
    expect(bad.find((c) => c.id === 'peer')!.verdict).toBe('fail'); // 500 / 90 < 10
  });

  it('does not count the 2k page against the peer target, and leaves a skipped peer undecided', () => {
    const r = checks(results([size(2000, 10, 5, 20), size(20_000, 40, 30, null)]));
    expect(r.find((c) => c.id === 'peer')!.verdict).toBe('n/a');
  });

  it('fails P1 on a long task and P9 on a steep lexicon slowdown', () => {
    const r = results([size(20_000, 40, 30, 2000, 120)]);
    expect(checks(r).find((c) => c.id === 'P1')!.verdict).toBe('fail');
    expect(checks(r).find((c) => c.id === 'P9')!.verdict).toBe('pass'); // 70 / 50 = 1.4×
    r.throughput[2]!.mbPerS = 30; // 70 / 30 > 2×
    expect(checks(r).find((c) => c.id === 'P9')!.verdict).toBe('fail');
  });

  it('fails P10 when the content script holds more than 15 MB on any page', () => {
    const small = size(2000, 10, 5, 1000);
    const big = size(150_000, 400, 300, 9000);
    expect(checks(results([small, big])).find((c) => c.id === 'P10')!.verdict).toBe('pass');
    big.heap = { extensionBytes: 31e6 };
    expect(checks(results([small, big])).find((c) => c.id === 'P10')!.verdict).toBe('fail');
  });

  it('writes a markdown report naming every target and a chart with one bar per figure', () => {
    const r = results([size(2000, 10, 5, 1000), size(20_000, 40, 30, null)]);
    const md = renderMarkdown(r);
    for (const id of ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10', 'P11'])
      expect(md).toContain(`| ${id} |`);
    expect(md).toContain('![time per page](latest.svg)');
    const svg = renderSvg(r);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x=[^>]*fill="#(7a7a7a|2f6fb3|c8553d)"><title>/g)).toHaveLength(5); // one n/a
    expect(svg).toContain('n/a');
  });

  it('draws longer text bars for larger values', () => {
    expect(textBar(1000, 1000, 40)).toHaveLength(40);
    expect(textBar(10, 1000, 40).length).toBeLessThan(textBar(100, 1000, 40).length);
    expect(textBar(NaN, 10)).toBe('');
  });
});
