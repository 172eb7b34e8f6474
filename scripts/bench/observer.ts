/**
 * Installed in the page world of every benchmark page before any of its content (an init script).
 * On the granted host it watches, without touching the DOM: long tasks, mutations of the page
 * (there must be none from the extension), and — every few milliseconds — the size of the
 * extension's highlights, leaving a performance mark at each change so the trace can place it.
 * It polls with a timer, not requestAnimationFrame: a frame callback makes Chromium render a frame
 * at every vsync, work a static chart page never does, and those frames (several milliseconds
 * each on a large page) landed between the scanner's slices and lengthened the pass measured.
 * It is serialised into the page, so it must not reference anything outside itself.
 */
export function pageObserver(): void {
  if (!location.pathname.startsWith('/chart-')) return;
  interface BenchState {
    longTasks: { start: number; dur: number }[];
    mutations: number;
    total: number;
    lastChange: number;
    changes: number;
    visibleAt: number;
    ownMutations: boolean;
  }
  const state: BenchState = {
    longTasks: [],
    mutations: 0,
    total: 0,
    lastChange: 0,
    changes: 0,
    visibleAt: -1,
    ownMutations: false,
  };
  (window as unknown as { __benchState: BenchState }).__benchState = state;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) state.longTasks.push({ start: e.startTime, dur: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task timing in this browser: the trace still has every task.
  }
  if (location.hostname !== '127.0.0.1') return;
  const startObserving = () => {
    new MutationObserver((records) => {
      if (!state.ownMutations) state.mutations += records.length;
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', startObserving, { once: true });
  else startObserving();
  const registry = (CSS as unknown as { highlights: Map<string, Set<AbstractRange>> }).highlights;
  const inViewport = (): boolean => {
    const h = innerHeight;
    for (const [name, hl] of registry) {
      if (!name.startsWith('chartlight-')) continue;
      let k = 0;
      for (const r of hl) {
        if (++k > 50) break;
        const el = r.startContainer.parentElement;
        if (!el) continue;
        const box = el.getBoundingClientRect();
        if (box.bottom > 0 && box.top < h) return true;
      }
    }
    return false;
  };
  // Chromium clamps a chain of timers to 4 ms: the finest a poll can be.
  const POLL_MS = 4;
  const poll = () => {
    let total = 0;
    for (const [name, hl] of registry) if (name.startsWith('chartlight-')) total += hl.size;
    if (total !== state.total) {
      state.total = total;
      state.lastChange = performance.now();
      state.changes++;
      performance.mark(`bench:hl:${total}`);
    }
    if (state.visibleAt < 0 && total > 0 && inViewport()) {
      state.visibleAt = performance.now();
      performance.mark('bench:visible');
    }
    setTimeout(poll, POLL_MS);
  };
  setTimeout(poll, POLL_MS);
}
