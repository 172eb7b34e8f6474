/**
 * Page updates are read again block by block: what the scanner shows after any sequence of
 * updates must be what a full pass over the final page would show, while only the touched blocks
 * are read and an update that only adds at the end is reported as an append. All of it holds
 * whether the page analyses an update itself or sends its text to the background.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { analyze, createEngine } from '../../../lib/engine/analyze';
import { decodeFindings, encodeFindings } from '../../../lib/messaging/analysis';
import { TextExtractor, extractText } from '../../../lib/page/extract';
import {
  ANALYZE_CHUNK_CHARS,
  ANALYZE_LEAD_CHARS,
  MUTATION_DEBOUNCE_MS,
  PageScanner,
  nextChunk,
  type RemoteAnalysis,
  type ScanReport,
} from '../../../lib/page/scanner';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const lexicon = loadKnowledge('tests/fixtures/knowledge-mini').lexicon;
const engine = createEngine(lexicon);
const conceptIndex = new Map(lexicon.concepts.map((c, i) => [c.id, i]));

/** Answers of the fake background still held back (see `holding`). */
let held: (() => void)[] | null = null;
/** Requests the fake background answered, and the offsets they named. */
let asked = { chunks: 0, offsets: [] as number[] };

/**
 * The background as the scanner meets it: another engine's answer, packed and unpacked as on the
 * port, in a later task. While `held` is set, answers wait until released.
 */
const background: RemoteAnalysis = async (text, offset, complete, strings, range) => {
  await new Promise((r) => setTimeout(r, 0));
  if (held) await new Promise<void>((r) => held!.push(r));
  asked.chunks++;
  asked.offsets.push(offset);
  const reply = encodeFindings(
    analyze(engine, text, offset, new Map(), complete, range),
    text,
    offset,
    conceptIndex,
    lexicon.hash,
  );
  return decodeFindings(
    structuredClone(reply),
    text,
    offset,
    lexicon.concepts,
    lexicon.hash,
    (s) => strings.get(s) ?? s,
  );
};

/** The remote the scanners of the suite being run get (none: the page analyses its updates). */
let remote: RemoteAnalysis | undefined;

function holding(): void {
  held = [];
}

function release(): void {
  const waiting = held ?? [];
  held = null;
  for (const go of waiting) go();
}

function setBody(html: string): void {
  const parsed = new DOMParser().parseFromString(`<!doctype html><html><body>${html}</body></html>`, 'text/html');
  document.body.replaceChildren(...[...parsed.body.childNodes].map((n) => document.importNode(n, true)));
}

async function settle(scanner: PageScanner): Promise<void> {
  await new Promise((r) => setTimeout(r, MUTATION_DEBOUNCE_MS + 20));
  await scanner.idle();
}

function started() {
  const reports: ScanReport[] = [];
  const ac = new AbortController();
  const scanner = new PageScanner({
    win: window,
    engine,
    signal: ac.signal,
    remote,
    onReport: (r) => reports.push(r),
  });
  scanner.start();
  return { scanner, reports, ac };
}

const view = (s: PageScanner) => s.findings.map((p) => `${p.finding.concept}:${p.finding.assertion}:${p.finding.text}`);

/** What a fresh scanner finds on the page as it is now. */
async function fullScan(): Promise<string[]> {
  const { scanner, ac } = started();
  await scanner.idle();
  const out = view(scanner);
  ac.abort();
  return out;
}

