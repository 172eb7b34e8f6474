import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { analyze, createEngine } from '../../../lib/engine/analyze';
import type { Finding } from '../../../lib/engine/types';
import { NAMED_STRINGS_MAX, decodeFindings, encodeFindings } from '../../../lib/messaging/analysis';
import { BackgroundHub, type AnalysisPort } from '../../../lib/messaging/background';
import { ANALYZE_PORT, MAX_ANALYZE_CHARS, parseAnalyzeRequest } from '../../../lib/messaging/contract';
import { remoteAnalysis, type ContentPort } from '../../../lib/page/content-main';
import { extractText } from '../../../lib/page/extract';
import { PageScanner, analyzeChunk, type RemoteAnalysis } from '../../../lib/page/scanner';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const lexicon = loadKnowledge().lexicon;
const engine = createEngine(lexicon);
const api = fakeBrowser as unknown as WxtBrowser;
const fromPage = { id: fakeBrowser.runtime.id, tab: { id: 1 } as never, frameId: 0, url: 'http://ehr.test/' };

const SAMPLE = [
  'Chief complaint: headache.',
  'HPI: 34F with migraine with aura since her 20s. Denies photophobia; reports nausea and phonophobia.',
  'Family History',
  'Mother with migraine.',
  'Aura',
  'No',
  'Time\tNausea\tVomiting',
  '10:00\tNo\tYes',
  '10:15\tNo\tNo',
  'Ketamine infusion started; monitor for emergence reactions. Rule out SAH. G43.109',
].join('\n');

function pageText(name: string): string {
  const win = new Window();
  win.document.write(readFileSync(`tests/fixtures/pages/${name}`, 'utf8'));
  return extractText(win.document.body as unknown as Node).text;
}

type Listener = (msg: unknown) => void;

/**
 * A runtime.connect between a content script and `hub`, as the browser makes it: each side's
 * posts reach the other's listeners in a later task, and either side's disconnect tells the other.
 */
function connectTo(hub: BackgroundHub, sender: AnalysisPort['sender'] = fromPage) {
  const toPage: Listener[] = [];
  const toHub: Listener[] = [];
  const pageGone: (() => void)[] = [];
  let open = true;
  const posted: unknown[] = [];
  const bgPort: AnalysisPort = {
    name: '',
    sender,
    postMessage: (m) => void setTimeout(() => open && toPage.forEach((l) => l(structuredClone(m)))),
    disconnect: () => {
      open = false;
      pageGone.forEach((l) => l());
    },
    onMessage: { addListener: (l) => toHub.push(l) },
  };
  const connect = (name: string): ContentPort => {
    if (!open) throw new Error('Extension context invalidated.');
    bgPort.name = name;
    hub.onConnect(bgPort);
    return {
      postMessage: (m) => {
        if (!open) throw new Error('Attempting to use a disconnected port object');
        posted.push(m);
        setTimeout(() => open && toHub.forEach((l) => l(structuredClone(m))));
      },
      disconnect: () => void (open = false),
      onMessage: { addListener: (l) => toPage.push(l) },
      onDisconnect: { addListener: (l) => pageGone.push(l) },
    };
  };
  return { connect, posted, isOpen: () => open, bgPort };
}

/** Every finding of a text: the widest range a request may name. */
const ALL = { from: 0, to: 2 ** 31 - 1 };

/** What the background answers for a chunk, decoded as the content script decodes it. */
async function viaBackground(
  hub: BackgroundHub,
  text: string,
  offset: number,
  complete: boolean,
  range: { from: number; to: number } = ALL,
) {
  const remote = remoteAnalysis(connectTo(hub).connect, lexicon, new AbortController().signal);
  return remote(text, offset, complete, new Map(), range);
}

/** The background's raw answer to one request on its port. */
function answerTo(hub: BackgroundHub, request: unknown): Promise<unknown> {
  const { connect } = connectTo(hub);
  const port = connect(ANALYZE_PORT);
  return new Promise((resolve) => {
    port.onMessage.addListener(resolve);
    port.postMessage(request);
  });
}

