/**
 * The background's logic, with the browser API passed in (so unit tests drive it with WXT's fake
 * browser). Per-tab findings live in memory and in storage.session (memory too, readable only by
 * the extension's own pages), and are forgotten when the tab closes or navigates.
 */
import type { Browser, WxtBrowser } from 'wxt/browser';
import { analyze, createEngine, type Engine, type FindingRange } from '../engine/analyze';
import type { CompiledLexicon } from '../engine/types';
import { policySites, sitesToRegister } from '../settings/scope';
import { encodeFindings, type AnalysedChunk, type NamedStrings } from './analysis';
import {
  ANALYZE_PORT,
  MAX_FINDINGS_PER_FRAME,
  parseAnalyzeRequest,
  parseContentMessage,
  parsePanelMessage,
  sitePattern,
  tabKey,
  type BackgroundToContent,
  type EntryBrief,
  type TabState,
} from './contract';

type Api = WxtBrowser & { sidebarAction?: { open(): Promise<void> } };
type Sender = Browser.runtime.MessageSender;

/** What the background uses of a runtime.Port (a fake in unit tests). */
export interface AnalysisPort {
  name: string;
  sender?: Sender;
  postMessage(msg: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (msg: unknown) => void): void };
}

/** The content script's built path (WXT output), injected on request and registered for sites. */
export const CONTENT_SCRIPT = '/content-scripts/content.js';
export const CONTENT_CSS = '/content-scripts/content.css';
export const REGISTRATION_ID = 'chartlight-sites';

export { MAX_FINDINGS_PER_FRAME } from './contract';

/** Context-menu items (created on install). */
export const MENU_SCAN = 'chartlight-scan';
export const MENU_ALWAYS = 'chartlight-always';

/** Looks up an entry's summary and evidence level for the hover card (from the panel's data). */
export type BriefLookup = (entryId: string) => EntryBrief | null;

/** Halvings of a tab's lists tried before a failing write is given up (1/64 of them left). */
const MAX_TRIMS = 6;

/** Halves every frame's lists, keeping what each had in all; false when there is nothing to halve. */
function halveLists(s: TabState): boolean {
  let halved = false;
  for (const fr of s.frames) {
    const n = fr.findings.length + fr.fields.length;
    if (n === 0) continue;
    fr.total = Math.max(fr.total ?? 0, n);
    fr.findings = fr.findings.slice(0, fr.findings.length >> 1);
    fr.fields = fr.fields.slice(0, fr.fields.length >> 1);
    halved = true;
  }
  return halved;
}

export class BackgroundHub {
  private readonly tabs = new Map<number, TabState>();
  /** The storage.session write under way per tab, and tabs changed since their last write began. */
  private readonly writing = new Map<number, Promise<void>>();
  private readonly unpublished = new Set<number>();
  /** The engine for analyze requests, made on the first one (and the concepts' indices). */
  private engine: { engine: Engine; conceptIndex: Map<string, number> } | null = null;

  constructor(
    private readonly api: Api,
    private readonly brief: BriefLookup = () => null,
    /**
     * The compiled lexicon, handed to each content script on start: it is the bulk of what a frame
     * needs, and as data in a message it stays out of the script every frame must parse.
     */
    private readonly lexicon: CompiledLexicon | null = null,
  ) {}

  state(tabId: number): TabState {
    let s = this.tabs.get(tabId);
    if (!s) this.tabs.set(tabId, (s = { tabId, frames: [], focusEntry: null, paused: false }));
    return s;
  }

  /**
   * Writes a tab's state to storage.session, one write per tab at a time: a change that comes
   * while a write is under way is taken up by one more write of the latest state, and its promise
   * settles when that is stored. A long page reports its findings in hundreds of parts; writing
   * the whole list after each part serialised tens of thousands of findings a hundred times over in
   * the browser's main process, which held every tab's messages (the next chart's scan waited
   * 15 s).
   */
  private publish(tabId: number): Promise<void> {
    this.unpublished.add(tabId);
    let writing = this.writing.get(tabId);
    if (!writing) {
      writing = this.writeLatest(tabId);
      this.writing.set(tabId, writing);
    }
    return writing;
  }

