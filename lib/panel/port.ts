/** The panel's window on the extension: the background and storage.session, behind one seam. */
import type { Browser, WxtBrowser } from 'wxt/browser';
import { tabKey, type PanelToBackground, type TabState } from '../messaging/contract';

export interface PanelPort {
  /**
   * Calls `onState` now and whenever the tab's findings change (null: nothing scanned, or the tab
   * navigated away); `onError` when the state cannot be read. Returns an unsubscribe.
   */
  watchTab(tabId: number, onState: (state: TabState | null) => void, onError?: (error: Error) => void): () => void;
  send(msg: PanelToBackground): Promise<unknown>;
  /**
   * Calls `onTab` when the user switches to another tab in the panel's window. Absent where the
   * panel is pinned to one tab (?tab=, tests). Returns an unsubscribe.
   */
  watchActiveTab?(onTab: (tabId: number) => void): () => void;
}

export function browserPort(api: WxtBrowser, options: { followActiveTab?: boolean } = {}): PanelPort {
  const port: PanelPort = {
    watchTab(tabId, onState, onError) {
      const key = tabKey(tabId);
      let live = true;
      api.storage.session.get(key).then(
        (v) => live && onState((v[key] as TabState | undefined) ?? null),
        (e: unknown) => live && onError?.(e instanceof Error ? e : new Error(String(e))),
      );
      const listener = (changes: Record<string, Browser.storage.StorageChange>, area: string) => {
        if (area === 'session' && key in changes) onState((changes[key]!.newValue as TabState | undefined) ?? null);
      };
      api.storage.onChanged.addListener(listener);
      return () => {
        live = false;
        api.storage.onChanged.removeListener(listener);
      };
    },
    send: (msg) => api.runtime.sendMessage(msg),
  };
  if (options.followActiveTab) {
    port.watchActiveTab = (onTab) => {
      // The side panel belongs to one window: tab switches in other windows are not its business.
      let windowId: number | undefined;
      void Promise.resolve()
        .then(() => api.windows.getCurrent())
        .then(
          (w) => (windowId = w?.id),
          () => undefined,
        );
      const listener = (info: { tabId: number; windowId: number }) => {
        if (windowId === undefined || info.windowId === windowId) onTab(info.tabId);
      };
      api.tabs.onActivated.addListener(listener);
      return () => api.tabs.onActivated.removeListener(listener);
    };
  }
  return port;
}
