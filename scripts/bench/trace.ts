/**
 * Reading a Chromium trace (CDP Tracing, devtools.timeline categories) for what the extension did
 * on the page's main thread. The content script runs in an isolated world of the page's renderer,
 * so its work appears as ordinary main-thread tasks whose script events name the extension's URL;
 * that is how its tasks are told from the page's own. Pure: unit-tested with hand-made events.
 */

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: { url?: string; startTime?: number }; [k: string]: unknown };
}

export interface Task {
  /** Milliseconds on the trace clock. */
  start: number;
  end: number;
  dur: number;
  /** Runs the extension's script (an event in the task names the extension's URL). */
  extension: boolean;
  /**
   * Milliseconds of the task that are the extension's: all of it when the task is the
   * extension's own (a timer, a message, its script's start), else only its script events. A
   * mutation observer's callback runs at the end of whichever task changed the DOM — the page's
   * own script appending a section — and that task's earlier work is the page's, not the
   * extension's.
   */
  own: number;
  /** Does style, layout or paint work (a rendering update). */
  rendering: boolean;
  /** Milliseconds per kind of work inside the task (script, GC, style, layout, paint…). */
  inside: Record<string, number>;
}

export interface UserTiming {
  name: string;
  /** Milliseconds on the trace clock. */
  start: number;
  end: number;
}

const RENDERING = new Set(['Paint', 'PrePaint', 'Layout', 'UpdateLayoutTree', 'Layerize']);

/** Trace events that name a kind of main-thread work, for the breakdown of a long task. */
const KINDS: Record<string, string> = {
  EvaluateScript: 'script',
  FunctionCall: 'script',
  MinorGC: 'gc',
  MajorGC: 'gc',
  UpdateLayoutTree: 'style',
  Layout: 'layout',
  PrePaint: 'prepaint',
  Paint: 'paint',
  HitTest: 'hit-test',
};

/**
 * The renderer main thread of the page: the thread on which the page's own user-timing marks
 * (`marker`, a prefix) were recorded.
 */
export function pageThread(events: TraceEvent[], marker: string): { pid: number; tid: number } | null {
  const mark = events.find((e) => e.cat?.includes('blink.user_timing') && e.name.startsWith(marker));
  return mark ? { pid: mark.pid, tid: mark.tid } : null;
}

/** Top-level tasks of one thread, each flagged as the extension's or not, in time order. */
export function tasksOf(events: TraceEvent[], thread: { pid: number; tid: number }, extensionOrigin: string): Task[] {
  const own = events
    .filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.ph === 'X' && typeof e.dur === 'number')
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const tasks: Task[] = [];
  const inside: TraceEvent[][] = [];
  let open: { ev: TraceEvent; end: number } | null = null;
  for (const e of own) {
    if (open && e.ts < open.end) {
      inside[inside.length - 1]!.push(e);
      continue;
    }
    if (e.name !== 'RunTask') continue;
    open = { ev: e, end: e.ts + e.dur! };
    tasks.push({
      start: e.ts / 1000,
      end: (e.ts + e.dur!) / 1000,
      dur: e.dur! / 1000,
      extension: false,
      own: 0,
      rendering: false,
      inside: {},
    });
    inside.push([]);
  }
  tasks.forEach((t, i) => {
    let microtasksEnd = -1;
    let scriptEnd = -1;
    let onlyInMicrotasks = true;
    let script = 0;
    for (const e of inside[i]!) {
      if (e.name === 'RunMicrotasks') microtasksEnd = Math.max(microtasksEnd, e.ts + e.dur!);
      if (e.args?.data?.url?.startsWith(extensionOrigin)) {
        t.extension = true;
        if (e.ts >= microtasksEnd) onlyInMicrotasks = false;
        // Nested script events (a call inside a call) are counted once, by the outer one.
        if (e.ts >= scriptEnd) {
          script += e.dur! / 1000;
          scriptEnd = e.ts + e.dur!;
        }
      }
      if (RENDERING.has(e.name)) t.rendering = true;
      const kind = KINDS[e.name];
      if (kind) t.inside[kind] = (t.inside[kind] ?? 0) + e.dur! / 1000;
    }
    t.own = !t.extension ? 0 : onlyInMicrotasks ? script : t.dur;
  });
  return tasks;
}

/** User-timing marks and measures with a given prefix, on the trace clock. */
export function userTimings(events: TraceEvent[], prefix: string): UserTiming[] {
  const out: UserTiming[] = [];
  const begun = new Map<string, TraceEvent>();
  for (const e of events) {
    if (!e.cat?.includes('blink.user_timing') || !e.name.startsWith(prefix)) continue;
    if (e.ph === 'I' || e.ph === 'R' || e.ph === 'n') out.push({ name: e.name, start: e.ts / 1000, end: e.ts / 1000 });
    else if (e.ph === 'b') begun.set(`${e.name}|${JSON.stringify((e as { id2?: unknown }).id2 ?? '')}`, e);
    else if (e.ph === 'e') {
      const key = `${e.name}|${JSON.stringify((e as { id2?: unknown }).id2 ?? '')}`;
      const b = begun.get(key);
      if (b) {
        out.push({ name: e.name, start: b.ts / 1000, end: e.ts / 1000 });
        begun.delete(key);
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

export interface PassSummary {
  /** First extension task start → end of the last extension task before `doneAt`. */
  span: number;
  /** Sum of the extension's task durations in that span. */
  busy: number;
  /** Longest extension task. */
  longest: number;
  /** Extension tasks in the span. */
  tasks: number;
  /** Extension tasks over 50 ms. */
  over50: number;
  /** Rendering work (style, layout, paint) in the first rendering task after the last extension task. */
  paintAfter: number;
  /** Start and end on the trace clock. */
  start: number;
  end: number;
  /** What the longest extension task was made of (ms per kind of work). */
  longestInside: Record<string, number>;
  /** Idle time between the extension's tasks inside the span (timer clamping, other work). */
  gaps: number;
}

/**
 * Summarises the extension's work in [from, doneAt]: `doneAt` is when the page was seen in its
 * final state (a mark of the page-world observer), so later tasks (a report message, an idle
 * callback) do not count toward the pass.
 */
export function summarisePass(tasks: Task[], from: number, doneAt: number): PassSummary | null {
  const ext = tasks.filter((t) => t.extension && t.start >= from && t.end <= doneAt);
  if (ext.length === 0) return null;
  const start = ext[0]!.start;
  const end = ext[ext.length - 1]!.end;
  const busy = ext.reduce((s, t) => s + t.own, 0);
  const longest = ext.reduce((m, t) => Math.max(m, t.own), 0);
  const paint = tasks.find((t) => t.rendering && !t.extension && t.start >= end);
  const longestTask = ext.reduce((m, t) => (t.own > m.own ? t : m), ext[0]!);
  const others = tasks
    .filter((t) => !t.extension && t.start >= start && t.end <= end)
    .reduce((sum, t) => sum + t.dur, 0);
  return {
    span: end - start,
    busy,
    longest,
    tasks: ext.length,
    over50: ext.filter((t) => t.own > 50).length,
    paintAfter: paint?.dur ?? 0,
    start,
    end,
    longestInside: longestTask.inside,
    gaps: Math.max(0, end - start - ext.reduce((s, t) => s + t.dur, 0) - others),
  };
}