  private async writeLatest(tabId: number): Promise<void> {
    try {
      while (this.unpublished.delete(tabId)) {
        const s = this.tabs.get(tabId);
        if (s) await this.store(s);
        else await this.api.storage.session.remove(tabKey(tabId));
      }
    } finally {
      this.writing.delete(tabId);
    }
  }

  /**
   * Stores a tab's state. storage.session holds 10 MB for the whole extension (every tab): a write
   * over that fails, and the panel would stay on an older list without a word. The tab's lists are
   * halved instead, each frame's total kept, until the write fits: the panel then lists what is
   * stored and says how many mentions the page has in all.
   */
  private async store(s: TabState): Promise<void> {
    for (let trims = 0; ; trims++) {
      try {
        await this.api.storage.session.set({ [tabKey(s.tabId)]: s });
        return;
      } catch (e) {
        if (trims >= MAX_TRIMS || !halveLists(s)) throw e;
      }
    }
  }

  /** Whether a message comes from one of the extension's own pages (panel, options). */
  private isExtensionPage(sender: Sender): boolean {
    return (
      sender.id === this.api.runtime.id &&
      typeof sender.url === 'string' &&
      sender.url.startsWith(this.api.runtime.getURL('/'))
    );
  }

  /** runtime.onMessage handler. Returns a promise for replies; drops anything it does not know. */
  onMessage = (msg: unknown, sender: Sender): Promise<unknown> | undefined => {
    if (sender.id !== this.api.runtime.id) return undefined;
    if (this.isExtensionPage(sender)) {
      const m = parsePanelMessage(msg);
      if (!m) return undefined;
      if (m.type === 'get-tab') return Promise.resolve(this.state(m.tabId));
      if (m.type === 'scan-tab') return this.scanTab(m.tabId).then(() => true);
      if (m.type === 'reveal')
        return this.send(m.tabId, { type: 'reveal', index: m.index }, m.frameId).then(() => true);
      if (m.type === 'pause-tab') return this.pauseTab(m.tabId).then(() => true);
      if (m.type === 'resume-tab') return this.resumeTab(m.tabId).then(() => true);
      if (m.type === 'always-scan') return this.alwaysScan(m.tabId);
      return undefined;
    }
    const tabId = sender.tab?.id;
    if (tabId === undefined) return undefined;
    const m = parseContentMessage(msg);
    if (!m) return undefined;
    if (m.type === 'findings') {
      const s = this.state(tabId);
      // A paused tab shows nothing; a report already on its way when the pause came is dropped.
      if (s.paused) return Promise.resolve(false);
      const frameId = sender.frameId ?? 0;
      const previous = s.frames.find((f) => f.frameId === frameId);
      if (m.append && previous) {
        // A part of a long list: bounded, so a hostile page cannot grow the background's memory.
        const room = MAX_FINDINGS_PER_FRAME - previous.findings.length - previous.fields.length;
        previous.findings.push(...m.findings.slice(0, Math.max(0, room)));
        previous.fields.push(...m.fields.slice(0, Math.max(0, room - m.findings.length)));
        // What the frame has in all: its own count past the limit, else what a halving left plus
        // what has come since.
        if (m.total !== undefined) previous.total = m.total;
        else if (previous.total !== undefined) previous.total += m.findings.length + m.fields.length;
        return this.publish(tabId).then(() => true);
      }
      s.frames = s.frames.filter((f) => f.frameId !== frameId);
      s.frames.push({
        frameId,
        findings: m.findings,
        fields: m.fields,
        ...(m.total === undefined ? {} : { total: m.total }),
      });
      s.frames.sort((a, b) => a.frameId - b.frameId);
      return this.publish(tabId).then(() => true);
    }
    if (m.type === 'entry-brief') return Promise.resolve(this.brief(m.entryId));
    if (m.type === 'lexicon') return Promise.resolve(this.lexicon);
    if (m.type === 'open-entry') {
      this.state(tabId).focusEntry = m.entryId;
      // Opening the panel must happen in the same turn as the user's click (a user gesture).
      const opening = this.openPanel(tabId);
      return Promise.all([opening, this.publish(tabId)]).then(() => true);
    }
    return undefined;
  };

