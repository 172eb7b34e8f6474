import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { prebuiltEngine, type Engine } from '@/lib/engine/analyze';
import type { CompiledLexicon } from '@/lib/engine/types';
import { isLexicon, packMessage } from '@/lib/messaging/contract';
import { scannedByParent, startContent } from '@/lib/page/content-main';
// The same rules again as text: adopted into open shadow roots and into frames the extension's
// style sheet did not reach, where document-level ::highlight() rules do not apply.
import { HIGHLIGHT_CSS } from '@/lib/page/highlight-css';
// scope only: the settings index would bring fuse.js along.
import { disabledCategories } from '@/lib/settings/scope';
import './highlights.css';

export default defineContentScript({
  // Not in the manifest: the background registers it for granted sites and injects it on request.
  registration: 'runtime',
  // The EHR's own window "message" listeners must hear nothing from the extension: without this
  // the framework posts a "content script started" message (naming the extension's id) to every
  // page it starts on. Its replacement, an event on the document under a name holding the
  // extension's id, reaches only a listener that asks for that very name.
  noScriptStartedPostMessage: true,
  main(ctx) {
    // Injected again by a second "Scan this page": the first instance keeps running.
    const marker = globalThis as { __chartlightRunning?: boolean };
    if (marker.__chartlightRunning) return;
    marker.__chartlightRunning = true;
    ctx.onInvalidated(() => (marker.__chartlightRunning = false));
    // Firefox's views of another frame's window do not lead to that frame's CSS.highlights
    // (highlights registered through them landed in the wrong frame), so there every frame's own
    // content script scans its own document.
    const scanFrames = !browser.runtime.getURL('/').startsWith('moz-extension:');
    // A same-origin frame is scanned from the frame above it: it asks for no lexicon of its own
    // (200 kB to send, parse and hold in every frame of a frame-based EHR).
    if (scanFrames && scannedByParent(window)) return;
    // Categories switched off by the user or by the administrator's policy, read while the
    // lexicon is on its way.
    const disabled = disabledCategories(browser.storage.local, browser.storage.managed).catch(() => new Set<string>());
    // The lexicon comes from the background as data (a message, in memory): the script every
    // frame parses stays small. The page's own engine is made from it only when first needed (an
    // update, a field, a chunk the background did not answer) or once the page is idle after its
    // first pass, whose text the background reads: with the CPU slowed 4× (a hospital's thin
    // client) making it took 19-39 ms of a task of its own.
    void browser.runtime.sendMessage({ type: 'lexicon' }).then(
      (lexicon: unknown) => {
        // The engine comes from the tries the build made: a lexicon without them (a broken build)
        // means no scan, as a malformed one does.
        if (!isLexicon(lexicon) || lexicon.prebuilt?.hash !== lexicon.hash) return;
        let engine: Engine | null = null;
        const made = () => (engine ??= prebuiltEngine(lexicon)!);
        void disabled.then((off) => ctx.setTimeout(() => run(ctx.signal, lexicon, made, off, scanFrames), 0));
      },
      () => undefined,
    );
  },
});

function run(
  signal: AbortSignal,
  lexicon: CompiledLexicon,
  engine: () => Engine,
  disabled: ReadonlySet<string>,
  scanFrames: boolean,
): void {
  if (signal.aborted) return;
  {
    const controller = startContent({
      win: window,
      lexicon,
      engine,
      signal,
      disabled,
      highlightCss: HIGHLIGHT_CSS,
      scanFrames,
      // Findings travel packed: the message's size is what costs the page's main thread.
      send: (msg) => browser.runtime.sendMessage(packMessage(msg)),
      connect: (name) => {
        const port = browser.runtime.connect({ name });
        // A port the background could not take (the extension updated under the page) closes with
        // an error that, left unread, the browser logs to the page's console.
        port.onDisconnect.addListener(() => void browser.runtime.lastError);
        return port;
      },
      onMessage: (listener) => {
        const l = (msg: unknown) => {
          listener(msg);
        };
        browser.runtime.onMessage.addListener(l);
        return () => browser.runtime.onMessage.removeListener(l);
      },
    });
    // Reachable only from the extension's own isolated world (the page cannot see it): lets the
    // end-to-end tests and the benchmark read the scanner's slice statistics through DevTools.
    (globalThis as { __chartlight?: unknown }).__chartlight = controller && {
      stats: () => ({
        ...controller.scanner.stats,
        findings: controller.scanner.findings.length,
        fields: controller.scanner.fieldFindings.length,
      }),
    };
  }
}