describe.each([
  ['on the page', undefined],
  ['in the background', background],
])('page updates analysed %s', (_, via) => {
  beforeEach(() => {
    remote = via;
    asked = { chunks: 0, offsets: [] };
  });
  afterEach(() => {
    release();
    remote = undefined;
  });

  it('reads only the added blocks, with the section above them as context, and appends', async () => {
    setBody('<main><h2>Family History</h2><p>Mother with migraine.</p></main>');
    const { scanner, reports, ac } = started();
    await scanner.idle();
    expect(view(scanner)).toEqual(['migraine:family:migraine']);
    const passes = scanner.stats.passes;
    const p = document.createElement('p');
    p.textContent = 'Sister with aura.';
    document.querySelector('main')!.append(p);
    await settle(scanner);
    expect(scanner.stats.passes).toBe(passes); // no full pass
    expect(scanner.stats.updates).toBe(1);
    expect(view(scanner)).toEqual(['migraine:family:migraine', 'aura:family:aura']);
    const last = reports[reports.length - 1]!;
    expect(last.append).toBe(true);
    expect(last.findings.map((f) => f.concept)).toEqual(['aura']);
    // The range lies on the new text node.
    expect(scanner.findings[1]!.startContainer).toBe(p.firstChild);
    ac.abort();
  });

  it('keeps document order and replaces the report when text is added in the middle', async () => {
    setBody('<main><p id="a">Reports nausea.</p><p id="b">Photophobia today.</p></main>');
    const { scanner, reports, ac } = started();
    await scanner.idle();
    const p = document.createElement('p');
    p.textContent = 'Denies aura.';
    document.getElementById('a')!.after(p);
    await settle(scanner);
    expect(view(scanner)).toEqual([
      'nausea-vomiting:affirmed:nausea',
      'aura:negated:aura',
      'photophobia:affirmed:Photophobia',
    ]);
    const last = reports[reports.length - 1]!;
    expect(last.append).toBeFalsy();
    expect(last.findings.map((f) => f.concept)).toEqual(['nausea-vomiting', 'aura', 'photophobia']);
    ac.abort();
  });

  it('replaces the findings of a block whose text changed', async () => {
    setBody('<main><p id="a">Reports <b>nausea</b> and aura.</p></main>');
    const { scanner, ac } = started();
    await scanner.idle();
    document
      .querySelector('#a')!
      .insertBefore(document.createTextNode('Denies '), document.querySelector('#a')!.firstChild);
    await settle(scanner);
    expect(view(scanner)).toEqual(await fullScan().then((v) => v));
    ac.abort();
  });

  it('reads the page again when a section header that gave findings their context stops being one', async () => {
    setBody('<main><h3>Family History</h3><p>Migraine with aura.</p><p>Photophobia.</p></main>');
    const { scanner, ac } = started();
    await scanner.idle();
    const assertion = (text: string) => scanner.findings.find((p) => p.finding.text === text)?.finding.assertion;
    expect(assertion('Photophobia')).toBe('family');
    // Rendered again with the same text: still read as an update.
    const passes = scanner.stats.passes;
    document.querySelector('h3')!.firstChild!.replaceWith(document.createTextNode('Family History'));
    await settle(scanner);
    expect(scanner.stats.passes).toBe(passes);
    expect(assertion('Photophobia')).toBe('family');
    // Typed into the header line: it is a sentence now, and heads nothing.
    document.querySelector('h3')!.append(document.createTextNode(' was reviewed, patient denies it.'));
    await settle(scanner);
    expect(view(scanner)).toEqual(await fullScan());
    expect(assertion('Photophobia')).toBe('affirmed');
    ac.abort();
  });

  it('reads a whole line again when a block is put inside it', async () => {
    setBody('<main><p id="a">Denies <b>nausea</b> or <i>aura</i> today.</p></main>');
    const { scanner, ac } = started();
    await scanner.idle();
    expect(view(scanner)).toEqual(['nausea-vomiting:negated:nausea', 'aura:negated:aura']);
    // The new block ends the line "Denies nausea": "or aura today." is a line of its own now.
    const div = document.createElement('div');
    div.textContent = 'Vitals stable.';
    document.querySelector('#a i')!.before(div);
    await settle(scanner);
    expect(view(scanner)).toEqual(await fullScan());
    ac.abort();
  });

  it('reads a line again when the user ticks a box in it, without a full pass', async () => {
    setBody(
      '<main><p>Aura: <input type="radio" name="aura" id="yes"> Yes <input type="radio" name="aura" checked> No</p>' +
        '<p>Nausea: <input type="checkbox" id="nausea"></p></main>',
    );
    const { scanner, reports, ac } = started();
    await scanner.idle();
    expect(view(scanner)).toEqual(['aura:negated:Aura', 'nausea-vomiting:affirmed:Nausea']);
    const { passes, updates } = scanner.stats;
    // A click ticks the box and fires "input" as a user's would; the page's DOM does not change.
    (document.getElementById('yes') as HTMLInputElement).click();
    await settle(scanner);
    expect(scanner.stats.passes).toBe(passes);
    expect(scanner.stats.updates).toBe(updates + 1);
    expect(view(scanner)).toEqual(['aura:affirmed:Aura', 'nausea-vomiting:affirmed:Nausea']);
    expect(reports[reports.length - 1]!.findings.map((f) => f.assertion)).toEqual(['affirmed', 'affirmed']);
    expect(view(scanner)).toEqual(await fullScan());
    ac.abort();
  });

  it('a heading of no known name ends the family history above it, on a pass and on updates', async () => {
    setBody('<main><h2>Family History</h2><p>Mother with migraine.</p><h2>Today</h2><p>Reports aura.</p></main>');
    const { scanner, ac } = started();
    await scanner.idle();
    expect(view(scanner)).toEqual(['migraine:family:migraine', 'aura:affirmed:aura']);
    // Taken away, the heading no longer ends the section: the aura is the family's again.
    document.querySelectorAll('h2')[1]!.remove();
    await settle(scanner);
    expect(view(scanner)).toEqual(['migraine:family:migraine', 'aura:family:aura']);
    const h = document.createElement('h2');
    h.textContent = 'Today';
    document.querySelector('main p:last-child')!.before(h);
    await settle(scanner);
    expect(view(scanner)).toEqual(['migraine:family:migraine', 'aura:affirmed:aura']);
    ac.abort();
  });

  it('reads a pane rendered again with the same headings as an update, not a full pass', async () => {
    setBody(
      '<main><h2>Family History</h2><p>Mother with migraine.</p>' +
        '<div id="pane"><h2>Today</h2><p>Reports aura.</p></div><p>Photophobia.</p></main>',
    );
    const { scanner, ac } = started();
    await scanner.idle();
    const before = view(scanner);
    expect(before).toEqual(['migraine:family:migraine', 'aura:affirmed:aura', 'photophobia:affirmed:Photophobia']);
    const { passes } = scanner.stats;
    const pane = document.getElementById('pane')!;
    pane.replaceWith(pane.cloneNode(true));
    await settle(scanner);
    expect(scanner.stats.passes).toBe(passes);
    expect(view(scanner)).toEqual(before);
    expect(view(scanner)).toEqual(await fullScan());
    ac.abort();
  });

  it('lists a field once however often the block around it is read again', async () => {
    setBody('<main><div id="note">Reports aura. <textarea aria-label="Plan">Nausea</textarea></div></main>');
    const { scanner, ac } = started();
    await scanner.idle();
    const line = document.getElementById('note')!.firstChild as Text;
    for (const text of ['Reports photophobia. ', 'Reports phonophobia. ']) {
      line.data = text;
      await settle(scanner);
    }
    expect(view(scanner)).toEqual(['phonophobia:affirmed:phonophobia']);
    expect(scanner.fieldFindings.map((f) => `${f.field}:${f.text}`)).toEqual(['Plan:Nausea']);
    ac.abort();
  });

  it('after any sequence of updates shows what a full pass would show', async () => {
    const SENTENCES = [
      'Denies aura.',
      'Reports nausea and photophobia.',
      'Family History',
      'Mother with migraine.',
      'No photophobia.',
      'Plan: consider ketamine.',
      'History of migraine.',
      'Vitals stable.',
    ];
    const op = fc.record({
      kind: fc.constantFrom('append', 'insert', 'edit', 'remove', 'inline', 'removeInline', 'split', 'heading'),
      at: fc.nat(),
      child: fc.nat(),
      sentence: fc.constantFrom(...SENTENCES),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        setBody(
          // Photophobia has its family context from the header alone.
          '<main><p>Reports nausea.</p><h3>Family History</h3><p>Father with aura.</p><p>Photophobia.</p>' +
            '<p>Denies <b>nausea</b> or <i>aura</i> today.</p></main>',
        );
        const { scanner, ac } = started();
        await scanner.idle();
        const main = document.querySelector('main')!;
        for (const o of ops) {
          const blocks = [...main.children];
          const target = blocks[o.at % Math.max(1, blocks.length)];
          const p = document.createElement('p');
          p.textContent = o.sentence;
          if (o.kind === 'heading') {
            // A heading of no known name ends the section above it; a known one starts its own.
            const h = document.createElement('h3');
            h.textContent = o.at % 2 === 0 ? 'Today' : 'Family History';
            if (target) target.before(h);
            else main.append(h);
          } else if (o.kind === 'append' || !target) main.append(p);
          else if (o.kind === 'insert') target.before(p);
          else if (o.kind === 'edit' && target.firstChild) (target.firstChild as Text).data = o.sentence;
          else if (o.kind === 'remove' && blocks.length > 1) target.remove();
          else if (o.kind === 'removeInline' && target.childNodes.length > 0)
            target.childNodes[o.child % target.childNodes.length]!.remove();
          else if (o.kind === 'split' && target.childNodes.length > 0)
            target.childNodes[o.child % target.childNodes.length]!.before(p); // a block inside a line
          else target.append(document.createTextNode(` ${o.sentence}`));
        }
        await settle(scanner);
        const incremental = view(scanner);
        ac.abort();
        expect(incremental).toEqual(await fullScan());
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) },
    );
  }, 60_000);

  it('checks only the findings a removal could have taken away, on a long page', async () => {
    setBody(Array.from({ length: 1000 }, (_, i) => `<p id="p${i}">Visit ${i}: nausea and photophobia.</p>`).join(''));
    const { scanner, ac } = started();
    await scanner.idle();
    expect(scanner.findings).toHaveLength(2000);
    // Counts the scanner's reads of isConnected (the DOM implementation reads it too, on its own).
    const own = Object.getOwnPropertyDescriptor(Node.prototype, 'isConnected')!;
    let checks = 0;
    const connected = vi.spyOn(Node.prototype, 'isConnected', 'get').mockImplementation(function (this: Node) {
      if (new Error().stack?.includes('lib/page/scanner')) checks++;
      return own.get!.call(this) as boolean;
    });
    try {
      document.getElementById('p500')!.remove();
      await new Promise((r) => setTimeout(r, 0)); // the observer's callback: stale highlights go at once
      expect(scanner.findings).toHaveLength(1998);
      expect(scanner.findings.some((p) => p.finding.text === 'nausea' && !p.startContainer.isConnected)).toBe(false);
      // Two findings were in the removed paragraph; the other 1,998 were never looked at.
      expect(checks).toBeGreaterThan(0);
      expect(checks).toBeLessThan(50);
    } finally {
      connected.mockRestore();
    }
    await settle(scanner);
    expect(view(scanner)).toEqual(await fullScan());
    ac.abort();
  });

  it('drops the findings of a removed shadow host', async () => {
    setBody('<p>Reports nausea.</p><div id="host"></div>');
    const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
    const inside = document.createElement('p');
    inside.textContent = 'Denies photophobia.';
    root.append(inside);
    const { scanner, ac } = started();
    await scanner.idle();
    expect(view(scanner)).toEqual(['nausea-vomiting:affirmed:nausea', 'photophobia:negated:photophobia']);
    document.getElementById('host')!.remove();
    await new Promise((r) => setTimeout(r, 0));
    expect(view(scanner)).toEqual(['nausea-vomiting:affirmed:nausea']);
    ac.abort();
  });

  it('takes a full pass for text added straight into <body>', async () => {
    setBody('<p>Reports nausea.</p>');
    const { scanner, ac } = started();
    await scanner.idle();
    const passes = scanner.stats.passes;
    document.body.append(document.createTextNode('Aura.'));
    await settle(scanner);
    expect(scanner.stats.passes).toBe(passes + 1);
    expect(view(scanner)).toEqual(await fullScan());
    ac.abort();
  });
});