  /**
   * runtime.onConnect handler: a content script's ANALYZE_PORT, each request on it answered on it
   * with the same id. Any other port, or one from elsewhere than a content script of this
   * extension in a tab, is closed at once.
   */
  onConnect = (port: AnalysisPort): void => {
    const sender = port.sender;
    if (
      port.name !== ANALYZE_PORT ||
      !sender ||
      sender.id !== this.api.runtime.id ||
      sender.tab?.id === undefined ||
      this.isExtensionPage(sender)
    ) {
      port.disconnect();
      return;
    }
    // The strings this port's replies have named, for as long as it is open (see NamedStrings).
    const named: NamedStrings = new Map();
    port.onMessage.addListener((msg) => {
      const m = parseAnalyzeRequest(msg);
      if (!m) return;
      const chunk = 'text' in m ? this.analyze(m.text, m.offset, m.complete, m.hash, m, named) : null;
      try {
        port.postMessage({ id: m.id, ...chunk });
      } catch {
        // The page went away while its chunk was read.
      }
    });
  };

  /**
   * A chunk of a page's text analysed here, off the page's main thread: the same engine and
   * lexicon as the content script's, so the same findings. Nothing of the text is kept beyond the
   * strings its port has named (in memory, and only while the port is open). Null for a content
   * script holding another lexicon (an update of the extension under way).
   */
  analyze(
    text: string,
    offset: number,
    complete: boolean,
    hash: string,
    only?: FindingRange,
    named?: NamedStrings,
  ): AnalysedChunk | null {
    const lexicon = this.lexicon;
    if (!lexicon || hash !== lexicon.hash) return null;
    if (!this.engine) {
      const conceptIndex = new Map(lexicon.concepts.map((c, i) => [c.id, i] as const));
      this.engine = { engine: createEngine(lexicon), conceptIndex };
    }
    const { engine, conceptIndex } = this.engine;
    const findings = analyze(engine, text, offset, new Map(), complete, only);
    return encodeFindings(findings, text, offset, conceptIndex, hash, named);
  }

  async openPanel(tabId: number): Promise<void> {
    try {
      if (this.api.sidePanel?.open) await this.api.sidePanel.open({ tabId });
      else await this.api.sidebarAction?.open();
    } catch {
      // Without a user gesture the browser refuses; the panel still shows the entry when opened.
    }
  }

  async scanTab(tabId: number): Promise<void> {
    await this.api.scripting
      .insertCSS({ target: { tabId, allFrames: true }, files: [CONTENT_CSS] })
      .catch(() => undefined);
    await this.api.scripting.executeScript({ target: { tabId, allFrames: true }, files: [CONTENT_SCRIPT] });
    const s = this.state(tabId);
    if (s.paused) {
      s.paused = false;
      await this.send(tabId, { type: 'resume' });
    }
  }

  async send(tabId: number, msg: BackgroundToContent, frameId?: number): Promise<void> {
    try {
      await this.api.tabs.sendMessage(tabId, msg, frameId === undefined ? undefined : { frameId });
    } catch {
      // No content script in that tab (not scanned yet): nothing to move.
    }
  }

  /** Pause: the tab's content scripts clear their highlights and stop observing until resumed. */
  async pauseTab(tabId: number): Promise<void> {
    const s = this.state(tabId);
    s.paused = true;
    s.frames = [];
    await this.send(tabId, { type: 'pause' });
    await this.publish(tabId);
  }

  async resumeTab(tabId: number): Promise<void> {
    const s = this.state(tabId);
    s.paused = false;
    await this.publish(tabId);
    await this.send(tabId, { type: 'resume' });
  }

