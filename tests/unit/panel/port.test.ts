import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { tabKey, type TabState } from '../../../lib/messaging/contract';
import { browserPort } from '../../../lib/panel/port';

const api = fakeBrowser as unknown as WxtBrowser;
const state = (tabId: number): TabState => ({ tabId, frames: [], focusEntry: null, paused: false });

describe('browserPort', () => {
  beforeEach(() => fakeBrowser.reset());

  it('reads the tab state from storage.session, follows its changes, and reports null when it goes', async () => {
    await fakeBrowser.storage.session.set({ [tabKey(3)]: state(3) });
    const seen: (TabState | null)[] = [];
    const stop = browserPort(api).watchTab(3, (s) => seen.push(s));
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    await fakeBrowser.storage.session.set({ [tabKey(3)]: { ...state(3), paused: true } });
    await fakeBrowser.storage.session.set({ [tabKey(4)]: state(4) });
    await fakeBrowser.storage.session.remove(tabKey(3));
    await vi.waitFor(() => expect(seen.map((s) => s?.paused ?? null)).toEqual([false, true, null]));
    stop();
    await fakeBrowser.storage.session.set({ [tabKey(3)]: state(3) });
    expect(seen).toHaveLength(3);
  });

  it('reports an unreadable state as an error', async () => {
    vi.spyOn(fakeBrowser.storage.session, 'get').mockRejectedValue(new Error('session storage unavailable'));
    const onError = vi.fn();
    browserPort(api).watchTab(3, () => undefined, onError);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(new Error('session storage unavailable')));
  });

  it('follows tab switches only when asked to', async () => {
    expect(browserPort(api).watchActiveTab).toBeUndefined();
    const onTab = vi.fn();
    const stop = browserPort(api, { followActiveTab: true }).watchActiveTab!(onTab);
    await fakeBrowser.tabs.onActivated.trigger({ tabId: 12, windowId: 1 });
    expect(onTab).toHaveBeenCalledWith(12);
    stop();
    await fakeBrowser.tabs.onActivated.trigger({ tabId: 13, windowId: 1 });
    expect(onTab).toHaveBeenCalledTimes(1);
  });

  it('ignores tab switches in other windows', async () => {
    vi.spyOn(fakeBrowser.windows, 'getCurrent').mockResolvedValue({ id: 1 } as never);
    const onTab = vi.fn();
    browserPort(api, { followActiveTab: true }).watchActiveTab!(onTab);
    await vi.waitFor(() => expect(fakeBrowser.windows.getCurrent).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 0));
    await fakeBrowser.tabs.onActivated.trigger({ tabId: 20, windowId: 2 });
    await fakeBrowser.tabs.onActivated.trigger({ tabId: 21, windowId: 1 });
    expect(onTab.mock.calls).toEqual([[21]]);
  });
});
