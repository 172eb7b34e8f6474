import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../lib/engine/types';
import { MAX_STRING, parseContentMessage, parsePanelMessage, sitePattern } from '../../../lib/messaging/contract';
import { REPORT_PART, toWireParts } from '../../../lib/page/content-main';

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
