import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../../lib/engine/types';
import { MAX_STRING, parseContentMessage, parsePanelMessage, sitePattern } from '../../../lib/messaging/contract';
import { REPORT_PART, Reporter, toWireParts } from '../../../lib/page/content-main';

const finding = (i: number, sentence = 'Denies aura.'): Finding => ({
  concept: 'aura',
  category: 'aura',
  title: 'Migraine aura',
  text: 'aura',
  start: i * 20 + 7,
  end: i * 20 + 11,
  assertion: 'affirmed',
  negated: false,
  uncertain: false,
  historical: false,
  hypothetical: false,
  family: false,
  sentence,
  sentenceStart: i * 20,
  cues: [],
});

describe('the reporter', () => {
  afterEach(() => vi.useRealTimers());

  /** Messages a reporter sends for some reports, each part in a task of its own. */
  function sent(reports: Parameters<Reporter['report']>[0][], part: number, max: number) {
    vi.useFakeTimers();
    const out: ReturnType<typeof parseContentMessage>[] = [];
    const reporter = new Reporter(
      async (m) => void out.push(parseContentMessage(m)),
      new AbortController().signal,
      part,
      max,
    );
    for (const r of reports) {
      reporter.report(r);
      vi.runAllTimers();
    }
    return out as Extract<NonNullable<(typeof out)[number]>, { type: 'findings' }>[];
  }

  it('sends no more than the background keeps, and the total with every part past it', () => {
    const findings = Array.from({ length: 25 }, (_, i) => finding(i));
    const fields = [
      { ...finding(0), field: 'Plan' },
      { ...finding(1), field: 'HPI' },
    ];
    const msgs = sent(
      [
        { findings, fields },
        { findings: findings.slice(0, 3), fields: [], append: true },
      ],
      4,
      10,
    );
    expect(msgs.every((m) => m !== null)).toBe(true);
    // 2 fields + 4 + 4 findings fill the 10; the appended 3 are counted, not sent.
    expect(msgs.map((m) => [m.findings.length, m.fields.length, m.append ?? false, m.total])).toEqual([
      [4, 2, false, 27],
      [4, 0, true, 27],
      [0, 0, true, 30],
    ]);
    expect(msgs.flatMap((m) => m.findings).map((f) => f.start)).toEqual(findings.slice(0, 8).map((f) => f.start));
  });

  it('sends everything without a total when it fits, appended reports included', () => {
    const findings = Array.from({ length: 9 }, (_, i) => finding(i));
    const msgs = sent(
      [
        { findings, fields: [] },
        { findings: [finding(9)], fields: [], append: true },
      ],
      4,
      10,
    );
    expect(msgs.map((m) => [m.findings.length, m.append ?? false, m.total])).toEqual([
      [4, false, undefined],
      [4, true, undefined],
      [1, true, undefined],
      [1, true, undefined],
    ]);
  });
});

describe('findings on the wire', () => {
  it('sends a long list in parts the background accepts: the first replaces, the rest append', () => {
    const findings = Array.from({ length: REPORT_PART * 2 + 3 }, (_, i) => finding(i));
    const parts = toWireParts({ findings, fields: [{ ...finding(0), field: 'Plan' }] });
    expect(parts).toHaveLength(3);
    const parsed = parts.map((p) => parseContentMessage(p));
    expect(parsed.every((p) => p !== null)).toBe(true);
    expect(parsed.map((p) => (p as { append?: boolean }).append ?? false)).toEqual([false, true, true]);
    expect(parsed.flatMap((p) => (p as { findings: Finding[] }).findings)).toHaveLength(findings.length);
    expect((parsed[0] as { fields: unknown[] }).fields).toHaveLength(1);
  });

  it('sends an empty report as one replacing message', () => {
    expect(toWireParts({ findings: [], fields: [] })).toEqual([{ type: 'findings', findings: [], fields: [] }]);
  });

  it('clips an overlong sentence around the mention instead of losing the message', () => {
    const long = 'word '.repeat(1000) + 'aura ' + 'word '.repeat(1000);
    const f = { ...finding(0, long), start: 5000, end: 5004, sentenceStart: 0 };
    const [msg] = toWireParts({ findings: [f], fields: [] });
    const parsed = parseContentMessage(msg) as { findings: Finding[] } | null;
    expect(parsed).not.toBeNull();
    const wire = parsed!.findings[0]!;
    expect(wire.sentence.length).toBe(MAX_STRING);
    expect(wire.sentence.slice(wire.start - wire.sentenceStart, wire.end - wire.sentenceStart)).toBe('aura');
  });

  it('accepts the card and panel messages and nothing like them', () => {
    expect(parseContentMessage({ type: 'entry-brief', entryId: 'aura' })).toEqual({
      type: 'entry-brief',
      entryId: 'aura',
    });
    expect(parseContentMessage({ type: 'entry-brief', entryId: '../x' })).toBeNull();
    for (const type of ['always-scan', 'pause-tab', 'resume-tab'] as const) {
      expect(parsePanelMessage({ type, tabId: 3 })).toEqual({ type, tabId: 3 });
      expect(parsePanelMessage({ type, tabId: -1 })).toBeNull();
      expect(parsePanelMessage({ type, tabId: '3' })).toBeNull();
    }
  });

  it.each([
    ['https://ehr.example.org/chart/12?x=1', 'https://ehr.example.org/*'],
    ['http://127.0.0.1:8080/a', 'http://127.0.0.1/*'],
    ['file:///tmp/a.html', null],
    ['about:blank', null],
    ['not a url', null],
    [undefined, null],
  ])('site pattern of %s', (url, pattern) => {
    expect(sitePattern(url)).toBe(pattern);
  });
});
