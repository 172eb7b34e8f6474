import data from 'virtual:chartlight/panel-data';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { App } from '@/lib/panel/App';
import { browserPort } from '@/lib/panel/port';
import '@/lib/panel/panel.css';

async function currentTabId(): Promise<number | null> {
  // Contract 5: ?tab=TAB_ID shows that tab (tests and the demo open the panel as a normal tab).
  const param = new URLSearchParams(location.search).get('tab');
  if (param && /^\d+$/.test(param)) return Number(param);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

void currentTabId().then((tabId) => {
  render(<App data={data} port={browserPort(browser)} tabId={tabId} />, document.getElementById('app')!);
});
