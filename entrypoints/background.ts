import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { BackgroundHub } from '@/lib/messaging/background';

export default defineBackground(() => {
  const hub = new BackgroundHub(browser);
  // The toolbar button scans the page (activeTab) and opens the panel; Chrome must not open the
  // panel by itself or onClicked never fires.
  void browser.sidePanel?.setPanelBehavior({ openPanelOnActionClick: false }).catch(() => undefined);
  (browser.action ?? browser.browserAction).onClicked.addListener((tab) => void hub.onActionClicked(tab));
  browser.commands.onCommand.addListener((command, tab) => void hub.onCommand(command, tab));
  browser.runtime.onMessage.addListener(hub.onMessage);
  browser.tabs.onRemoved.addListener((tabId) => void hub.forgetTab(tabId));
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'loading' && change.url) void hub.forgetTab(tabId);
  });
  browser.permissions.onAdded.addListener(() => void hub.registerSites());
  browser.permissions.onRemoved.addListener(() => void hub.registerSites());
  browser.runtime.onStartup.addListener(() => void hub.registerSites());
  browser.runtime.onInstalled.addListener(() => {
    void hub.registerSites();
    browser.contextMenus.create({
      id: 'chartlight-scan',
      title: 'Scan this page with Chartlight',
      contexts: ['page', 'selection'],
    });
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId === 'chartlight-scan' && tab?.id !== undefined) void hub.onActionClicked(tab);
  });
  void hub.registerSites();
});
