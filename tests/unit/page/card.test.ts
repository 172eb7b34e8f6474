import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../../lib/engine/types';
import { CARD_HOST_TAG, HIDE_GRACE_MS, HoverCard, contextLine, cueLine } from '../../../lib/page/card';

const base: Finding = {
  concept: 'aura',
  category: 'aura',
  title: 'Migraine aura',
  text: 'aura',
  start: 7,
  end: 11,
  assertion: 'affirmed',
  negated: false,
  uncertain: false,
  historical: false,
  hypothetical: false,
  family: false,
  sentence: 'Denies aura.',
  sentenceStart: 0,
  cues: [],
};

const negated: Finding = {
  ...base,
  assertion: 'negated',
  negated: true,
  cues: [{ flag: 'negated', text: 'Denies', start: 0, end: 6, kind: 'phrase' }],
};

describe('card text', () => {
  it.each([
    [base, ''],
    [negated, "negated by 'Denies'"],
    [
      {
        ...base,
        assertion: 'family',
        family: true,
        cues: [{ flag: 'family', text: 'Family History', start: 0, end: 14, kind: 'section' }],
      } as Finding,
      "family history by section 'Family History'",
    ],
    [{ ...base, assertion: 'uncertain', uncertain: true } as Finding, 'uncertain'],
    [
      {
        ...base,
        assertion: 'negated',
        negated: true,
        cues: [{ flag: 'negated', text: 'No', start: 40, end: 42, kind: 'column' }],
      } as Finding,
      "negated by its column: 'No' in every row",
    ],
  ])('cue line %#', (f, line) => {
    expect(cueLine(f)).toBe(line);
  });

  it('shortens a long sentence around the mention', () => {
    const sentence = 'x '.repeat(300) + 'aura ' + 'y '.repeat(300);
    const f = { ...base, sentence, start: 600, end: 604 };
    const line = contextLine(f, 100);
    expect(line.length).toBeLessThanOrEqual(102);
    expect(line).toContain('aura');
    expect(line.startsWith('…')).toBe(true);
  });
});

describe('HoverCard', () => {
  let ac: AbortController;
  beforeEach(() => {
    document.documentElement.querySelectorAll(CARD_HOST_TAG).forEach((n) => n.remove());
    ac = new AbortController();
  });

  const make = (onOpen = vi.fn()) =>
    new HoverCard({
      doc: document,
      signal: ac.signal,
      onOpen,
      brief: async () => ({ summary: 'A <b>summary</b>.', evidence: 'established' }),
    });
  const root = () => document.documentElement.querySelector(CARD_HOST_TAG)!.shadowRoot!;
  const at = { left: 10, top: 10, bottom: 30 };

  it('lives in one host on <html> and renders page text as text, never as markup', async () => {
    const card = make();
    const hostile = {
      ...negated,
      title: '<img src=x onerror=alert(1)>',
      sentence: 'Denies aura <img src=x onerror="alert(1)"> </script><script>alert(2)</script> \u202egnp.exe',
    };
    card.show(hostile, at, false);
    await Promise.resolve();
    await Promise.resolve();
    const hosts = document.documentElement.querySelectorAll(CARD_HOST_TAG);
    expect(hosts).toHaveLength(1);
    expect(hosts[0]!.parentElement).toBe(document.documentElement);
    expect(root().querySelectorAll('img, script, b')).toHaveLength(0);
    expect(root().querySelector('.title')!.textContent).toBe(hostile.title);
    expect(root().querySelector('.context')!.textContent).toBe(hostile.sentence);
    expect(root().querySelector('.brief')!.textContent).toBe('A <b>summary</b>.');
    expect(root().querySelector('.badge')!.textContent).toBe('Established');
    expect(root().querySelector('.assert')!.textContent).toBe("Negated: negated by 'Denies'");
    card.show(base, at, false);
    expect(document.documentElement.querySelectorAll(CARD_HOST_TAG)).toHaveLength(1);
    ac.abort();
    expect(document.documentElement.querySelectorAll(CARD_HOST_TAG)).toHaveLength(0);
  });

  it('stays while hovered, closes after the grace period once left, and on Esc', () => {
    vi.useFakeTimers();
    try {
      const card = make();
      card.show(base, at, false);
      card.leave();
      vi.advanceTimersByTime(HIDE_GRACE_MS - 50);
      card.enter(); // the pointer reached the card in time
      vi.advanceTimersByTime(HIDE_GRACE_MS * 3);
      expect(card.isOpen).toBe(true);
      card.leave();
      vi.advanceTimersByTime(HIDE_GRACE_MS + 1);
      expect(card.isOpen).toBe(false);
      card.show(base, at, false);
      root()
        .querySelector('.card')!
        .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      expect(card.isOpen).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('opened from the keyboard: focuses its button, which opens the entry, and gives focus back on close', () => {
    const onOpen = vi.fn();
    const card = make(onOpen);
    const before = document.createElement('button');
    document.body.append(before);
    before.focus();
    card.show(negated, at, true);
    const button = root().querySelector('button')!;
    expect(root().activeElement).toBe(button);
    card.leave(); // a keyboard card does not close because the pointer moved
    expect(card.isOpen).toBe(true);
    button.click();
    expect(onOpen).toHaveBeenCalledWith('aura');
    card.hide();
    expect(document.activeElement).toBe(before);
    before.remove();
  });

  it('opened from the keyboard while the page had no focus: closing leaves no focus in the hidden card', () => {
    (document.activeElement as HTMLElement | null)?.blur();
    // In Chromium <body> takes no focus, and a hidden element keeps it until the next frame.
    const bodyFocus = vi.spyOn(document.body, 'focus').mockImplementation(() => undefined);
    try {
      const card = make();
      card.show(base, at, true);
      expect(root().activeElement).toBe(root().querySelector('button'));
      card.hide();
      expect(root().activeElement).toBeNull();
      expect(document.activeElement).not.toBe(document.querySelector(CARD_HOST_TAG));
    } finally {
      bodyFocus.mockRestore();
    }
  });
});
