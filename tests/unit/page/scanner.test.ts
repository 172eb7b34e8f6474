import { describe, expect, it } from 'vitest';
import { analyze, createEngine } from '../../../lib/engine/analyze';
import {
  ANALYZE_CHUNK_CHARS,
  ANALYZE_LEAD_CHARS,
  PageScanner,
  analyzeChunk,
  nextChunk,
  type ScanReport,
} from '../../../lib/page/scanner';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const engine = createEngine(loadKnowledge('tests/fixtures/knowledge-mini').lexicon);

const LINES = [
  'Pt reports photophobia and nausea.',
  'Denies aura.',
  'Family History',
  'Mother with migraine.',
  'Plan: consider ketamine.',
  'Review of Systems',
  'No fever. Headache improving.',
  'Vitals:\t120/80\t72',
  'Photophobia:',
  'None',
];

function longText(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(LINES[i % LINES.length]!);
  return out.join('\n');
}

function chunked(text: string) {
  const all = [];
  for (let from = 0; from < text.length;) {
    const c = analyzeChunk(engine, text, from);
    expect(c.end).toBeGreaterThan(from);
    all.push(...c.findings);
    from = c.end;
  }
  return all;
}

const key = (f: { concept: string; start: number; end: number; assertion: string }) =>
  `${f.concept}@${f.start}-${f.end}:${f.assertion}`;

describe('chunked analysis', () => {
  it('cuts at line breaks with a bounded lead-in', () => {
    const text = longText(2000);
    let from = 0;
    while (from < text.length) {
      const c = nextChunk(text, from);
      expect(c.start).toBe(from);
      expect(c.end - c.start).toBeLessThanOrEqual(ANALYZE_CHUNK_CHARS);
      if (c.end < text.length) expect(text[c.end - 1]).toBe('\n');
      expect(c.lead).toBeLessThanOrEqual(c.start);
      expect(c.start - c.lead).toBeLessThanOrEqual(ANALYZE_CHUNK_CHARS + ANALYZE_LEAD_CHARS);
      from = c.end;
    }
  });

  it('finds what one whole analysis finds, with the same context, on text of many chunks', () => {
    const text = longText(3000);
    expect(text.length).toBeGreaterThan(ANALYZE_CHUNK_CHARS * 5);
    const whole = analyze(engine, text).map(key);
    expect(whole.length).toBeGreaterThan(1000);
    expect(chunked(text).map(key)).toEqual(whole);
  });

  it('reports sentences and cues at their places in the whole text', () => {
    const text = longText(3000);
    const whole = analyze(engine, text);
    const parts = chunked(text);
    expect(parts).toEqual(whole);
    const cued = parts.filter((f) => f.cues.length > 0);
    expect(cued.length).toBeGreaterThan(100);
    for (const f of cued.slice(-50)) {
      expect(text.slice(f.sentenceStart, f.sentenceStart + f.sentence.length)).toBe(f.sentence);
      for (const c of f.cues) expect(text.slice(c.start, c.end)).toBe(c.text);
    }
  });

  it('reads an answer on the line after the last line of a chunk, wherever the chunk is cut', () => {
    const text = ['Aura', 'No', 'Photophobia:', '', 'None', 'Nausea', 'Yes', 'End.'].join('\n');
    const whole = analyze(engine, text).map(key);
    expect(whole.filter((k) => k.endsWith(':negated'))).toHaveLength(2);
    for (let size = 3; size <= text.length; size++) {
      const all = [];
      for (let from = 0; from < text.length;) {
        const c = analyzeChunk(engine, text, from, size);
        all.push(...c.findings);
        from = c.end;
      }
      expect(all.map(key), `chunks of ${size}`).toEqual(whole);
    }
  });

  it('is the plain analysis for short text', () => {
    const text = longText(8);
    expect(analyzeChunk(engine, text, 0)).toEqual({ findings: analyze(engine, text), end: text.length, lead: 0 });
  });
});

/** Puts fixture markup into the test window's body (parsed, as a browser parses a page). */
function page(html: string): Window {
  const parsed = new DOMParser().parseFromString(`<!doctype html><html><body>${html}</body></html>`, 'text/html');
  document.body.replaceChildren(...[...parsed.body.childNodes].map((n) => document.importNode(n, true)));
  return window;
}

async function scan(win: Window) {
  const reports: ScanReport[] = [];
  const ac = new AbortController();
  const scanner = new PageScanner({ win, engine, signal: ac.signal, onReport: (r) => reports.push(r) });
  scanner.start();
  await scanner.idle();
  return { scanner, reports, ac };
}

describe('PageScanner', () => {
  it('finds the page text, places ranges on its nodes and reports once', async () => {
    const win = page('<main><p>Denies <b>aura</b>.</p><p>Photophobia today.</p></main>');
    const { scanner, reports, ac } = await scan(win);
    expect(scanner.findings.map((p) => [p.finding.concept, p.finding.assertion])).toEqual([
      ['aura', 'negated'],
      ['photophobia', 'affirmed'],
    ]);
    const aura = scanner.findings[0]!;
    expect(aura.startContainer).toBe(document.querySelector('b')!.firstChild);
    expect(scanner.findingAt(aura.startContainer, 2)).toBe(aura);
    expect(scanner.findingAt(aura.startContainer, 4)).toBeNull();
    expect(reports).toHaveLength(1);
    ac.abort();
  });

  it('lists field findings by label and leaves passwords alone', async () => {
    const win = page(
      '<label for="s">Subjective</label><textarea id="s">Reports nausea.</textarea>' +
        '<input aria-label="Assessment" value="Migraine">' +
        '<label>PIN <input type="password" value="migraine"></label>',
    );
    const { scanner, ac } = await scan(win);
    expect(scanner.fieldFindings.map((f) => [f.field, f.concept])).toEqual([
      ['Subjective', 'nausea-vomiting'],
      ['Assessment', 'migraine'],
    ]);
    ac.abort();
  });

  it('steps through findings in both directions, wrapping around', async () => {
    const win = page('<p>Aura. Nausea. Photophobia.</p>');
    const { scanner, ac } = await scan(win);
    const concept = (d: 1 | -1) => scanner.step(d)!.finding.concept;
    expect([concept(1), concept(1), concept(1), concept(1)]).toEqual([
      'aura',
      'nausea-vomiting',
      'photophobia',
      'aura',
    ]);
    expect(concept(-1)).toBe('photophobia');
    ac.abort();
  });

  it('rescans after a change, drops findings whose text went away at once, and stops cleanly', async () => {
    const win = page('<p id="a">Reports nausea.</p>');
    const { scanner, reports, ac } = await scan(win);
    expect(scanner.findings).toHaveLength(1);
    const p = document.getElementById('a')!;
    p.firstChild!.textContent = 'Reports photophobia.';
    await new Promise((r) => setTimeout(r, 0)); // the observer's callback
    expect(scanner.findings).toHaveLength(0); // the stale range is gone before the rescan
    await new Promise((r) => setTimeout(r, 200));
    await scanner.idle();
    expect(scanner.findings.map((f) => f.finding.concept)).toEqual(['photophobia']);
    expect(reports.length).toBe(2);
    ac.abort();
    expect(scanner.running).toBe(false);
    expect(scanner.findings).toHaveLength(0);
    p.append(' Aura.');
    await new Promise((r) => setTimeout(r, 200));
    expect(reports.length).toBe(2); // nothing observed after stopping
  });
});