describe('analysis in the background', () => {
  it('gives the findings the page would make itself, cues and sentences included', async () => {
    const hub = new BackgroundHub(api, () => null, lexicon);
    for (const offset of [0, 12_345]) {
      const local = analyze(engine, SAMPLE, offset);
      expect(local.length).toBeGreaterThan(8);
      expect(local.some((f) => f.cues.some((c) => c.kind === 'column'))).toBe(true);
      expect(local.some((f) => f.cues.some((c) => c.kind === 'section'))).toBe(true);
      expect(await viaBackground(hub, SAMPLE, offset, true)).toEqual(local);
    }
    // An update's chunk: its lead-in lies before the blocks it reads (negative offsets), and
    // only the findings in the blocks are asked for.
    const offset = -SAMPLE.indexOf('Mother');
    const range = { from: 0, to: SAMPLE.length + offset };
    const local = analyze(engine, SAMPLE, offset, new Map(), true, range);
    expect(local.length).toBeGreaterThan(4);
    expect(local.some((f) => f.assertion === 'family' && f.cues.some((c) => c.kind === 'section' && c.start < 0))).toBe(
      true,
    );
    expect(await viaBackground(hub, SAMPLE, offset, true, range)).toEqual(local);
  });

  it('gives the same findings on every fixture page, chunk by chunk', async () => {
    const hub = new BackgroundHub(api, () => null, lexicon);
    for (const name of ['infusion-ketamine-encounter.html', 'indented-markup.html', 'neurology-clinic-note.html']) {
      const text = pageText(name);
      for (let from = 0; from < text.length;) {
        const chunk = analyzeChunk(engine, text, from, 2_000);
        const lead = chunk.lead;
        // The chunk's text as the scanner sends it: from its lead-in to the end of what it reads.
        const whole = analyze(engine, text.slice(lead), lead, new Map(), true);
        const remote = await viaBackground(hub, text.slice(lead), lead, true);
        expect(remote, `${name} at ${from}`).toEqual(whole);
        from = chunk.end;
      }
    }
  });

  it('answers nothing for another lexicon, and the reply of another lexicon is not read', async () => {
    const hub = new BackgroundHub(api, () => null, lexicon);
    const request = { type: 'analyze', id: 7, text: SAMPLE, offset: 0, complete: true, ...ALL, hash: lexicon.hash };
    expect(await answerTo(hub, { ...request, hash: 'other' })).toEqual({ id: 7 });
    const reply = await answerTo(hub, request);
    expect(reply).toMatchObject({ id: 7, hash: lexicon.hash });
    expect(decodeFindings(reply, SAMPLE, 0, lexicon.concepts, lexicon.hash)).toEqual(analyze(engine, SAMPLE));
    expect(decodeFindings(reply, SAMPLE, 0, lexicon.concepts, 'other')).toBeNull();
    // Without a lexicon (a background that failed to load one) there is no answer either.
    expect(new BackgroundHub(api).analyze(SAMPLE, 0, true, lexicon.hash)).toBeNull();
  });

  it('rejects malformed and oversized requests, answering those that name their id with nothing', async () => {
    const ok = { type: 'analyze', id: 3, text: 'aura', offset: 0, complete: true, from: 0, to: 4, hash: lexicon.hash };
    expect(parseAnalyzeRequest(ok)).toEqual(ok);
    expect(parseAnalyzeRequest({ ...ok, extra: 'dropped' })).toEqual(ok);
    // An update's chunk may start in the text before the blocks it reads.
    expect(parseAnalyzeRequest({ ...ok, offset: -40 })).toEqual({ ...ok, offset: -40 });
    for (const bad of [
      { text: 'x'.repeat(MAX_ANALYZE_CHARS + 1) },
      { offset: 0.5 },
      { offset: -(2 ** 31) },
      { offset: '0' },
      { complete: 'yes' },
      { from: undefined },
      { to: -1 },
      { text: 42 },
      { type: 'findings' },
    ])
      expect(parseAnalyzeRequest({ ...ok, ...bad })).toEqual({ id: 3 });
    for (const bad of [null, 'analyze', [], { ...ok, id: -1 }, { ...ok, id: 1.5 }, { ...ok, id: '3' }])
      expect(parseAnalyzeRequest(bad)).toBeNull();
    const hub = new BackgroundHub(api, () => null, lexicon);
    expect(await answerTo(hub, { ...ok, offset: 0.5 })).toEqual({ id: 3 });
    // Sent as a one-off message instead of on the port, a request is not answered at all.
    expect(await hub.onMessage(ok, fromPage)).toBeUndefined();
  });

  it('closes ports of another name or from anywhere but a content script of its own in a tab', () => {
    const hub = new BackgroundHub(api, () => null, lexicon);
    const senders = [
      { ...fromPage, id: 'another-extension' },
      { id: fromPage.id, frameId: 0, url: 'http://ehr.test/' }, // no tab
      { id: fromPage.id, url: fakeBrowser.runtime.getURL('/sidepanel.html'), tab: { id: 1 } as never },
    ];
    for (const sender of senders) {
      const link = connectTo(hub, sender);
      link.connect(ANALYZE_PORT);
      expect(link.isOpen(), JSON.stringify(sender)).toBe(false);
    }
    const other = connectTo(hub);
    other.connect('something-else');
    expect(other.isOpen()).toBe(false);
    const own = connectTo(hub);
    own.connect(ANALYZE_PORT);
    expect(own.isOpen()).toBe(true);
  });

  it('sends every chunk on one port, and a port that closes with chunks out leaves them to the page', async () => {
    const hub = new BackgroundHub(api, () => null, lexicon);
    const link = connectTo(hub);
    let connects = 0;
    const remote = remoteAnalysis(
      (name) => {
        connects++;
        return link.connect(name);
      },
      lexicon,
      new AbortController().signal,
    );
    const texts = SAMPLE.split('\n');
    const answers = await Promise.all(texts.map((t) => remote(t, 0, true, new Map(), ALL)));
    expect(answers).toEqual(texts.map((t) => analyze(engine, t, 0, new Map(), true)));
    expect(connects).toBe(1);
    expect(link.posted.map((m) => (m as { id: number }).id)).toEqual(texts.map((_, i) => i));
    // The background goes away with a chunk out: that chunk comes back null, at once.
    const out = remote(SAMPLE, 0, true, new Map(), ALL);
    link.bgPort.disconnect();
    expect(await out).toBeNull();
    // And a port that can no longer be opened (the extension was updated) answers null too.
    expect(await remote(SAMPLE, 0, true, new Map(), ALL)).toBeNull();
  });

  it('opens a new port when an answer cannot be read, its strings and the background’s apart', async () => {
    const hub = new BackgroundHub(api, () => null, lexicon);
    const links: ReturnType<typeof connectTo>[] = [];
    const remote = remoteAnalysis(
      (name) => {
        const link = connectTo(hub);
        links.push(link);
        if (links.length === 1) {
          // This port's answers claim strings the page was never sent.
          const post = link.bgPort.postMessage;
          link.bgPort.postMessage = (m) => post({ ...(m as object), base: 7 });
        }
        return link.connect(name);
      },
      lexicon,
      new AbortController().signal,
    );
    expect(await remote('Denies aura.', 0, true, new Map(), ALL)).toBeNull();
    expect(links[0]!.isOpen()).toBe(false);
    const local = analyze(engine, 'Denies aura.', 0, new Map(), true);
    expect(local.length).toBe(1);
    expect(await remote('Denies aura.', 0, true, new Map(), ALL)).toEqual(local);
    expect(links).toHaveLength(2);
  });

  it('keeps only the findings in the range it asked for, whatever the answer holds', async () => {
    const conceptIndex = new Map(lexicon.concepts.map((c, i) => [c.id, i] as const));
    const listeners: ((m: unknown) => void)[] = [];
    // A background that answers every finding of the chunk, the range not heeded.
    const port: ContentPort = {
      postMessage: (m) => {
        const r = m as { id: number; text: string; offset: number };
        const all = encodeFindings(analyze(engine, r.text, r.offset), r.text, r.offset, conceptIndex, lexicon.hash);
        setTimeout(() => listeners.forEach((l) => l({ id: r.id, ...all })));
      },
      disconnect: () => undefined,
      onMessage: { addListener: (l) => void listeners.push(l) },
      onDisconnect: { addListener: () => undefined },
    };
    const remote = remoteAnalysis(() => port, lexicon, new AbortController().signal);
    const from = SAMPLE.indexOf('Family');
    const to = SAMPLE.indexOf('Time');
    const got = await remote(SAMPLE, 0, true, new Map(), { from, to });
    expect(got!.length).toBeGreaterThan(0);
    expect(got!.length).toBeLessThan(analyze(engine, SAMPLE).length);
    expect(got).toEqual(analyze(engine, SAMPLE).filter((f) => f.start >= from && f.start < to));
  });

  it('answers null once the content script is stopped, and closes its port', async () => {
    const hub = new BackgroundHub(api, () => null, lexicon);
    const link = connectTo(hub);
    const ac = new AbortController();
    const remote = remoteAnalysis(link.connect, lexicon, ac.signal);
    const out = remote(SAMPLE, 0, true, new Map(), ALL);
    ac.abort();
    expect(await out).toBeNull();
    expect(await remote(SAMPLE, 0, true, new Map(), ALL)).toBeNull();
  });

  it('reads no malformed reply: wrong numbers, indices out of range, spans past the text', () => {
    const local = analyze(engine, SAMPLE);
    const conceptIndex = new Map(lexicon.concepts.map((c, i) => [c.id, i] as const));
    const good = encodeFindings(local, SAMPLE, 0, conceptIndex, lexicon.hash)!;
    expect(decodeFindings(good, SAMPLE, 0, lexicon.concepts, lexicon.hash)).toEqual(local);
    const bad = (rows: unknown, base: unknown = 0) =>
      decodeFindings({ hash: lexicon.hash, base, rows }, SAMPLE, 0, lexicon.concepts, lexicon.hash);
    expect(bad(good.rows.replace(/,[^,]*$/, ''))).toBeNull(); // cut short
    expect(bad('zzzzz,0,4,0,0,0,10,0')).toBeNull(); // no such concept
    expect(bad(`0,0,${(SAMPLE.length + 1).toString(36)},0,0,0,1,0`)).toBeNull(); // past the text
    expect(bad('0,0,4,9,0,0,1,0')).toBeNull(); // no such assertion
    expect(bad('0,0,-1,0,0,0,1,0')).toBeNull(); // a negative length
    expect(bad('0,0,4,0,0,0,1,0,,')).toBeNull();
    expect(bad('0,0,4,0,0,0,1,0,0.5')).toBeNull();
    expect(bad('0,0,4,0,0,0,1,--1')).toBeNull();
    expect(bad('0,0,4,0,0,0,1,0,1-2')).toBeNull();
    expect(bad('0,0,4,0,0,0,1,0,A')).toBeNull();
    expect(bad(['0'])).toBeNull();
    expect(bad('0,0,4,0,0,0,-2,0')).toBeNull(); // a string never sent
    expect(bad('0,0,4,0,0,-1,-1,0')).toBeNull(); // a negative start
    expect(bad('0,0,4,0,0,0,1,0', 3)).toBeNull(); // following strings never sent
    expect(bad('0,0,4,0,0,0,1,0', '0')).toBeNull();
    expect(bad('0,0,4,0,0,0,1,0')).not.toBeNull(); // the same, well formed
    expect(bad('0,0,4,0,0,0,-1,0')).not.toBeNull(); // the sentence is the words, sent just before
    expect(decodeFindings(null, SAMPLE, 0, lexicon.concepts, lexicon.hash)).toBeNull();
  });

  it('sends no answer for a finding whose words are not the slice of the text its offsets say', () => {
    const [f] = analyze(engine, 'Denies aura.');
    const conceptIndex = new Map(lexicon.concepts.map((c, i) => [c.id, i] as const));
    expect(encodeFindings([f!], 'Denies aura.', 0, conceptIndex, lexicon.hash)).not.toBeNull();
    for (const changed of [
      { ...f!, sentence: 'Denies aura (edited).' },
      { ...f!, text: 'AURA' },
      { ...f!, cues: [{ ...f!.cues[0]!, text: 'no' }] },
    ])
      expect(encodeFindings([changed], 'Denies aura.', 0, conceptIndex, lexicon.hash)).toBeNull();
  });
});

