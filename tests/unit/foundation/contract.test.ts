import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseBackgroundMessage,
  parseContentMessage,
  parsePanelMessage,
  MAX_FINDINGS_PER_MESSAGE,
} from '../../../lib/messaging/contract';
import { deniedAura } from '../wire-finding';

const finding = { ...deniedAura, cues: [{ flag: 'negated', text: 'Denies', start: 0, end: 6, kind: 'phrase' }] };

describe('message contract', () => {
  it('accepts well-formed messages', () => {
    expect(parseContentMessage({ type: 'findings', findings: [finding], fields: [] })).not.toBeNull();
    expect(parseContentMessage({ type: 'open-entry', entryId: 'aura' })).toEqual({
      type: 'open-entry',
      entryId: 'aura',
    });
    expect(parsePanelMessage({ type: 'get-tab', tabId: 3 })).toEqual({ type: 'get-tab', tabId: 3 });
    expect(parseBackgroundMessage({ type: 'step', direction: -1 })).toEqual({ type: 'step', direction: -1 });
  });

  it.each([
    ['wrong assertion', { ...finding, assertion: 'maybe' }],
    ['unknown category', { ...finding, category: 'gossip' }],
    ['negative offset', { ...finding, start: -1 }],
    ['oversized sentence', { ...finding, sentence: 'x'.repeat(100_000) }],
    ['concept with markup', { ...finding, concept: '<img src=x>' }],
  ])('drops a finding with %s', (_n, bad) => {
    expect(parseContentMessage({ type: 'findings', findings: [bad], fields: [] })).toBeNull();
  });

  it('drops oversized batches', () => {
    const many = Array.from({ length: MAX_FINDINGS_PER_MESSAGE + 1 }, () => finding);
    expect(parseContentMessage({ type: 'findings', findings: many, fields: [] })).toBeNull();
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        expect(() => {
          parseContentMessage(v);
          parsePanelMessage(v);
          parseBackgroundMessage(v);
        }).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});
