import data from 'virtual:chartlight/panel-data';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { App } from '@/lib/panel/App';
import { browserPort } from '@/lib/panel/port';
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

const pinned = pinnedTab();
void (pinned !== null ? Promise.resolve(pinned) : activeTab()).then((tabId) => {
  // Unpinned, the panel follows the user from tab to tab.
  const port = browserPort(browser, { followActiveTab: pinned === null });
  render(<App data={data} port={port} tabId={tabId} />, document.getElementById('app')!);
});
