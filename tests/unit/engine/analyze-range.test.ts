/**
 * analyze() with a range reads the whole text for context and classifies only the mentions that
 * start in the range. Its findings must be exactly those of a whole analysis that start there:
 * a chunk's lead-in and lead-out change what is read, never what is found.
 */
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { analyze, createEngine } from '../../../lib/engine/analyze';
import { extractText } from '../../../lib/page/extract';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const engine = createEngine(loadKnowledge().lexicon);

function pageText(name: string): string {
  const win = new Window();
  win.document.write(readFileSync(`tests/fixtures/pages/${name}`, 'utf8'));
  return extractText(win.document.body as unknown as Node).text;
}

const PAGES = [
  'ed-headache-visit.html',
  'infusion-ketamine-encounter.html',
  'ketamine-screening-form.html',
  'neurology-clinic-note.html',
  'indented-markup.html',
];

/** A diagnosis and the code that labels it, which a range may part. */
const LABELLED = 'Assessment: migraine without aura (G43.009), not intractable. Denies photophobia. Mother: migraine.';

describe('analyze over a range', () => {
  it('finds exactly what a whole analysis finds starting in the range, wherever the range is cut', () => {
    for (const [name, text] of [...PAGES.map((p) => [p, pageText(p)] as const), ['labelled', LABELLED] as const]) {
      const offset = 1_000;
      const whole = analyze(engine, text, offset);
      expect(whole.length, name).toBeGreaterThan(2);
      // Cut at every mention's start and just after it, and at both ends of the text.
      const cuts = [offset, offset + text.length, ...whole.flatMap((f) => [f.start, f.start + 1])];
      const ranges: [number, number][] = [];
      for (let i = 0; i < cuts.length; i += 3) {
        for (let j = 0; j < cuts.length; j += 5) if (cuts[i]! < cuts[j]!) ranges.push([cuts[i]!, cuts[j]!]);
        ranges.push([cuts[i]!, offset + text.length]);
      }
      for (const [from, to] of ranges) {
        const ranged = analyze(engine, text, offset, new Map(), true, { from, to });
        const expected = whole.filter((f) => f.start >= from && f.start < to);
        expect(ranged, `${name} [${from}, ${to})`).toEqual(expected);
      }
    }
  });

  it('parts a code from the diagnosis it labels and still gives the code that diagnosis’s context', () => {
    const whole = analyze(engine, LABELLED);
    const code = whole.find((f) => f.text === 'G43.009');
    expect(code).toBeDefined();
    const ranged = analyze(engine, LABELLED, 0, new Map(), true, { from: code!.start, to: LABELLED.length });
    expect(ranged[0]).toEqual(code);
    expect(ranged.some((f) => f.start < code!.start)).toBe(false);
  });

  it('gives nothing for a range that holds no mention', () => {
    expect(analyze(engine, LABELLED, 0, new Map(), true, { from: 0, to: 5 })).toEqual([]);
    expect(analyze(engine, LABELLED, 0, new Map(), true, { from: 5, to: 5 })).toEqual([]);
  });
});