describe('an update analysed in the background', () => {
  beforeEach(() => {
    remote = background;
    asked = { chunks: 0, offsets: [] };
  });
  afterEach(() => {
    release();
    remote = undefined;
  });

  /** Lets the debounced update run and send its chunks. */
  const sent = () => new Promise((r) => setTimeout(r, MUTATION_DEBOUNCE_MS + 20));

  it('sends the blocks with their lead-in, and changes nothing shown until the answer is in', async () => {
    setBody('<main><h2>Family History</h2><p>Mother with migraine.</p></main>');
    const { scanner, reports, ac } = started();
    await scanner.idle();
    const { chunks, remoteChunks } = { chunks: asked.chunks, remoteChunks: scanner.stats.remoteChunks };
    holding();
    const p = document.createElement('p');
    p.textContent = 'Sister with aura.';
    document.querySelector('main')!.append(p);
    await sent();
    expect(held).toHaveLength(1);
    expect(view(scanner)).toEqual(['migraine:family:migraine']);
    const reported = reports.length;
    let idle = false;
    const done = scanner.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(idle).toBe(false); // the update is still out
    release();
    await done;
    expect(view(scanner)).toEqual(['migraine:family:migraine', 'aura:family:aura']);
    expect(asked.chunks).toBe(chunks + 1);
    expect(scanner.stats.remoteChunks).toBe(remoteChunks + 1);
    // The lead-in (the header and the line above) lies before the block's own text.
    expect(asked.offsets[asked.offsets.length - 1]).toBeLessThan(0);
    expect(reports).toHaveLength(reported + 1);
    expect(reports[reports.length - 1]!.append).toBe(true);
    ac.abort();
  });

  it('whatever the page does while an update is out, ends showing what a full pass would show', async () => {
    const SENTENCES = ['Denies aura.', 'Reports nausea.', 'Family History', 'Mother with migraine.', 'No photophobia.'];
    const op = fc.record({
      kind: fc.constantFrom('append', 'insert', 'edit', 'remove', 'inline', 'heading'),
      at: fc.nat(),
      sentence: fc.constantFrom(...SENTENCES),
    });
    const apply = (main: Element, o: { kind: string; at: number; sentence: string }) => {
      const blocks = [...main.children];
      const target = blocks[o.at % Math.max(1, blocks.length)];
      const p = document.createElement(o.kind === 'heading' ? 'h3' : 'p');
      p.textContent = o.kind === 'heading' ? 'Family History' : o.sentence;
      if (o.kind === 'append' || !target) main.append(p);
      else if (o.kind === 'insert' || o.kind === 'heading') target.before(p);
      else if (o.kind === 'edit' && target.firstChild) (target.firstChild as Text).data = o.sentence;
      else if (o.kind === 'remove' && blocks.length > 1) target.remove();
      else target.append(document.createTextNode(` ${o.sentence}`));
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 3 }),
        fc.array(op, { maxLength: 3 }),
        async (before, during) => {
          setBody(
            '<main><p>Reports nausea.</p><h3>Family History</h3><p>Father with aura.</p><p>Photophobia.</p></main>',
          );
          const { scanner, ac } = started();
          await scanner.idle();
          const main = document.querySelector('main')!;
          holding();
          for (const o of before) apply(main, o);
          await sent();
          for (const o of during) apply(main, o);
          release();
          // The answer placed, the page's changes not read yet: nothing shown may lie on text that
          // changed or left the page meanwhile.
          await new Promise((r) => setTimeout(r, 10));
          for (const p of scanner.findings) {
            expect(p.startContainer.isConnected && p.endContainer.isConnected).toBe(true);
            if (p.startContainer === p.endContainer)
              expect((p.startContainer as Text).data.slice(p.startOffset, p.endOffset)).toBe(p.finding.text);
          }
          await settle(scanner);
          const incremental = view(scanner);
          ac.abort();
          expect(incremental).toEqual(await fullScan());
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 25) },
    );
  }, 60_000);

  it('shows nothing of a block removed or changed while its update was out', async () => {
    setBody('<main><p>Reports nausea.</p></main>');
    const { scanner, ac } = started();
    await scanner.idle();
    holding();
    const gone = document.createElement('p');
    gone.textContent = 'Denies aura.';
    const changed = document.createElement('p');
    changed.textContent = 'Photophobia.';
    document.querySelector('main')!.append(gone, changed);
    await sent();
    expect(held).toHaveLength(1);
    gone.remove();
    (changed.firstChild as Text).data = 'No photophobia.';
    release();
    await settle(scanner);
    expect(view(scanner)).toEqual(['nausea-vomiting:affirmed:nausea', 'photophobia:negated:photophobia']);
    expect(scanner.findings.every((p) => p.startContainer.isConnected)).toBe(true);
    expect(view(scanner)).toEqual(await fullScan());
    ac.abort();
  });

  it('reads the page again when a header the update added changed while it was out', async () => {
    setBody('<main><p>Reports nausea.</p></main>');
    const { scanner, ac } = started();
    await scanner.idle();
    holding();
    const h = document.createElement('h3');
    h.textContent = 'Family History';
    const p = document.createElement('p');
    p.textContent = 'Photophobia.';
    document.querySelector('main')!.append(h, p);
    await sent();
    expect(held).toHaveLength(1);
    // Typed into while its update was out: it heads nothing now.
    h.append(document.createTextNode(' was reviewed with the patient today.'));
    release();
    await settle(scanner);
    expect(view(scanner)).toEqual(['nausea-vomiting:affirmed:nausea', 'photophobia:affirmed:Photophobia']);
    expect(view(scanner)).toEqual(await fullScan());
    ac.abort();
  });

  it('analyses on the page an update the background does not answer', async () => {
    setBody('<main><h2>Family History</h2><p>Mother with migraine.</p></main>');
    let calls = 0;
    remote = async () => {
      calls++;
      return null;
    };
    const { scanner, ac } = started();
    await scanner.idle();
    const missed = scanner.stats.remoteMissed;
    const first = calls;
    const p = document.createElement('p');
    p.textContent = 'Sister with aura.';
    document.querySelector('main')!.append(p);
    await settle(scanner);
    expect(calls).toBe(first + 1);
    expect(scanner.stats.remoteMissed).toBe(missed + 1);
    expect(view(scanner)).toEqual(['migraine:family:migraine', 'aura:family:aura']);
    ac.abort();
  });

  it('drops an update still out when the page needs a full pass, and shows the pass', async () => {
    setBody('<main><h2>Family History</h2><p>Migraine with aura.</p></main>');
    const { scanner, ac } = started();
    await scanner.idle();
    const passes = scanner.stats.passes;
    const updates = scanner.stats.updates;
    holding();
    const p = document.createElement('p');
    p.textContent = 'Photophobia.';
    document.querySelector('main')!.append(p);
    await sent();
    expect(held).toHaveLength(1);
    // The header that gave both their context goes: every finding below it is read again.
    document.querySelector('h2')!.remove();
    await sent();
    release();
    await settle(scanner);
    expect(scanner.stats.passes).toBe(passes + 1);
    expect(scanner.stats.updates).toBe(updates);
    expect(view(scanner)).toEqual([
      'migraine-with-aura:affirmed:Migraine with aura',
      'photophobia:affirmed:Photophobia',
    ]);
    expect(view(scanner)).toEqual(await fullScan());
    ac.abort();
  });
});

