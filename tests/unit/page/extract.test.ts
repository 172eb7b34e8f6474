import { describe, expect, it, vi } from 'vitest';
import { TextExtractor, extractText, locate } from '../../../lib/page/extract';
import { placeFinding } from '../../../lib/page/highlights';
import type { Finding } from '../../../lib/engine/types';

/** A document from fixture markup (parsed, as a browser parses a page). */
function doc(html: string): Document {
  return new DOMParser().parseFromString(`<!doctype html><html><body>${html}</body></html>`, 'text/html');
}

const PAGE = [
  '<h2>History</h2><p>Denies <b>aura</b>.</p><p>Photophobia.</p>',
  '<table><tr><td>Aura</td><td>none</td></tr><tr><td>Nausea</td><td>yes</td></tr></table>',
  '<script>var photophobia = 1;</script><style>.aura{}</style>',
  '<textarea id="t">ketamine</textarea><input id="i" value="x"><iframe id="f" srcdoc=""></iframe>',
  '<div hidden>migraine</div>',
].join('');

describe('TextExtractor', () => {
  it('keeps blocks as lines and cells as tabs, and skips scripts, styles, fields, frames and hidden parts', () => {
    const { text } = extractText(doc(PAGE).body);
    expect(text).toBe('History\nDenies aura.\nPhotophobia.\nAura\tnone\nNausea\tyes');
  });

  it('gives the same text and segments when run in many tiny slices', () => {
    const d = doc(PAGE.repeat(40));
    const whole = extractText(d.body);
    let clock = 0;
    const ex = new TextExtractor(d.body);
    let slices = 0;
    // The clock moves 1 ms per look; a deadline 1 ms away ends each slice at its first look.
    while (!ex.run(clock + 1, () => clock++)) slices++;
    expect(slices).toBeGreaterThan(5);
    const sliced = ex.result();
    expect(sliced.text).toBe(whole.text);
    expect(sliced.nodes).toEqual(whole.nodes);
    expect(sliced.starts).toEqual(whole.starts);
  });

  it('reports the frames, fields and open shadow roots it passes', () => {
    const d = doc(PAGE + '<div id="host"></div>');
    const host = d.getElementById('host')!;
    const root = host.attachShadow({ mode: 'open' });
    const p = d.createElement('p');
    p.textContent = 'Shadow nausea';
    root.append(p);
    const frames: string[] = [];
    const fields: string[] = [];
    const roots: ShadowRoot[] = [];
    const { text } = extractText(d.body, {
      onFrame: (f) => frames.push(f.id),
      onField: (f) => fields.push(f.id),
      onShadowRoot: (r) => roots.push(r),
    });
    expect(frames).toEqual(['f']);
    expect(fields).toEqual(['t', 'i']);
    expect(roots).toEqual([root]);
    expect(text.endsWith('Shadow nausea')).toBe(true);
  });

  it('puts a blank line before a heading, which ends the section above it', () => {
    const d = doc('<h2>Family History</h2><p>Mother: migraine.</p><h3>Today</h3><table><tr><td>Aura</td></tr></table>');
    expect(extractText(d.body).text).toBe('Family History\nMother: migraine.\n\nToday\nAura');
  });

  it('writes a checkbox or radio button as the box a printed form shows, in its state now', () => {
    const d = doc(
      '<p>Aura: <input type="radio" name="a"> Yes <input type="radio" name="a" checked> No</p>' +
        '<p><input type="checkbox" id="n">Nausea <input type="CHECKBOX" checked>Photophobia</p>' +
        '<p>Onset: <input type="text" value="sudden"></p>',
    );
    expect(extractText(d.body).text).toBe('Aura:  [ ]  Yes  [x]  No\n [ ] Nausea  [x] Photophobia\nOnset: ');
    (d.getElementById('n') as HTMLInputElement).checked = true;
    const read = extractText(d.body);
    expect(read.text.split('\n')[1]).toBe(' [x] Nausea  [x] Photophobia');
    // The boxes belong to no text node: every node still starts where its own text does.
    read.nodes.forEach((node, i) =>
      expect(read.text.slice(read.starts[i], read.starts[i]! + node.data.length)).toBe(node.data),
    );
  });

  it('writes a drop-down as the option it shows, in its state now', () => {
    const d = doc(
      '<p>Aura <select id="a"><option>Yes</option><option selected>No</option></select></p>' +
        '<p>Pain <select multiple><option selected>Head</option><option selected>Neck</option></select></p>',
    );
    expect(extractText(d.body).text).toBe('Aura  No \nPain ');
    (d.getElementById('a') as HTMLSelectElement).selectedIndex = 0;
    expect(extractText(d.body).text).toBe('Aura  Yes \nPain ');
  });

  it('leaves out excluded elements (the card host), asking only about custom elements', () => {
    const d = doc('<p>aura</p><chartlight-card><p>nausea</p></chartlight-card><div><b>photophobia</b></div>');
    const asked: string[] = [];
    const exclude = (el: Element) => {
      asked.push(el.localName);
      return el.localName === 'chartlight-card';
    };
    expect(extractText(d.body, { exclude }).text).toBe('aura\nphotophobia');
    expect(asked).toEqual(['chartlight-card']);
  });
});

