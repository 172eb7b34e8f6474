// @vitest-environment node
/**
 * The strings findings keep: copies, one of each, never views into the text analysed. A long
 * page's findings live as long as its highlights, and a view would keep the whole text alive.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { analyze, ownCopy } from '../../../lib/engine/analyze';
import type { Finding } from '../../../lib/engine';
import { miniEngine } from './mini-engine';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap still in use once `make`'s result is all that is left of what it made. */
function retainedBy(make: () => unknown): { bytes: number; kept: unknown } {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = make();
  gc();
  gc();
  return { bytes: process.memoryUsage().heapUsed - before, kept };
}

/** About 8 MB of chart text (made by join, so one flat string), a few findings at its end. */
function longChart(): string {
  const filler = Array.from({ length: 160_000 }, (_, i) => `Vitals stable at check ${i}, reviewed overnight.`);
  filler.push('Chronic migraine without aura since her twenties, now with light sensitivity most days.');
  return filler.join('\n');
}

describe('strings kept by findings', () => {
  it('do not keep the analysed text alive', () => {
    const engine = miniEngine();
    analyze(engine, 'warm up: migraine without aura'); // compiled code and caches are not what is measured
    const { bytes, kept } = retainedBy(() => analyze(engine, longChart()));
    const findings = kept as Finding[];
    expect(findings.map((f) => f.text)).toEqual(['Chronic migraine without aura', 'light sensitivity']);
    expect(findings[0]!.sentence).toContain('now with light sensitivity');
    // The text is over 8 MB; a view into it from any finding would keep all of it. What is left
    // besides the findings is the collector's noise (±0.1 MB measured).
    expect(bytes).toBeLessThan(1_000_000);
  });

  it('are equal to the text they were cut from', () => {
    const part = 'a'.repeat(40).slice(3, 30);
    expect(ownCopy(part)).toBe(part);
    expect(ownCopy('short')).toBe('short');
    expect(ownCopy('')).toBe('');
  });

  it('are shared through the table: one entry per distinct string', () => {
    const table = new Map<string, string>();
    const row = 'Reports light sensitivity with each migraine without aura.';
    const findings = analyze(miniEngine(), Array.from({ length: 50 }, () => row).join('\n'), 0, table);
    expect(findings.length).toBe(100);
    const strings = new Set(findings.flatMap((f) => [f.text, f.sentence, ...f.cues.map((c) => c.text)]));
    expect(new Set(table.keys())).toEqual(strings);
    for (const f of findings) expect(table.get(f.sentence)).toBe(f.sentence);
  });
});