describe('reading a long text as it is walked', () => {
  it('gives any slice of the text read so far, across roots', () => {
    setBody('<p>Alpha <b>beta</b> gamma.</p><div>Delta<span> epsilon</span></div><p>Zeta</p>');
    const roots = [...document.body.children];
    const ex = new TextExtractor(roots);
    ex.run();
    const whole = ex.result().text;
    expect(whole).toBe(extractText(document.body).text);
    fc.assert(
      fc.property(fc.nat(whole.length), fc.nat(whole.length), (a, b) => {
        expect(ex.slice(a, b)).toBe(whole.slice(a, b));
      }),
    );
  });

  it('walks an element of 20,000 children in steps as short as any other', () => {
    const main = document.createElement('main');
    for (let i = 0; i < 20_000; i++) main.appendChild(document.createElement('span')).textContent = 'word ';
    document.body.replaceChildren(main);
    const ex = new TextExtractor(document.body);
    let clock = 0;
    let runs = 0;
    let most = 0;
    for (let before = 0; !ex.run(clock + 1, () => clock++); runs++) {
      most = Math.max(most, ex.visited - before);
      before = ex.visited;
    }
    expect(ex.length).toBe(100_000);
    expect(runs).toBeGreaterThan(150);
    // The clock is read every 64 nodes: a step ends at the second look past its deadline.
    expect(most).toBeLessThanOrEqual(2 * 64);
  });

  it('looks at a bounded window per chunk, even on text without a line break', () => {
    const text = 'lorem ipsum '.repeat(200_000); // 2.4 MB, one line
    let longest = 0;
    const source = {
      length: text.length,
      slice: (a: number, b: number) => {
        longest = Math.max(longest, b - a);
        return text.slice(a, b);
      },
    };
    for (let from = 0; from < text.length;) {
      const c = nextChunk(source, from);
      expect(c.end).toBeGreaterThan(from);
      expect(nextChunk(text, from)).toEqual(c);
      from = c.end;
    }
    expect(longest).toBeLessThanOrEqual(2 * ANALYZE_CHUNK_CHARS + ANALYZE_LEAD_CHARS + 1);
  });
});