describe('tag names in either case', () => {
  it('breaks lines, splits cells and skips scripts where tag names are lower case (XHTML, SVG)', () => {
    // happy-dom upper-cases tag names even in XML documents; browsers give XHTML's in lower case.
    const lower = <T extends Element>(e: T): T => Object.defineProperty(e, 'tagName', { value: e.localName });
    const el = (tag: string, text?: string) => {
      const e = lower(document.createElement(tag));
      if (text !== undefined) e.textContent = text;
      return e;
    };
    const row = el('tr');
    row.append(el('td', 'Aura'), el('td', 'none'));
    const table = el('table');
    table.append(row);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.append(document.createElementNS('http://www.w3.org/2000/svg', 'text'));
    svg.firstChild!.textContent = 'nausea';
    const body = el('div');
    body.append(el('p', 'Denies aura'), el('p', 'photophobia'), el('script', 'var x = "vomiting";'), svg, table);
    expect(body.firstElementChild!.tagName).toBe('p');
    expect(svg.tagName).toBe('svg');
    expect(extractText(body).text).toBe('Denies aura\nphotophobia\nAura\tnone');
  });

  it('reads the shadow trees of every kind of host, nested ones too, and goes on after each host', () => {
    const d = doc(
      '<p>Before.</p><x-note></x-note><div id="d"></div><span id="s"></span><section id="e"></section><p>After.</p>',
    );
    const roots: ShadowRoot[] = [];
    // A shadow tree from fixture markup, parsed as the page's own markup is.
    const shadow = (host: Element, html: string) => {
      const r = host.attachShadow({ mode: 'open' });
      r.append(...doc(html).body.childNodes);
      return r;
    };
    const note = shadow(d.querySelector('x-note')!, '<p>Custom: aura.</p><inner-card></inner-card>');
    shadow(note.querySelector('inner-card')!, '<p>Nested: nausea.</p>');
    shadow(d.getElementById('d')!, '<p>Div: photophobia.</p>');
    shadow(d.getElementById('s')!, 'Span: vomiting.');
    shadow(d.getElementById('e')!, '<p>Section: ketamine.</p>');
    const { text } = extractText(d.body, { onShadowRoot: (r) => roots.push(r) });
    expect(text).toBe(
      'Before.\nCustom: aura.\nNested: nausea.\nDiv: photophobia.\nSpan: vomiting.\nSection: ketamine.\nAfter.',
    );
    expect(roots.length).toBe(5);
  });

  it('reads several roots one after another, and none of their siblings', () => {
    const d = doc('<p id="a">Aura.</p><p>Skipped.</p><div id="b"><span>Nausea</span> today.</div><p>Also skipped.</p>');
    const ex = new TextExtractor([d.getElementById('a')!, d.getElementById('b')!]);
    ex.run();
    expect(ex.result().text).toBe('Aura.\nNausea today.');
    // A text node alone as the root: its text and nothing after it.
    expect(extractText(d.getElementById('b')!.lastChild!).text).toBe(' today.');
  });
});

/** A detached element holding `html`, parsed (never assigned as HTML). */
function parsed(html: string): HTMLElement {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}</body>`, 'text/html');
  const div = document.createElement('div');
  div.append(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
  return div;
}

describe('placing a run of findings', () => {
  it('asks each text node for its length once, and places every finding where it lies', () => {
    const body = parsed('<p>Denies aura, nausea and photophobia.</p><p>Reports <b>phonophobia</b> [x] today.</p>');
    const ex = extractText(body);
    const words = ['aura', 'nausea', 'photophobia', 'phonophobia', 'today'];
    const spans = words.map((w) => [ex.text.indexOf(w), ex.text.indexOf(w) + w.length] as const);
    // Wherever the DOM defines a text node's `data`, its reads are counted there.
    let proto = Object.getPrototypeOf(body.firstChild!.firstChild!) as object;
    while (!Object.getOwnPropertyDescriptor(proto, 'data')) proto = Object.getPrototypeOf(proto) as object;
    const owner = proto as CharacterData;
    const own = Object.getOwnPropertyDescriptor(owner, 'data')!;
    let reads = 0;
    const data = vi.spyOn(owner, 'data', 'get').mockImplementation(function (this: CharacterData) {
      reads++;
      return own.get!.call(this) as string;
    });
    try {
      const memo = { node: null, length: 0 };
      const placed = spans.map(([a, b]) => placeFinding(ex, {} as Finding, a, b, memo)!);
      // Three nodes hold the five findings' ends: "Denies …", "phonophobia" and " [x] today."
      expect(reads).toBe(3);
      expect(placed.map((p) => (p.startContainer as Text).data.slice(p.startOffset, p.endOffset))).toEqual(words);
    } finally {
      data.mockRestore();
    }
    // Without a shared memo each finding asks again.
    reads = 0;
    const again = vi.spyOn(owner, 'data', 'get').mockImplementation(function (this: CharacterData) {
      reads++;
      return own.get!.call(this) as string;
    });
    try {
      for (const [a, b] of spans) placeFinding(ex, {} as Finding, a, b);
      expect(reads).toBeGreaterThan(3);
    } finally {
      again.mockRestore();
    }
    // An offset in text of no node (a ticked box read as "[x]") stays inside the node before it.
    const form = parsed('<p>Aura <input type="checkbox" checked></p>');
    const boxed = extractText(form);
    expect(boxed.text).toBe('Aura  [x] ');
    const aura = boxed.nodes[0]!;
    expect(locate(boxed, 7)!.node).toBe(aura);
    expect(locate(boxed, 7)!.offset).toBe(5);
    expect(locate(boxed, 7, false, { node: null, length: 0 })!.offset).toBe(5);
  });
});
