/**
 * A flowsheet that names its findings in a header row and answers them row by row below: the
 * header is read by its column. Only a column answered "no" in every row denies its header; every
 * case that cannot be read for sure keeps the reading it had. Rows are what the page's text makes
 * of a table: a tab between cells, a line break after each row.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../lib/engine';
import { analyzeChunk } from '../../../lib/page/scanner';
import { engine, read } from './read-findings';

const MONITORING = [
  'Ketamine infusion monitoring',
  'Time\tBP\tDissociation\tNausea\tHallucinations',
  '09:00\t138/82\tNo\tYes\tNo',
  '09:30\t142/86\tYes\tNo\tN',
  '10:00\t130/80\tNo\tNo\tnone',
  'Observed 60 minutes after the infusion.',
].join('\n');

describe('a flowsheet header read by its column', () => {
  it('is denied where every row says no, and kept where one row says yes', () => {
    expect(read(MONITORING)).toEqual([
      'Ketamine infusion affirmed',
      'Dissociation affirmed',
      'Nausea affirmed',
      'Hallucinations negated',
    ]);
  });

  it('shows the column as the basis of the denial', () => {
    const f = analyze(engine, MONITORING, 50).find((x) => x.text === 'Hallucinations')!;
    const first = MONITORING.indexOf('No\n', MONITORING.indexOf('09:00'));
    expect(f.cues[0]).toEqual({ flag: 'negated', text: 'No', start: first + 50, end: first + 52, kind: 'column' });
  });

  it('keeps a header whose column holds anything but a plain yes or no', () => {
    const scores = 'Time\tHeadache\tNausea\n09:00\t6/10\tNo\n10:00\t3/10\tNo\nEnd of flowsheet.';
    expect(read(scores)).toEqual(['Headache affirmed', 'Nausea negated']);
    const mild = 'Time\tNausea\n09:00\tNo\n10:00\tMild\nEnd of flowsheet.';
    expect(read(mild)).toEqual(['Nausea affirmed']);
  });

  it('reads a row that answers itself as a row, not as a header', () => {
    const screen = 'Screening\nSymptom\tPresent\nAura\tNo\nPhotophobia\tYes\nNeck stiffness\tN\nReviewed with patient.';
    expect(read(screen)).toEqual(['Aura negated', 'Photophobia affirmed', 'Neck stiffness negated']);
  });

  it('denies nothing when a row has another number of cells (its columns may not line up)', () => {
    // The page's text drops an empty cell, so this row's "Yes" could be the hallucinations'.
    const ragged =
      'Ketamine infusion\nTime\tBP\tHallucinations\n09:00\t120/80\tNo\n09:30\tYes\n10:00\t118/76\tNo\nEnd.';
    expect(read(ragged)).toEqual(['Ketamine infusion affirmed', 'Hallucinations affirmed']);
  });

  it('denies nothing on dashes alone (not assessed)', () => {
    const k = 'Ketamine infusion\nTime\tHallucinations\n';
    expect(read(`${k}09:00\t-\n09:30\t—\nEnd.`)).toEqual(['Ketamine infusion affirmed', 'Hallucinations affirmed']);
    expect(read(`${k}09:00\t-\n09:30\tNo\nEnd.`)).toEqual(['Ketamine infusion affirmed', 'Hallucinations negated']);
  });

  it('denies nothing when the table runs to the end of a text that goes on', () => {
    const table = 'Ketamine infusion\nTime\tHallucinations\n09:00\tNo\n09:30\tNo';
    expect(analyze(engine, table, 0, new Map(), false).map((f) => f.assertion)).toEqual(['affirmed', 'affirmed']);
    expect(analyze(engine, table).map((f) => f.assertion)).toEqual(['affirmed', 'negated']);
  });

  it('reads the same in chunks as in one piece, wherever the chunk is cut', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `0${9 + (i % 3)}:${10 + i}\t${i === 31 ? 'Yes' : 'No'}\tNo`);
    const text = ['Ketamine infusion', 'Time\tHallucinations\tDissociation', ...rows, 'End of flowsheet.'].join('\n');
    const whole = analyze(engine, text).map((f) => `${f.text} ${f.assertion}`);
    expect(whole).toEqual(['Ketamine infusion affirmed', 'Hallucinations affirmed', 'Dissociation negated']);
    for (const size of [60, 200, 500]) {
      const parts: string[] = [];
      for (let from = 0; from < text.length;) {
        const chunk = analyzeChunk(engine, text, from, size);
        parts.push(...chunk.findings.map((f) => `${f.text} ${f.assertion}`));
        from = chunk.end;
      }
      // A chunk that ends inside the table leaves its header as it was: never denied on part of it.
      for (const p of parts) expect(whole.includes(p) || p.endsWith('affirmed')).toBe(true);
      expect(parts).not.toContain('Hallucinations negated');
    }
  });
});
