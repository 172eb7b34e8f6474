/** The panel's window on the extension: the background and storage.session, behind one seam. */
import type { Browser, WxtBrowser } from 'wxt/browser';
import { tabKey, type PanelToBackground, type TabState } from '../messaging/contract';

export interface PanelPort {
  /** Calls `onState` now and whenever the tab's findings change; returns an unsubscribe. */
  watchTab(tabId: number, onState: (state: TabState | null) => void): () => void;
  send(msg: PanelToBackground): Promise<unknown>;
}

export function browserPort(api: WxtBrowser): PanelPort {
  return {
    watchTab(tabId, onState) {
      const key = tabKey(tabId);
      let live = true;
      void api.storage.session.get(key).then((v) => live && onState((v[key] as TabState | undefined) ?? null));
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
}
