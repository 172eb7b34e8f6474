/**
 * Trust checklist 7: every message is validated at runtime. Thousands of malformed, oversized and
 * foreign-sender messages go to the background's real handler (BackgroundHub.onMessage over WXT's
 * fake browser): none throws, none from a foreign sender or a web page reaches a privileged action,
 * anything malformed is dropped, and nothing ever lands in storage.local.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BackgroundHub, type AnalysisPort } from '../../../lib/messaging/background';
import {
  ANALYZE_PORT,
  MAX_ANALYZE_CHARS,
  MAX_FINDINGS_PER_MESSAGE,
  MAX_STRING,
  parseBackgroundMessage,
  parseContentMessage,
  parsePanelMessage,
} from '../../../lib/messaging/contract';
import { loadKnowledge } from '../../../scripts/load-knowledge';
import { deniedAura } from '../wire-finding';

const api = fakeBrowser as unknown as WxtBrowser;
const EXT_URL = () => fakeBrowser.runtime.getURL('/sidepanel.html');

const finding = deniedAura;

/** Spies on every privileged call the background can make. */
function instrument() {
  const calls = {
    executeScript: vi.fn().mockResolvedValue([]),
    insertCSS: vi.fn().mockResolvedValue(undefined),
    sendMessage: vi.fn().mockResolvedValue(undefined),
    open: vi.fn().mockResolvedValue(undefined),
  };
  Object.assign(fakeBrowser.scripting, { executeScript: calls.executeScript, insertCSS: calls.insertCSS });
  Object.assign(fakeBrowser.tabs, { sendMessage: calls.sendMessage });
  (fakeBrowser as unknown as { sidePanel: unknown }).sidePanel = { open: calls.open };
  return calls;
}

const TYPES = ['findings', 'open-entry', 'get-tab', 'scan-tab', 'reveal', 'step', 'pause', 'resume', '__proto__', ''];
const junk = fc.oneof(
  fc.anything(),
  fc.string({ maxLength: 50 }),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(-1),
  fc.constant(2 ** 31),
  fc.constant(Number.NaN),
  fc.constant('x'.repeat(MAX_STRING + 1)),
);
/** Messages shaped like the real ones, with each field possibly wrong. */
const nearMessage = fc.record(
  {
    type: fc.constantFrom(...TYPES),
    tabId: fc.oneof(fc.nat(100), junk),
    frameId: fc.oneof(fc.nat(5), junk),
    index: fc.oneof(fc.nat(100), junk),
    entryId: fc.oneof(fc.constantFrom('aura', 'migraine', '../etc', 'A B', ''), junk),
    direction: fc.oneof(fc.constantFrom(1, -1, 0, 2), junk),
    findings: fc.oneof(
      fc.constant([finding]),
      fc.array(fc.record({ ...Object.fromEntries(Object.keys(finding).map((k) => [k, junk])) }), { maxLength: 3 }),
      fc.constant([{ ...finding, sentence: 'y'.repeat(MAX_STRING + 1) }]),
      fc.constant([{ ...finding, concept: '<script>' }]),
      fc.constant([
        { ...finding, cues: Array(11).fill({ flag: 'negated', text: 'no', start: 0, end: 2, kind: 'phrase' }) },
      ]),
      junk,
    ),
    fields: fc.oneof(fc.constant([]), junk),
  },
  { requiredKeys: [] },
);
const message = fc.oneof(nearMessage, junk);

const sender = fc.oneof(
  // The extension's own content script in a tab.
  fc.record({ kind: fc.constant('content' as const), tab: fc.nat(50), frameId: fc.nat(3) }),
  // The extension's own page (panel, options).
  fc.record({ kind: fc.constant('panel' as const) }),
  // Another extension, or a web page pretending (any URL, any tab).
  fc.record({ kind: fc.constant('foreign' as const), id: fc.string({ maxLength: 40 }), tab: fc.option(fc.nat(50)) }),
  // Own id but neither a tab nor an extension URL (e.g. an offscreen or devtools context).
  fc.record({ kind: fc.constant('odd' as const), url: fc.option(fc.webUrl()) }),
);

function toSender(s: Record<string, unknown>) {
  const id = fakeBrowser.runtime.id;
  switch (s.kind) {
    case 'content':
      return { id, tab: { id: s.tab } as never, frameId: s.frameId as number, url: 'https://ehr.example.org/note' };
    case 'panel':
      return { id, url: EXT_URL() };
    case 'foreign':
      return {
        id: s.id === id ? `${id}-other` : (s.id as string),
        url: EXT_URL(),
        tab: s.tab === null ? undefined : ({ id: s.tab } as never),
      };
    default:
      return { id, url: (s.url as string | null) ?? undefined };
  }
}

