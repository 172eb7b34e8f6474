/**
 * The content script's logic for one frame: scan, highlight, follow changes, answer the
 * background. Everything hangs off `signal`; aborting (extension update, pause) undoes it all.
 */
import { createEngine } from '../engine/analyze';
import type { CompiledLexicon } from '../engine/types';
import { parseBackgroundMessage, type ContentToBackground, type WireFinding } from '../messaging/contract';
import { highlightApi } from './highlights';
import { PageScanner, type ScanReport } from './scanner';

export interface ContentEnv {
  win: Window;
  lexicon: CompiledLexicon;
  signal: AbortSignal;
  send: (msg: ContentToBackground) => Promise<unknown>;
  onMessage: (listener: (msg: unknown) => void) => () => void;
}

const FOCUS_HIGHLIGHT = 'chartlight-focus';
/** How long a revealed finding stays flashed. */
const FLASH_MS = 1500;

export function startContent(env: ContentEnv): PageScanner | null {
  const { win, signal } = env;
  if (!highlightApi(win)) return null; // No CSS Custom Highlight API: never fall back to wrapping text.
  const engine = createEngine(env.lexicon);
  const scanner = new PageScanner({
    win,
    engine,
    signal,
    onReport: (r) => void env.send(toWire(r)).catch(() => undefined),
  });
  scanner.start();

  win.document.addEventListener(
    'click',
    (e) => {
      if (e.button !== 0 || e.defaultPrevented || hasSelection(win)) return;
      const hit = hitTest(win, e.clientX, e.clientY);
      const p = hit && scanner.findingAt(hit.node, hit.offset);
      if (p) void env.send({ type: 'open-entry', entryId: p.finding.concept }).catch(() => undefined);
    },
    { capture: true, passive: true, signal },
  );

  const off = env.onMessage((raw) => {
    const msg = parseBackgroundMessage(raw);
    if (!msg) return;
    if (msg.type === 'step') reveal(win, scanner.step(msg.direction)?.range ?? null, signal);
    else if (msg.type === 'reveal') reveal(win, scanner.findings[msg.index]?.range ?? null, signal);
  });
  signal.addEventListener('abort', off, { once: true });
  return scanner;
}

function toWire(r: ScanReport): ContentToBackground {
  const strip = (f: WireFinding): WireFinding => f;
  return { type: 'findings', findings: r.findings.map(strip), fields: r.fields.map(strip) };
}

function hasSelection(win: Window): boolean {
  const sel = win.getSelection();
  return !!sel && !sel.isCollapsed;
}

/** Caret position under a point: the standard API, with Chrome's older one as fallback. */
export function hitTest(win: Window, x: number, y: number): { node: Node; offset: number } | null {
  const doc = win.document as Document & {
    caretPositionFromPoint?: (x: number, y: number) => { offsetNode: Node; offset: number } | null;
    caretRangeFromPoint?: (x: number, y: number) => Range | null;
  };
  if (doc.caretPositionFromPoint) {
    const p = doc.caretPositionFromPoint(x, y);
    return p ? { node: p.offsetNode, offset: p.offset } : null;
  }
  const r = doc.caretRangeFromPoint?.(x, y);
  return r ? { node: r.startContainer, offset: r.startOffset } : null;
}

function reveal(win: Window, range: StaticRange | null, signal: AbortSignal): void {
  if (!range) return;
  const el = range.startContainer.parentElement;
  el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  const api = highlightApi(win)!;
  const Ctor = (win as unknown as { Highlight: typeof Highlight }).Highlight;
  api.highlights.set(FOCUS_HIGHLIGHT, new Ctor(range));
  const t = setTimeout(() => api.highlights.delete(FOCUS_HIGHLIGHT), FLASH_MS);
  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(t);
      api.highlights.delete(FOCUS_HIGHLIGHT);
    },
    { once: true },
  );
}
