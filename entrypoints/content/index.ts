import lexicon from 'virtual:chartlight/lexicon';
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContent } from '@/lib/page/content-main';
import './highlights.css';
// The same rules again as text: adopted into open shadow roots and into frames the extension's
// style sheet did not reach, where document-level ::highlight() rules do not apply.
import highlightCss from './highlights.css?raw';

export default defineContentScript({
  // Not in the manifest: the background registers it for granted sites and injects it on request.
  registration: 'runtime',
  main(ctx) {
    // Injected again by a second "Scan this page": the first instance keeps running.
    const marker = globalThis as { __chartlightRunning?: boolean };
    if (marker.__chartlightRunning) return;
    marker.__chartlightRunning = true;
    ctx.onInvalidated(() => (marker.__chartlightRunning = false));
    // Building the matcher is a task of its own, apart from the script's evaluation (which parses
    // the lexicon), so that neither holds the page for long.
    ctx.setTimeout(() => run(ctx.signal), 0);
  },
});

function run(signal: AbortSignal): void {
  if (signal.aborted) return;
  {
    const controller = startContent({
      win: window,
      lexicon,
      signal,
      highlightCss,
      // Firefox's views of another frame's window do not lead to that frame's CSS.highlights
      // (highlights registered through them landed in the wrong frame), so there every frame's own
      // content script scans its own document.
      scanFrames: !browser.runtime.getURL('/').startsWith('moz-extension:'),
      send: (msg) => browser.runtime.sendMessage(msg),
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