describe('background message fuzz', () => {
  beforeEach(() => fakeBrowser.reset());

  it('never throws; drops what does not parse; foreign senders reach nothing', async () => {
    await fc.assert(
      fc.asyncProperty(message, sender, async (msg, s) => {
        fakeBrowser.reset();
        const calls = instrument();
        const hub = new BackgroundHub(api);
        const snd = toSender(s as Record<string, unknown>);
        let result: unknown;
        expect(() => (result = hub.onMessage(msg, snd))).not.toThrow();
        if (result instanceof Promise) await result.catch(() => undefined);

        const parsedAsPanel = parsePanelMessage(msg);
        const parsedAsContent = parseContentMessage(msg);
        if (s.kind === 'foreign' || s.kind === 'odd') {
          expect(result).toBeUndefined();
        }
        if (s.kind === 'content' && !parsedAsContent) expect(result).toBeUndefined();
        if (s.kind === 'panel' && !parsedAsPanel) expect(result).toBeUndefined();
        // Privileged actions (inject into a tab, message a tab) only on a valid panel request.
        const privileged = calls.executeScript.mock.calls.length + calls.sendMessage.mock.calls.length;
        if (!(s.kind === 'panel' && parsedAsPanel && parsedAsPanel.type !== 'get-tab')) expect(privileged).toBe(0);
        // The side panel opens only for a content script's valid open-entry.
        if (!(s.kind === 'content' && parsedAsContent?.type === 'open-entry'))
          expect(calls.open).not.toHaveBeenCalled();
        // Page text is never persisted.
        expect(await fakeBrowser.storage.local.get(null)).toEqual({});
        expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
        // Session storage holds tab state only, under tab keys.
        for (const k of Object.keys(await fakeBrowser.storage.session.get(null))) expect(k).toMatch(/^tab:\d+$/);
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it('the analysis port: never throws, answers only its own content scripts, and only with its findings', async () => {
    const lexicon = loadKnowledge().lexicon;
    const request = fc.record(
      {
        type: fc.oneof(fc.constantFrom('analyze', 'findings', ''), junk),
        id: fc.oneof(fc.nat(1000), junk),
        text: fc.oneof(
          fc.constantFrom('Denies aura. Mother with migraine.', '', 'x'.repeat(MAX_ANALYZE_CHARS + 1)),
          fc.string({ maxLength: 80 }),
          junk,
        ),
        offset: fc.oneof(fc.nat(100_000), junk),
        complete: fc.oneof(fc.boolean(), junk),
        from: fc.oneof(fc.nat(100_000), junk),
        to: fc.oneof(fc.nat(200_000), junk),
        hash: fc.oneof(fc.constantFrom(lexicon.hash, 'other'), junk),
      },
      { requiredKeys: [] },
    );
    // Well formed in every field, so that answers with findings are checked too.
    const wellFormed = fc.record({
      type: fc.constant('analyze'),
      id: fc.nat(1000),
      text: fc.constantFrom('Denies aura. Mother with migraine.', 'Ketamine infusion; monitor BP.', ''),
      offset: fc.nat(100_000),
      complete: fc.boolean(),
      from: fc.nat(200_000),
      to: fc.nat(200_000),
      hash: fc.constant(lexicon.hash),
    });
    let withFindings = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(request, wellFormed, junk),
        sender,
        fc.constantFrom(ANALYZE_PORT, 'other', ''),
        (msg, s, name) => {
          fakeBrowser.reset();
          const calls = instrument();
          const hub = new BackgroundHub(api, () => null, lexicon);
          const answers: unknown[] = [];
          let closed = false;
          let listener: ((m: unknown) => void) | null = null;
          const port: AnalysisPort = {
            name,
            sender: toSender(s as Record<string, unknown>),
            postMessage: (m) => answers.push(m),
            disconnect: () => void (closed = true),
            onMessage: { addListener: (l) => (listener = l) },
          };
          expect(() => hub.onConnect(port)).not.toThrow();
          // Only a content script of its own, in a tab, on the analysis port, keeps the port open.
          expect(closed).toBe(!(s.kind === 'content' && name === ANALYZE_PORT));
          expect(listener === null).toBe(closed);
          if (listener) expect(() => listener!(msg)).not.toThrow();
          const id = (msg as { id?: unknown } | null)?.id;
          const named = typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < 2 ** 31;
          expect(answers.length).toBe(listener && named ? 1 : 0);
          for (const a of answers) {
            const keys = Object.keys(a as object).sort();
            // The id alone, or the id with the lexicon's findings: never anything of the request.
            expect([['id'], ['base', 'hash', 'id', 'rows']]).toContainEqual(keys);
            expect((a as { id: number }).id).toBe(id);
            if (keys.length > 1) {
              expect((a as { hash: string }).hash).toBe(lexicon.hash);
              withFindings++;
            }
          }
          expect(calls.executeScript).not.toHaveBeenCalled();
          expect(calls.sendMessage).not.toHaveBeenCalled();
          expect(calls.open).not.toHaveBeenCalled();
        },
      ),
      { numRuns: 2000 },
    );
    // The property held for well-formed requests too, answered with their findings.
    expect(withFindings).toBeGreaterThan(0);
  }, 60_000);

  it('rejects oversized messages at the contract', () => {
    const many = Array(MAX_FINDINGS_PER_MESSAGE + 1).fill(finding);
    expect(parseContentMessage({ type: 'findings', findings: many, fields: [] })).toBeNull();
    expect(parseContentMessage({ type: 'findings', findings: [finding], fields: many })).toBeNull();
    expect(
      parseContentMessage({
        type: 'findings',
        findings: [{ ...finding, sentence: 's'.repeat(MAX_STRING + 1) }],
        fields: [],
      }),
    ).toBeNull();
    expect(parseContentMessage({ type: 'open-entry', entryId: 'a'.repeat(101) })).toBeNull();
    expect(parseContentMessage({ type: 'findings', findings: [finding], fields: [] })).not.toBeNull();
  });

  it('content-side parser: only the closed set of commands passes', () => {
    fc.assert(
      fc.property(message, (msg) => {
        const m = parseBackgroundMessage(msg);
        if (m) expect(['step', 'reveal', 'pause', 'resume']).toContain(m.type);
        // What passes is rebuilt from known fields only: nothing extra rides along.
        if (m) expect(Object.keys(m).every((k) => ['type', 'direction', 'index'].includes(k))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  }, 60_000);

  it('a prototype-polluting message changes nothing', async () => {
    instrument();
    const hub = new BackgroundHub(api);
    const evil = JSON.parse('{"type":"findings","findings":[],"fields":[],"__proto__":{"polluted":true}}');
    await hub.onMessage(evil, { id: fakeBrowser.runtime.id, tab: { id: 3 } as never, frameId: 0 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
