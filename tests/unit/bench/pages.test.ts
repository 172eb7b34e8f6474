import { describe, expect, it } from 'vitest';
import { createRandom, escapeHtml, generatePage, updateSentences } from '../../../scripts/bench/pages';
import { peerTerms } from '../../../scripts/bench/peer';

/** Counts element and text nodes under <body> the way a DOM walk would. */
function countNodes(html: string): { nodes: number; textNodes: number; chars: number } {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  let nodes = 0;
  let textNodes = 0;
  let chars = 0;
  const walk = (n: Node) => {
    nodes++;
    if (n.nodeType === 3) {
      textNodes++;
      chars += (n as Text).data.length;
    }
    for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
  };
  walk(doc.body);
  return { nodes, textNodes, chars };
}

describe('synthetic EHR pages', () => {
  it('are the same for the same seed and differ for another', () => {
    const a = generatePage({ targetNodes: 2000, seed: 7 });
    const b = generatePage({ targetNodes: 2000, seed: 7 });
    const c = generatePage({ targetNodes: 2000, seed: 8 });
    expect(a.html).toBe(b.html);
    expect(c.html).not.toBe(a.html);
  });

  it('count their nodes and text as the browser will see them', () => {
    const page = generatePage({ targetNodes: 3000, seed: 3 });
    const counted = countNodes(page.html);
    expect(counted.nodes).toBe(page.nodes);
    expect(counted.textNodes).toBe(page.textNodes);
    expect(counted.chars).toBe(page.textChars);
  });

  it('reach the requested size with EHR-like text density (about 30 characters a node)', () => {
    const page = generatePage({ targetNodes: 20_000, seed: 1 });
    expect(page.nodes).toBeGreaterThanOrEqual(20_000);
    expect(page.nodes).toBeLessThan(21_000);
    expect(page.textChars / page.nodes).toBeGreaterThan(25);
    expect(page.textChars / page.nodes).toBeLessThan(40);
  });

  it('hold flowsheets, notes, problem lists with codes, and migraine language', () => {
    const { html } = generatePage({ targetNodes: 2000, seed: 5 });
    expect(html).toContain('class="flowsheet"');
    expect(html).toContain('class="note"');
    expect(html).toMatch(/\(G4[34]\.\d+\)/);
    expect((html.match(/migraine/gi) ?? []).length).toBeGreaterThan(10);
  });

  it('escape what they write', () => {
    expect(escapeHtml('<b a="1">&')).toBe('&lt;b a=&quot;1&quot;&gt;&amp;');
  });

  it('draw uniform, seeded numbers', () => {
    const r = createRandom(42);
    const xs = Array.from({ length: 1000 }, r);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    expect(updateSentences(1, 3)).toEqual(updateSentences(1, 3));
  });
});

describe("the peer's terms", () => {
  it('are every surface form plus every code written with its dot, once each', () => {
    const terms = peerTerms({
      version: 'v',
      hash: 'h',
      concepts: [],
      forms: [
        { text: 'migraine', concept: 0 },
        { text: 'aura', concept: 1 },
        { text: 'migraine', concept: 2 },
      ],
      codes: { G43909: 0, G43: 0 },
      context: { rules: [], sections: [] },
    });
    expect(terms).toEqual(['migraine', 'aura', 'G43.909', 'G43']);
  });
});
