import data from 'virtual:chartlight/panel-data';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { App } from '@/lib/panel/App';
import { browserPort } from '@/lib/panel/port';
import type { PanelData } from '@/lib/knowledge/panel-data';
import {
  effectiveSettings,
  knownIds,
  loadSettings,
  loadUserPacks,
  mergePacks,
  readManagedPolicy,
} from '@/lib/settings';
import '@/lib/panel/panel.css';

/** Contract 5: ?tab=TAB_ID pins the panel to that tab (tests and the demo open it as a normal tab). */
function pinnedTab(): number | null {
  const param = new URLSearchParams(location.search).get('tab');
  return param && /^\d+$/.test(param) ? Number(param) : null;
}

async function activeTab(): Promise<number | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

/** The bundled knowledge plus the institution's protocol packs (policy and user), labelled as local. */
async function withPacks(base: PanelData): Promise<PanelData> {
  try {
    const known = knownIds(base);
    const [policy, settings, user] = await Promise.all([
      readManagedPolicy(browser.storage.managed, known),
      loadSettings(browser.storage.local),
      loadUserPacks(browser.storage.local, known),
    ]);
    return mergePacks(base, effectiveSettings(settings.value, user.packs, policy).packs).data;
  } catch {
    // A broken pack or policy never costs the clinician the bundled knowledge base.
    return base;
  }
}

const pinned = pinnedTab();
void Promise.all([pinned !== null ? Promise.resolve(pinned) : activeTab(), withPacks(data)]).then(([tabId, merged]) => {
  // Unpinned, the panel follows the user from tab to tab.
  const port = browserPort(browser, { followActiveTab: pinned === null });
  render(<App data={merged} port={port} tabId={tabId} />, document.getElementById('app')!);
});
