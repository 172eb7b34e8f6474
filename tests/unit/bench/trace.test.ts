import { describe, expect, it } from 'vitest';
import { pageThread, summarisePass, tasksOf, userTimings, type TraceEvent } from '../../../scripts/bench/trace';

const EXT = 'chrome-extension://abc/';
const T = { pid: 1, tid: 1 };
const task = (ts: number, dur: number): TraceEvent => ({ name: 'RunTask', ph: 'X', ts, dur, ...T });
const ext = (ts: number, dur: number): TraceEvent => ({
  name: 'FunctionCall',
  ph: 'X',
  ts,
  dur,
  ...T,
  args: { data: { url: `${EXT}content-scripts/content.js` } },
});
const page = (ts: number, dur: number): TraceEvent => ({
  name: 'FunctionCall',
  ph: 'X',
  ts,
  dur,
  ...T,
  args: { data: { url: 'http://127.0.0.1/page.js' } },
});
const paint = (ts: number, dur: number): TraceEvent => ({ name: 'Paint', ph: 'X', ts, dur, ...T });
const mark = (name: string, ts: number, tid = 1): TraceEvent => ({
  name,
  cat: 'blink.user_timing',
  ph: 'I',
  ts,
  pid: 1,
  tid,
});

describe('trace reading', () => {
  const events: TraceEvent[] = [
    mark('bench:hl:0', 500),
    task(1000, 60_000),
    ext(1100, 59_000), // 60 ms extension task
    task(70_000, 5000),
    page(70_100, 4000), // the page's own script
    task(80_000, 20_000),
    ext(80_100, 19_000), // 20 ms extension task
    task(101_000, 8000),
    paint(101_500, 7000), // rendering after the pass
    mark('bench:hl:42', 110_000),
    task(200_000, 3000),
    ext(200_100, 2000), // after the final highlights: not part of the pass
    { name: 'RunTask', ph: 'X', ts: 1000, dur: 99_000, pid: 2, tid: 9 }, // another thread
  ];

  it('finds the page thread by its marks', () => {
    expect(pageThread(events, 'bench:')).toEqual(T);
    expect(pageThread(events, 'nothing:')).toBeNull();
  });

  it('flags the tasks that run the extension and the rendering ones', () => {
    const tasks = tasksOf(events, T, EXT);
    expect(tasks[3]!.inside).toEqual({ paint: 7 });
    expect(tasks.map((t) => [t.start, t.dur, t.extension, t.rendering, t.own])).toEqual([
      [1, 60, true, false, 60],
      [70, 5, false, false, 0],
      [80, 20, true, false, 20],
      [101, 8, false, true, 0],
      [200, 3, true, false, 3],
    ]);
  });

  it("counts only the extension's script in a task the page began", () => {
    const microtasks = (ts: number, dur: number): TraceEvent => ({ name: 'RunMicrotasks', ph: 'X', ts, dur, ...T });
    const [appended, timer, later] = tasksOf(
      [
        // The page appends a section (4 ms of its own work), then at the microtask checkpoint
        // the page's observer and the extension's run (1.5 ms, one call nested in another).
        task(0, 6000),
        microtasks(4000, 1900),
        page(4000, 200),
        ext(4300, 1500),
        ext(4400, 500),
        // The extension's own timer, whose promise continuations run as microtasks after it.
        task(10_000, 8000),
        ext(10_100, 5000),
        microtasks(15_200, 2500),
        ext(15_300, 2000),
        // Microtasks before the extension's own call: still the extension's task.
        task(20_000, 3000),
        microtasks(20_100, 500),
        ext(20_700, 2000),
      ],
      T,
      EXT,
    );
    expect([appended!.extension, appended!.own]).toEqual([true, 1.5]);
    expect(timer!.own).toBe(8);
    expect(later!.own).toBe(3);
    const s = summarisePass([appended!, timer!], 0, 100)!;
    expect([s.busy, s.longest]).toEqual([9.5, 8]);
  });

  it('summarises a pass up to the moment the page showed its final highlights', () => {
    const s = summarisePass(tasksOf(events, T, EXT), 0, 110)!;
    expect(s.start).toBe(1);
    expect(s.end).toBe(100);
    expect(s.span).toBe(99);
    expect(s.busy).toBe(80);
    expect(s.longest).toBe(60);
    expect(s.tasks).toBe(2);
    expect(s.over50).toBe(1);
    expect(s.paintAfter).toBe(8);
    expect(s.longestInside).toEqual({ script: 59 });
    expect(s.gaps).toBeCloseTo(99 - 80 - 5, 6); // the page's own 5 ms task is not idle time
  });

  it('reports nothing when the extension never ran', () => {
    expect(summarisePass(tasksOf([task(0, 1000), page(10, 500)], T, EXT), 0, 10)).toBeNull();
  });

  it('pairs measures and keeps marks, in time order', () => {
    const timings = userTimings(
      [
        {
          name: 'chartlight:walk',
          cat: 'blink.user_timing',
          ph: 'b',
          ts: 3000,
          ...T,
          id2: { local: '0x1' },
        } as TraceEvent,
        {
          name: 'chartlight:walk',
          cat: 'blink.user_timing',
          ph: 'e',
          ts: 7000,
          ...T,
          id2: { local: '0x1' },
        } as TraceEvent,
        mark('chartlight:start', 1000),
        mark('bench:hl:1', 2000),
      ],
      'chartlight:',
    );
    expect(timings).toEqual([
      { name: 'chartlight:start', start: 1, end: 1 },
      { name: 'chartlight:walk', start: 3, end: 7 },
    ]);
  });
});
