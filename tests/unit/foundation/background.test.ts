import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { WxtBrowser } from 'wxt/browser';
import { BackgroundHub } from '../../../lib/messaging/background';
import { tabKey } from '../../../lib/messaging/contract';
import { deniedAura } from '../wire-finding';

const finding = deniedAura;

const api = fakeBrowser as unknown as WxtBrowser;
const fromPage = (tabId: number, frameId = 0) => ({
  id: fakeBrowser.runtime.id,
  tab: { id: tabId } as never,
  frameId,
  url: 'http://ehr.test/',
});

describe('BackgroundHub', () => {
  beforeEach(() => fakeBrowser.reset());

  it('keeps per-tab findings in storage.session and forgets them when the tab closes', async () => {
    const hub = new BackgroundHub(api);
    await hub.onMessage({ type: 'findings', findings: [finding], fields: [] }, fromPage(5));
    const stored = (await fakeBrowser.storage.session.get(tabKey(5)))[tabKey(5)] as {
      frames: { findings: unknown[] }[];
    };
    expect(stored.frames[0]!.findings).toHaveLength(1);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    await hub.forgetTab(5);
    expect(await fakeBrowser.storage.session.get(tabKey(5))).toEqual({});
  });

  it('replaces a frame’s findings instead of piling them up', async () => {
    const hub = new BackgroundHub(api);
    await hub.onMessage({ type: 'findings', findings: [finding], fields: [] }, fromPage(2, 0));
    await hub.onMessage({ type: 'findings', findings: [finding, finding], fields: [] }, fromPage(2, 0));
    await hub.onMessage({ type: 'findings', findings: [finding], fields: [] }, fromPage(2, 7));
    expect(hub.state(2).frames.map((f) => [f.frameId, f.findings.length])).toEqual([
      [0, 2],
      [7, 1],
    ]);
  });

  it('drops malformed and foreign messages without throwing', async () => {
    const hub = new BackgroundHub(api);
    expect(hub.onMessage({ type: 'findings', findings: 'nope' }, fromPage(1))).toBeUndefined();
    expect(
      hub.onMessage({ type: 'findings', findings: [], fields: [] }, { ...fromPage(1), id: 'another-extension' }),
    ).toBeUndefined();
    expect(hub.onMessage(null, fromPage(1))).toBeUndefined();
  });

  it('sets the entry to focus when a highlight is clicked', async () => {
    const hub = new BackgroundHub(api);
    const open = vi.fn().mockResolvedValue(undefined);
    (fakeBrowser as unknown as { sidePanel: unknown }).sidePanel = { open };
    await hub.onMessage({ type: 'open-entry', entryId: 'aura' }, fromPage(9));
    expect(hub.state(9).focusEntry).toBe('aura');
    expect(open).toHaveBeenCalledWith({ tabId: 9 });
  });
});