  /**
   * "Always scan this site": asks for the tab's origin (the browser shows its prompt only within a
   * user gesture: the context menu's click, or the panel, which asks before it sends always-scan),
   * then registers the content script for it and scans the tab now.
   */
  async alwaysScan(tabId: number, url?: string): Promise<{ granted: boolean; origin: string | null }> {
    // With the URL at hand (the menu click), the request is the handler's first call: an `await`
    // before it would end the user gesture and the browser would refuse to ask.
    const pageUrl = url ?? (await this.api.tabs.get(tabId).catch(() => undefined))?.url;
    const origin = sitePattern(pageUrl);
    if (!origin) return { granted: false, origin: null };
    const granted = await this.api.permissions
      .request({ origins: [origin] })
      .catch(() => this.api.permissions.contains({ origins: [origin] }).catch(() => false));
    if (!granted) return { granted, origin };
    await this.registerSites();
    await this.scanTab(tabId).catch(() => undefined);
    return { granted, origin };
  }

  async onMenuClicked(info: { menuItemId: string | number; pageUrl?: string }, tab?: { id?: number; url?: string }) {
    if (tab?.id === undefined) return;
    if (info.menuItemId === MENU_SCAN) await this.onActionClicked(tab);
    else if (info.menuItemId === MENU_ALWAYS) await this.alwaysScan(tab.id, tab.url ?? info.pageUrl);
  }

  async onActionClicked(tab: { id?: number }): Promise<void> {
    if (tab.id === undefined) return;
    const opening = this.openPanel(tab.id);
    await Promise.all([opening, this.scanTab(tab.id).catch(() => undefined)]);
  }

  async onCommand(command: string, tab?: { id?: number }): Promise<void> {
    const tabId = tab?.id ?? (await this.api.tabs.query({ active: true, currentWindow: true }))[0]?.id;
    if (tabId === undefined) return;
    if (command === 'next-finding' || command === 'previous-finding') {
      await this.send(tabId, { type: 'step', direction: command === 'next-finding' ? 1 : -1 }, 0);
    }
  }

  forgetTab(tabId: number): Promise<void> {
    this.tabs.delete(tabId);
    return this.publish(tabId);
  }

  /**
   * Registers the content script for every origin the extension holds (contract 4). Registrations
   * persist across browser restarts, so a granted EHR page is scanned even before this worker wakes.
   */
  async registerSites(): Promise<string[]> {
    const all = await this.api.permissions.getAll();
    // Granted origins plus the administrator's allowed sites that the browser lets us reach.
    const origins = (
      await sitesToRegister(all.origins ?? [], await policySites(this.api.storage.managed).catch(() => null), (o) =>
        this.api.permissions.contains({ origins: [o] }),
      )
    ).sort();
    const existing = (await this.api.scripting.getRegisteredContentScripts({ ids: [REGISTRATION_ID] }))[0];
    if (origins.length === 0) {
      if (existing) await this.api.scripting.unregisterContentScripts({ ids: [REGISTRATION_ID] });
      return [];
    }
    if (existing && JSON.stringify([...(existing.matches ?? [])].sort()) === JSON.stringify(origins)) return origins;
    const script = {
      id: REGISTRATION_ID,
      matches: origins,
      js: [CONTENT_SCRIPT],
      css: [CONTENT_CSS],
      allFrames: true,
      runAt: 'document_idle',
      persistAcrossSessions: true,
    } as Browser.scripting.RegisteredContentScript;
    // about:blank and srcdoc frames of a granted page are part of the EHR (tabs built on the fly);
    // Firefox does not know the option, so it is retried without.
    const withFallback = { ...script, matchOriginAsFallback: true } as Browser.scripting.RegisteredContentScript;
    const method = existing ? 'updateContentScripts' : 'registerContentScripts';
    try {
      await this.api.scripting[method]([withFallback]);
    } catch {
      await this.api.scripting[method]([script]);
    }
    return origins;
  }
}