describe('a first pass analysed elsewhere', () => {
  const html = `<main>${Array.from({ length: 40 }, (_, i) => `<p>Visit ${i}: denies aura; photophobia present. Mother with migraine.</p>`).join('')}</main>`;

  async function scan(remote: RemoteAnalysis | undefined, made?: () => void, onIdle?: () => void) {
    const parsed = new DOMParser().parseFromString(`<!doctype html><html><body>${html}</body></html>`, 'text/html');
    document.body.replaceChildren(...[...parsed.body.childNodes].map((n) => document.importNode(n, true)));
    const ac = new AbortController();
    let reported: Finding[] = [];
    const scanner = new PageScanner({
      win: window,
      engine: made
        ? () => {
            made();
            return engine;
          }
        : engine,
      signal: ac.signal,
      remote,
      onReport: (r) => (reported = r.findings),
    });
    scanner.start();
    await scanner.idle();
    onIdle?.();
    if (made) await new Promise((r) => setTimeout(r, 400));
    ac.abort();
    return { reported, placed: scanner.findings.length, stats: scanner.stats };
  }

  it('places what the background answers, the same as a pass done on the page', async () => {
    const hub = new BackgroundHub(api, () => null, lexicon);
    let calls = 0;
    const remote: RemoteAnalysis = async (text, offset, complete, _strings, range) => {
      calls++;
      return viaBackground(hub, text, offset, complete, range);
    };
    const here = await scan(undefined);
    const there = await scan(remote);
    expect(calls).toBeGreaterThan(0);
    expect(here.reported.length).toBe(120);
    expect(there.reported).toEqual(here.reported);
    expect(there.placed).toBe(here.placed);
    expect(there.stats.remoteChunks).toBe(calls);
    expect(there.stats.remoteMissed).toBe(0);
    expect(here.stats.remoteChunks).toBe(0);
  });

  it('makes the page’s own engine only after the pass, to warm it for updates', async () => {
    const hub = new BackgroundHub(api, () => null, lexicon);
    const remote: RemoteAnalysis = (text, offset, complete, _strings, range) =>
      viaBackground(hub, text, offset, complete, range);
    let made = 0;
    let madeByTheEnd = -1;
    const result = await scan(
      remote,
      () => made++,
      () => (madeByTheEnd = made),
    );
    expect(result.reported.length).toBe(120);
    expect(result.stats.remoteMissed).toBe(0);
    // Every chunk was answered: the pass needed no engine of its own. It was made once the page
    // was idle after it.
    expect(madeByTheEnd).toBe(0);
    expect(made).toBeGreaterThan(0);
    // Without a background, the pass makes it at once.
    let madeHere = 0;
    let madeHereByTheEnd = -1;
    await scan(
      undefined,
      () => madeHere++,
      () => (madeHereByTheEnd = madeHere),
    );
    expect(madeHereByTheEnd).toBeGreaterThan(0);
  });

  it('analyses on the page what is not answered, and stops sending after a failure', async () => {
    let calls = 0;
    const failing: RemoteAnalysis = async () => {
      calls++;
      throw new Error('no background');
    };
    const here = await scan(undefined);
    const fallback = await scan(failing);
    expect(fallback.reported).toEqual(here.reported);
    expect(calls).toBeLessThanOrEqual(2);
    expect(fallback.stats.remoteChunks).toBe(0);
    expect(fallback.stats.remoteMissed).toBeGreaterThan(0);
    const unanswered = await scan(async () => null);
    expect(unanswered.reported).toEqual(here.reported);
  });
});

