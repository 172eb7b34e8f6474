/**
 * Findings travel from the content script packed (each concept and sentence once, a finding as a
 * row of values), because Chrome's messaging costs the page's main thread by the byte. The packed
 * form must say exactly what the plain one says, be much smaller, and, like any message, be
 * dropped whole and without an exception when it is malformed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, createEngine } from '../../../lib/engine';
import { HIGHLIGHT_CATEGORIES, type Finding } from '../../../lib/engine/types';
import {
  MAX_FINDINGS_PER_MESSAGE,
  packMessage,
  parseContentMessage,
  type ContentToBackground,
  type PackedFindings,
} from '../../../lib/messaging/contract';
import { toWireParts } from '../../../lib/page/content-main';
import { loadKnowledge } from '../../../scripts/load-knowledge';
import { deniedAura } from '../wire-finding';

const NOTE = [
  'HPI: 34F with h/o migraine w/o aura presents with 3 days of L-sided throbbing HA with photophobia and nausea.',
  'No vomiting. Denies fever, neck stiffness, or rash. Not worst HA of life. No thunderclap onset.',
  'PMH: migraine since age 16. FHx: mother with migraine.',
  'Plan: Consider ketamine infusion if refractory. Avoid triptans; may use acetaminophen.',
].join('\n');

const engine = createEngine(loadKnowledge().lexicon);
const findings = analyze(engine, NOTE.repeat(8));
const fields = analyze(engine, 'Plan: nausea, consider DHE').map((f) => ({ ...f, field: 'Plan' }));
const byteLength = (m: unknown) => new TextEncoder().encode(JSON.stringify(m)).length;

describe('a packed findings message', () => {
  it('unpacks to exactly the findings message it was made from', () => {
    expect(findings.length).toBeGreaterThan(100);
    const parts = toWireParts({ findings, fields }, 40);
    expect(parts.length).toBeGreaterThan(2);
    for (const m of parts) {
      const plain = parseContentMessage(m);
      expect(plain).not.toBeNull();
      expect(parseContentMessage(packMessage(m))).toEqual(plain);
    }
    const counted: ContentToBackground = { type: 'findings', findings: [], fields: [], append: true, total: 9000 };
    expect(parseContentMessage(packMessage(counted))).toEqual(counted);
  });

  it('survives the JSON a browser turns it into', () => {
    const [m] = toWireParts({ findings, fields });
    expect(parseContentMessage(JSON.parse(JSON.stringify(packMessage(m!))))).toEqual(parseContentMessage(m));
  });

  it('is less than half the bytes of the plain message', () => {
    const [m] = toWireParts({ findings, fields });
    const ratio = byteLength(m) / byteLength(packMessage(m!));
    expect(ratio).toBeGreaterThan(2);
  });

  it('round-trips any valid finding, flags and cues included', () => {
    const flag = fc.constantFrom('negated', 'family', 'hypothetical', 'uncertain', 'historical' as const);
    const wire = fc.record({
      concept: fc.constantFrom('aura', 'migraine', 'ketamine-iv-infusion'),
      category: fc.constantFrom(...HIGHLIGHT_CATEGORIES),
      title: fc.string({ maxLength: 40 }),
      text: fc.string({ maxLength: 40 }),
      start: fc.nat(100_000),
      end: fc.nat(100_000),
      assertion: fc.constantFrom('affirmed', 'negated', 'family', 'hypothetical', 'uncertain', 'historical' as const),
      negated: fc.boolean(),
      uncertain: fc.boolean(),
      historical: fc.boolean(),
      hypothetical: fc.boolean(),
      family: fc.boolean(),
      sentence: fc.string({ maxLength: 80, unit: 'binary' }),
      sentenceStart: fc.nat(100_000),
      cues: fc.array(
        fc.record({
          flag,
          text: fc.string({ maxLength: 20 }),
          start: fc.nat(1000),
          end: fc.nat(1000),
          kind: fc.constantFrom('phrase', 'section', 'column' as const),
        }),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.array(wire, { maxLength: 6 }), fc.boolean(), (list, append) => {
        const m: ContentToBackground = {
          type: 'findings',
          findings: list as Finding[],
          fields: [],
          ...(append ? { append } : {}),
        };
        const plain = parseContentMessage(m);
        expect(plain).not.toBeNull();
        expect(parseContentMessage(JSON.parse(JSON.stringify(packMessage(m))))).toEqual(plain);
      }),
      { numRuns: 300 },
    );
  });

  it('is dropped whole, without an exception, when any part of it is wrong', () => {
    const [m] = toWireParts({ findings: findings.slice(0, 5), fields: fields.slice(0, 1) });
    const good = packMessage(m!) as PackedFindings;
    const junk = fc.oneof(fc.anything(), fc.constant(-1), fc.constant(2 ** 31), fc.constant(99), fc.constant(null));
    // Every place in the message, as a path of keys and indices.
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    };
    walk(good, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((p) => p.length > 1)), junk, (path, value) => {
        const bad = JSON.parse(JSON.stringify(good)) as Record<string | number, unknown>;
        let at: Record<string | number, unknown> = bad;
        for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
        at[path[path.length - 1]!] = value;
        let parsed: unknown;
        expect(() => (parsed = parseContentMessage(bad))).not.toThrow();
        // Either dropped, or (where the junk happens to be valid there) a well-formed message.
        if (parsed !== null) expect(parseContentMessage(parsed)).toEqual(parsed);
      }),
      { numRuns: 2000 },
    );
  });

  it('names no index outside its tables and holds no more than a message may', () => {
    const good = packMessage({ type: 'findings', findings: [deniedAura], fields: [] }) as PackedFindings;
    const withRow = (row: unknown) => ({ ...good, findings: [row] });
    const row = good.findings[0]!;
    expect(parseContentMessage(good)).not.toBeNull();
    expect(parseContentMessage(withRow([1, ...row.slice(1)]))).toBeNull(); // concept index
    expect(parseContentMessage(withRow([...row.slice(0, 6), 5, ...row.slice(7)]))).toBeNull(); // sentence index
    expect(parseContentMessage(withRow([...row.slice(0, 4), 6, ...row.slice(5)]))).toBeNull(); // assertion
    expect(parseContentMessage(withRow([...row.slice(0, 5), 32, ...row.slice(6)]))).toBeNull(); // flag bits
    expect(parseContentMessage(withRow([...row, 'extra']))).toBeNull(); // a field label on a page finding
    expect(parseContentMessage({ ...good, concepts: [['<script>', 'aura', 'x']] })).toBeNull(); // unpacked, then validated
    const many = Array.from({ length: MAX_FINDINGS_PER_MESSAGE + 1 }, () => row);
    expect(parseContentMessage({ ...good, findings: many })).toBeNull();
    expect(parseContentMessage({ ...good, sentences: Array(MAX_FINDINGS_PER_MESSAGE + 1).fill('x') })).toBeNull();
  });
});
