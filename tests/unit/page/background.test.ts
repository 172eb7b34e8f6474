import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BackgroundHub, MAX_FINDINGS_PER_FRAME, MENU_ALWAYS, MENU_SCAN } from '../../../lib/messaging/background';
import type { TabState } from '../../../lib/messaging/contract';
import { deniedAura } from '../wire-finding';

const api = fakeBrowser as unknown as WxtBrowser;
const finding = { ...deniedAura, title: 'Migraine aura' };
const fromPage = (tabId: number, frameId = 0) => ({
  id: fakeBrowser.runtime.id,
  tab: { id: tabId } as never,
  frameId,
  url: 'http://ehr.test/',
});
const fromPanel = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/sidepanel.html') });

function stubScripting() {
  const s = {
    insertCSS: vi.fn().mockResolvedValue(undefined),
    executeScript: vi.fn().mockResolvedValue([]),
    getRegisteredContentScripts: vi.fn().mockResolvedValue([]),
    registerContentScripts: vi.fn().mockResolvedValue(undefined),
    updateContentScripts: vi.fn().mockResolvedValue(undefined),
    unregisterContentScripts: vi.fn().mockResolvedValue(undefined),
  };
  (fakeBrowser as unknown as { scripting: unknown }).scripting = s;
  return s;
}

