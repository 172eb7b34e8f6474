import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../lib/engine/types';
import type { PlacedFinding } from '../../../lib/page/highlights';
import { NodeIndex } from '../../../lib/page/node-index';

const a = document.createTextNode('aura and photophobia');
const b = document.createTextNode('nausea');
const placed = (start: Node, end: Node, text: string): PlacedFinding => ({
  finding: { text } as Finding,
  startContainer: start,
  startOffset: 0,
  endContainer: end,
  endOffset: 1,
});

describe('NodeIndex', () => {
  it('answers each node with the findings that start or end in it, in the order added', () => {
    const aura = placed(a, a, 'aura');
    const across = placed(a, b, 'photophobia');
    const nausea = placed(b, b, 'nausea');
    const index = NodeIndex.of([aura, across, nausea]);
    expect(index.at(a)).toEqual([aura, across]);
    expect(index.at(b)).toEqual([across, nausea]);
    expect(index.at(document.createTextNode('x'))).toEqual([]);
  });

  it('takes findings out one by one, down to none, from lists and from single entries', () => {
    const aura = placed(a, a, 'aura');
    const across = placed(a, b, 'photophobia');
    const nausea = placed(b, b, 'nausea');
    const index = NodeIndex.of([aura, across, nausea]);
    index.remove(across);
    expect(index.at(a)).toEqual([aura]);
    expect(index.at(b)).toEqual([nausea]);
    index.remove(aura);
    expect(index.at(a)).toEqual([]);
    index.add(across);
    expect(index.at(a)).toEqual([across]);
    expect(index.at(b)).toEqual([nausea, across]);
    index.remove(nausea);
    index.remove(across);
    expect(index.at(b)).toEqual([]);
    // Removing what is not there changes nothing.
    index.add(aura);
    index.remove(nausea);
    expect(index.at(a)).toEqual([aura]);
  });
});
