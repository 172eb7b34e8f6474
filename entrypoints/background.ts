import lexicon from 'virtual:chartlight/lexicon';
import panelData from 'virtual:chartlight/panel-data';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import type { PanelData } from '@/lib/knowledge/panel-data';
import { BackgroundHub, MENU_ALWAYS, MENU_SCAN } from '@/lib/messaging/background';

export default defineBackground(() => {
  // The hover card's summary and evidence badge come from here, so the content script never
  // carries the entries' texts (its size budget, and fuse.js stays in the panel).
  const entries = (panelData as PanelData).entries;
  const byId = new Map(entries.map((e) => [e.id, { summary: e.summary, evidence: e.evidence.level as string }]));
  const hub = new BackgroundHub(browser, (id) => byId.get(id) ?? null, lexicon);
  // The toolbar button scans the page (activeTab) and opens the panel; Chrome must not open the
  // panel by itself or onClicked never fires.
  void browser.sidePanel?.setPanelBehavior({ openPanelOnActionClick: false }).catch(() => undefined);
  (browser.action ?? browser.browserAction).onClicked.addListener((tab) => void hub.onActionClicked(tab));
  browser.commands.onCommand.addListener((command, tab) => void hub.onCommand(command, tab));
  browser.runtime.onMessage.addListener(hub.onMessage);
  browser.runtime.onConnect.addListener(hub.onConnect);
  browser.tabs.onRemoved.addListener((tabId) => void hub.forgetTab(tabId));
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'loading' && change.url) void hub.forgetTab(tabId);
  });
  browser.permissions.onAdded.addListener(() => void hub.registerSites());
  browser.permissions.onRemoved.addListener(() => void hub.registerSites());
  browser.runtime.onStartup.addListener(() => void hub.registerSites());
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') void hub.registerSites();
  });
  browser.runtime.onInstalled.addListener(() => {
    void hub.registerSites();
    browser.contextMenus.create({
      id: MENU_SCAN,
      title: 'Scan this page with Chartlight',
      contexts: ['page', 'selection'],
    });
    browser.contextMenus.create({
      id: MENU_ALWAYS,
      title: 'Always scan this site with Chartlight',
      contexts: ['page'],
    });
  });
  // The click is the user gesture that lets "Always scan this site" ask for the site's permission.
  browser.contextMenus.onClicked.addListener((info, tab) => void hub.onMenuClicked(info, tab));
  void hub.registerSites();
});