describe('BackgroundHub: the page side', () => {
  beforeEach(() => fakeBrowser.reset());

  it('answers the card’s entry-brief from the lookup it was given', async () => {
    const hub = new BackgroundHub(api, (id) => (id === 'aura' ? { summary: 'S', evidence: 'established' } : null));
    expect(await hub.onMessage({ type: 'entry-brief', entryId: 'aura' }, fromPage(1))).toEqual({
      summary: 'S',
      evidence: 'established',
    });
    expect(await hub.onMessage({ type: 'entry-brief', entryId: 'nope' }, fromPage(1))).toBeNull();
  });

  it('appends the parts of a long list, within a bound', async () => {
    const hub = new BackgroundHub(api);
    await hub.onMessage({ type: 'findings', findings: [finding], fields: [] }, fromPage(4));
    await hub.onMessage({ type: 'findings', findings: [finding, finding], fields: [], append: true }, fromPage(4));
    expect(hub.state(4).frames[0]!.findings).toHaveLength(3);
    await hub.onMessage({ type: 'findings', findings: [finding], fields: [] }, fromPage(4));
    expect(hub.state(4).frames[0]!.findings).toHaveLength(1);
    const many = Array.from({ length: 5000 }, () => finding);
    for (let i = 0; i < 6; i++)
      await hub.onMessage({ type: 'findings', findings: many, fields: [], append: true }, fromPage(4));
    expect(hub.state(4).frames[0]!.findings.length).toBe(MAX_FINDINGS_PER_FRAME);
  });

  it('keeps the total a frame reports beyond what it sends, and drops it with a list that has none', async () => {
    const hub = new BackgroundHub(api);
    await hub.onMessage({ type: 'findings', findings: [finding], fields: [], total: 30_000 }, fromPage(4));
    expect(hub.state(4).frames[0]!.total).toBe(30_000);
    await hub.onMessage({ type: 'findings', findings: [], fields: [], append: true, total: 30_100 }, fromPage(4));
    expect(hub.state(4).frames[0]).toMatchObject({ total: 30_100, findings: [finding] });
    await hub.onMessage({ type: 'findings', findings: [finding], fields: [] }, fromPage(4));
    expect(hub.state(4).frames[0]!.total).toBeUndefined();
    for (const total of [-1, 1.5, '30000', 1e9])
      expect(
        await hub.onMessage({ type: 'findings', findings: [finding], fields: [], total }, fromPage(5)),
      ).toBeUndefined();
    expect(hub.state(5).frames).toEqual([]);
  });

  it('halves the lists, keeping the totals, when storage refuses a write for its size', async () => {
    const hub = new BackgroundHub(api);
    // A storage that holds at most 100 findings, as the 10 MB quota holds about 10,000.
    const real = fakeBrowser.storage.session.set.bind(fakeBrowser.storage.session);
    vi.spyOn(fakeBrowser.storage.session, 'set').mockImplementation(async (items) => {
      const state = Object.values(items)[0] as TabState;
      const n = state.frames.reduce((k, f) => k + f.findings.length + f.fields.length, 0);
      if (n > 100) throw new Error('Resource::kQuotaBytes quota exceeded');
      return real(items);
    });
    const many = Array.from({ length: 300 }, () => finding);
    await hub.onMessage({ type: 'findings', findings: many, fields: [finding] }, fromPage(4));
    await hub.onMessage({ type: 'findings', findings: many.slice(0, 50), fields: [] }, fromPage(4, 2));
    const stored = (await fakeBrowser.storage.session.get('tab:4'))['tab:4'] as TabState;
    expect(stored.frames.map((f) => [f.findings.length, f.fields.length, f.total])).toEqual([
      // 301 then 150 did not fit, 75 did; with the second frame's 50, both were halved again.
      [37, 0, 301],
      [25, 0, 50],
    ]);
    // Findings appended later count towards the frame's total.
    await hub.onMessage({ type: 'findings', findings: [finding, finding], fields: [], append: true }, fromPage(4, 2));
    expect(hub.state(4).frames[1]!.total).toBe(52);
  });

  it('stores a tab one write at a time, each the latest state: many parts cost a few writes', async () => {
    const hub = new BackgroundHub(api);
    const written: number[] = [];
    const set = vi.spyOn(fakeBrowser.storage.session, 'set').mockImplementation(async (items) => {
      const state = Object.values(items)[0] as { frames: { findings: unknown[] }[] };
      written.push(state.frames[0]?.findings.length ?? 0);
      await new Promise((r) => setTimeout(r, 5));
    });
    const first = hub.onMessage({ type: 'findings', findings: [finding], fields: [] }, fromPage(3));
    const parts = Array.from({ length: 40 }, () =>
      hub.onMessage({ type: 'findings', findings: [finding, finding], fields: [], append: true }, fromPage(3)),
    );
    // A part's reply comes only once a write holding it is stored.
    await parts[0];
    expect(written[written.length - 1]).toBe(81);
    expect(await Promise.all([first, ...parts])).toEqual(Array(41).fill(true));
    // The first part's write, then one write of everything that came meanwhile.
    expect(written).toEqual([1, 81]);
    // A later change is written again.
    await hub.onMessage({ type: 'findings', findings: [finding], fields: [], append: true }, fromPage(3));
    expect(written).toEqual([1, 81, 82]);
    set.mockRestore();
  });

  it('pauses a tab: tells its frames, forgets its findings, ignores reports until resumed', async () => {
    const hub = new BackgroundHub(api);
    const sent = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue(undefined);
    await hub.onMessage({ type: 'findings', findings: [finding], fields: [] }, fromPage(7));
    await hub.onMessage({ type: 'pause-tab', tabId: 7 }, fromPanel());
    expect(sent).toHaveBeenCalledWith(7, { type: 'pause' }, undefined);
    expect(hub.state(7)).toMatchObject({ paused: true, frames: [] });
    await hub.onMessage({ type: 'findings', findings: [finding], fields: [] }, fromPage(7));
    expect(hub.state(7).frames).toEqual([]);
    await hub.onMessage({ type: 'resume-tab', tabId: 7 }, fromPanel());
    expect(sent).toHaveBeenLastCalledWith(7, { type: 'resume' }, undefined);
    expect(hub.state(7).paused).toBe(false);
  });

  it('does not take pause or always-scan from a page', async () => {
    const hub = new BackgroundHub(api);
    expect(hub.onMessage({ type: 'pause-tab', tabId: 7 }, fromPage(7))).toBeUndefined();
    expect(hub.onMessage({ type: 'always-scan', tabId: 7 }, fromPage(7))).toBeUndefined();
  });

  it('always scan this site: asks for the origin first, then registers and scans', async () => {
    const scripting = stubScripting();
    const hub = new BackgroundHub(api);
    const request = vi.fn().mockResolvedValue(true);
    (fakeBrowser.permissions as unknown as { request: unknown }).request = request;
    // The fake's types give getAll no result (callback style); the real one resolves to this.
    vi.spyOn(fakeBrowser.permissions, 'getAll').mockResolvedValue({ origins: ['https://ehr.example.org/*'] } as never);
    await hub.onMenuClicked({ menuItemId: MENU_ALWAYS }, { id: 3, url: 'https://ehr.example.org/chart?id=1' });
    expect(request).toHaveBeenCalledWith({ origins: ['https://ehr.example.org/*'] });
    expect(request.mock.invocationCallOrder[0]).toBeLessThan(
      scripting.registerContentScripts.mock.invocationCallOrder[0]!,
    );
    expect(scripting.registerContentScripts.mock.calls[0]![0][0]).toMatchObject({
      matches: ['https://ehr.example.org/*'],
    });
    expect(scripting.executeScript).toHaveBeenCalledWith(
      expect.objectContaining({ target: { tabId: 3, allFrames: true } }),
    );
  });

  it('always scan this site: a refusal registers nothing', async () => {
    const scripting = stubScripting();
    const hub = new BackgroundHub(api);
    (fakeBrowser.permissions as unknown as { request: unknown }).request = vi.fn().mockResolvedValue(false);
    expect(await hub.alwaysScan(3, 'https://ehr.example.org/')).toEqual({
      granted: false,
      origin: 'https://ehr.example.org/*',
    });
    expect(await hub.alwaysScan(3, 'file:///x.html')).toEqual({ granted: false, origin: null });
    expect(scripting.registerContentScripts).not.toHaveBeenCalled();
    expect(scripting.executeScript).not.toHaveBeenCalled();
  });

  it('scan this page from the menu injects into every frame', async () => {
    const scripting = stubScripting();
    const hub = new BackgroundHub(api);
    await hub.onMenuClicked({ menuItemId: MENU_SCAN }, { id: 5 });
    expect(scripting.executeScript).toHaveBeenCalledWith(
      expect.objectContaining({ target: { tabId: 5, allFrames: true } }),
    );
  });
});
