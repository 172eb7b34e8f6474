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
    expect(tasks.map((t) => [t.start, t.dur, t.extension, t.rendering])).toEqual([
      [1, 60, true, false],
      [70, 5, false, false],
      [80, 20, true, false],
      [101, 8, false, true],
      [200, 3, true, false],
    ]);
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