describe('the reply’s shortcuts', () => {
  it('sends shared cues once, and a string repeated after an extra one is read right', () => {
    const conceptIndex = new Map(lexicon.concepts.map((c, i) => [c.id, i] as const));
    const text = 'Denies aura, photophobia and phonophobia.';
    const local = analyze(engine, text);
    expect(local.length).toBe(3);
    expect(local[1]!.cues).toBe(local[0]!.cues);
    const enc = encodeFindings(local, text, 0, conceptIndex, lexicon.hash)!;
    expect(enc.rows.split(',').filter((n) => n === '-1').length).toBe(2);
    const back = decodeFindings(enc, text, 0, lexicon.concepts, lexicon.hash)!;
    expect(back).toEqual(local);
    expect(back[2]!.cues).toBe(back[0]!.cues);
    // Held by tens of thousands of findings: one empty list for all.
    const many = decodeFindings(
      encodeFindings(analyze(engine, SAMPLE), SAMPLE, 0, conceptIndex, lexicon.hash),
      SAMPLE,
      0,
      lexicon.concepts,
      lexicon.hash,
    )!;
    const empty = many.filter((f) => f.cues.length === 0);
    expect(empty.length).toBeGreaterThan(1);
    expect(new Set(empty.map((f) => f.cues)).size).toBe(1);
    expect(Object.isFrozen(empty[0]!.cues)).toBe(true);
    // A reply cannot begin with "the previous finding's cues".
    const first = enc.rows.split(',');
    const cueCount = 7; // concept, start, length, assertion, bits, sentence start, sentence length
    expect(
      decodeFindings(
        { ...enc, rows: [...first.slice(0, cueCount), '-1'].join(',') },
        text,
        0,
        lexicon.concepts,
        lexicon.hash,
      ),
    ).toBeNull();
  });

  it('names a string the port sent before by its number, and reads nothing once the lists disagree', () => {
    const conceptIndex = new Map(lexicon.concepts.map((c, i) => [c.id, i] as const));
    const text = SAMPLE;
    const local = analyze(engine, text);
    expect(local.length).toBeGreaterThan(8);
    // The background's side of one port, and the page's: two chunks of the same text.
    const sent = new Map<string, number>();
    const first = encodeFindings(local, text, 0, conceptIndex, lexicon.hash, sent)!;
    const second = encodeFindings(local, text, 0, conceptIndex, lexicon.hash, sent)!;
    expect(first.base).toBe(0);
    expect(second.base).toBe(sent.size);
    // Every string of the second is one the first sent: numbers only, no lengths.
    const spans = (rows: string) => rows.split(',').map((n) => parseInt(n, 36));
    expect(spans(second.rows).filter((n) => n < -1).length).toBeGreaterThan(local.length);
    const list: string[] = [];
    expect(decodeFindings(first, text, 0, lexicon.concepts, lexicon.hash, undefined, list)).toEqual(local);
    expect(list.length).toBe(sent.size);
    const again = decodeFindings(second, text, 0, lexicon.concepts, lexicon.hash, undefined, list)!;
    expect(again).toEqual(local);
    // The same strings, not copies: nothing sliced or looked up again.
    expect(again[0]!.sentence).toBe(list[list.indexOf(again[0]!.sentence)]);
    // A list that missed the first reply cannot read the second.
    expect(decodeFindings(second, text, 0, lexicon.concepts, lexicon.hash, undefined, [])).toBeNull();
    // An answer the background could not send takes back the numbers it gave.
    const size = sent.size;
    const wrong = { ...local[0]!, text: 'not the words', end: local[0]!.start + 'not the words'.length };
    expect(encodeFindings([wrong], text, 0, conceptIndex, lexicon.hash, sent)).toBeNull();
    expect(sent.size).toBe(size);
    // Past NAMED_STRINGS_MAX the port starts afresh, and so does the page's list.
    for (let k = sent.size; k <= NAMED_STRINGS_MAX; k++) sent.set(`filler ${k}`, k);
    const fresh = encodeFindings(local, text, 0, conceptIndex, lexicon.hash, sent)!;
    expect(fresh.base).toBe(0);
    expect(decodeFindings(fresh, text, 0, lexicon.concepts, lexicon.hash, undefined, list)).toEqual(local);
    expect(list.length).toBe(sent.size);
  });
});
