/**
 * The page's text as the page shows it. A line break written in the markup is shown as a space
 * where white space collapses (the default), so it is read as one: otherwise "Patient denies⏎
 * aura", one line on screen, read as two lines and the denial did not reach the aura. Where the
 * page keeps line breaks (<pre>, white-space: pre-wrap) they stay. Markup indented between a
 * table's rows and cells is not shown and not read: it split "Aura | No" into two lines, and the
 * aura read as present. An empty cell keeps its tab, so the cells below a header stay in its
 * columns, and a block that opens or closes a cell (<td><div>No</div></td>) does not break its row.
 * Blank text beside a block is not shown and not read, so indented markup reads as compact markup.
 * Replacements are one for one: every offset into a node stays where it was.
 */
import { describe, expect, it } from 'vitest';
import { analyze, createEngine } from '../../../lib/engine';
import { extractText } from '../../../lib/page/extract';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const engine = createEngine(loadKnowledge().lexicon);

function doc(html: string): Document {
  return new DOMParser().parseFromString(`<!doctype html><html><body>${html}</body></html>`, 'text/html');
}

const read = (html: string) => {
  const { text } = extractText(doc(html).body);
  return analyze(engine, text).map((f) => `${f.text} ${f.assertion}`);
};

describe('white space as the page shows it', () => {
  it('reads a line break inside a paragraph as the space it is shown as', () => {
    const html = '<p>Patient denies\n    aura or\tphotophobia.</p>';
    expect(extractText(doc(html).body).text).toBe('Patient denies     aura or photophobia.');
    expect(read(html)).toEqual(['aura negated', 'photophobia negated']);
    // Between inline elements too, and alone in an inline element of its own.
    expect(read('<p><span>Denies</span>\n<span>aura</span>.</p>')).toEqual(['aura negated']);
    expect(extractText(doc('<p><span>Denies</span><span>\n</span><span>aura</span></p>').body).text).toBe(
      'Denies aura',
    );
  });

  it('keeps line breaks where the page keeps them', () => {
    const note = 'Denies fever.\nHeadache worse today\n';
    expect(read(`<pre>${note}</pre>`)).toEqual(['fever negated', 'Headache affirmed']);
    expect(
      read(`<div style="white-space: pre-wrap"><span>Denies fever</span>\n<span>Headache worse today</span></div>`),
    ).toEqual(['fever negated', 'Headache affirmed']);
    expect(read(`<div style="white-space:pre-line">Denies fever\nHeadache worse today</div>`)).toEqual([
      'fever negated',
      'Headache affirmed',
    ]);
  });

  it('reads an indented table row by row, each on its own line', () => {
    const html = [
      '<h3>Screening</h3>',
      '<table>',
      '  <tr>',
      '    <td>Aura</td>',
      '    <td>No</td>',
      '  </tr>',
      '  <tr>',
      '    <td>',
      '      Photophobia',
      '    </td>',
      '    <td>Yes</td>',
      '  </tr>',
      '</table>',
    ].join('\n');
    const { text } = extractText(doc(html).body);
    expect(text.split('\n').filter((l) => l.includes('\t'))).toEqual(['Aura\tNo', '       Photophobia     \tYes']);
    expect(read(html)).toEqual(['Aura negated', 'Photophobia affirmed']);
  });

  it('keeps an empty cell in its column, at the start, in the middle and at the end of a row', () => {
    const html =
      '<table><tr><th>Time</th><th>BP</th><th>Nausea</th><th>Note</th></tr>' +
      '<tr><td>09:00</td><td></td><td>No</td><td></td></tr>' +
      '<tr><td></td><td>120/80</td><td>No</td><td>ok</td></tr></table><p>End.</p>';
    const { text } = extractText(doc(html).body);
    expect(text).toBe('Time\tBP\tNausea\tNote\n09:00\t\tNo\t\n\t120/80\tNo\tok\nEnd.');
    expect(read(html)).toEqual(['Nausea negated']);
  });

  it('keeps a row on one line when its cells wrap their content in blocks', () => {
    const html =
      '<h3>Screening</h3><table>' +
      '<tr><td><div>Aura</div></td><td><span>No</span></td></tr>' +
      '<tr><td><p>Photophobia</p></td><td><div>Yes</div></td></tr>' +
      '<tr><td>Nausea<br></td><td><div><p>No</p></div></td></tr></table><p>End.</p>';
    expect(extractText(doc(html).body).text).toBe('Screening\nAura\tNo\nPhotophobia\tYes\nNausea\tNo\nEnd.');
    expect(read(html)).toEqual(['Aura negated', 'Photophobia affirmed', 'Nausea negated']);
    // Lines inside a cell stay lines.
    expect(extractText(doc('<table><tr><td>a<br>b</td><td>c</td></tr></table>').body).text).toBe('a\nb\tc');
  });

  it('reads indented markup as it reads the same markup written compactly', () => {
    const compact =
      '<div><h3>Family History</h3><p>Mother: migraine.</p><p>Seizures in childhood.</p></div>' +
      '<div><h3>Review of Systems</h3><ul><li>Fever: no</li><li>Nausea: yes</li></ul></div>';
    const indented = compact.replace(/></g, '>\n    <');
    expect(indented).not.toBe(compact);
    expect(extractText(doc(indented).body).text).toBe(extractText(doc(compact).body).text);
    expect(read(indented)).toEqual(read(compact));
  });

  it('keeps every offset into a node where it was', () => {
    const d = doc('<p>Pt reports\n  photophobia\n and aura</p>');
    const ex = extractText(d.body);
    const [f] = analyze(engine, ex.text).filter((x) => x.text === 'aura');
    const node = ex.nodes[0]!;
    expect(node.data.slice(f!.start - ex.starts[0]!, f!.end - ex.starts[0]!)).toBe('aura');
    expect(ex.text.length).toBe(node.data.length);
  });
});
