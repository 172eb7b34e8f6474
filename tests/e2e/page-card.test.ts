/**
 * The hover card in real Chromium: opened by the mouse (also over a word inside a frame) and by the
 * keyboard's step command, kept while hovered, closed by Esc; Enter on its button opens the entry;
 * pause and resume from the panel. The page's DOM gains exactly one node: the card's host on <html>.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, tabIdOf, waitForHighlights, wordPoint, type Harness } from './harness';
import {
  frameHighlights,
  installMutationProbe,
  panelMessage,
  probeLog,
  sendToTab,
  tabState,
  words,
} from './page-probes';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await installMutationProbe(h.browser.context);
});
afterAll(async () => {
  await h?.close();
});

interface CardView {
  visible: boolean;
  onHtml: boolean;
  title: string;
  assert: string;
  context: string;
  brief: string;
  badge: string;
  focused: boolean;
}

async function card(page: Page): Promise<CardView | null> {
  return page.evaluate(() => {
    const host = document.querySelector('chartlight-card');
    const root = host?.shadowRoot;
    if (!host || !root) return null;
    const text = (sel: string) => root.querySelector(sel)?.textContent ?? '';
    return {
      visible: !(root.querySelector('.card') as HTMLElement).hidden,
      onHtml: host.parentElement === document.documentElement,
      title: text('.title'),
      assert: text('.assert'),
      context: text('.context'),
      brief: text('.brief'),
      badge: text('.badge'),
      focused: document.activeElement === host && root.activeElement?.tagName === 'BUTTON',
    };
  });
}

async function cardBox(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const box = document.querySelector('chartlight-card')!.shadowRoot!.querySelector('.card')!.getBoundingClientRect();
    return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
  });
}

/** Viewport point of a word inside a frame: the word's point in the frame plus the frame's content box. */
async function wordPointInFrame(page: Page, frameSelector: string, frame: Frame, word: string) {
  const inner = await frame.evaluate((w) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = (n as Text).data.indexOf(w);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + w.length);
      const b = r.getBoundingClientRect();
      return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
    }
    return null;
  }, word);
  const outer = await page.evaluate((sel) => {
    const f = document.querySelector(sel)!;
    const b = f.getBoundingClientRect();
    return { x: b.left + f.clientLeft, y: b.top + f.clientTop };
  }, frameSelector);
  if (!inner) throw new Error(`${word} not in frame`);
  return { x: inner.x + outer.x, y: inner.y + outer.y };
}

describe('hover card by mouse', () => {
  it('shows title, cue, context, summary and evidence; stays while hovered; closes on Esc and on leaving', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(`${h.server.origin}/neurology-clinic-note.html`);
    await waitForHighlights(page);
    const p = await wordPoint(page, 'main', 'aura'); // "Denies aura."
    await page.mouse.move(p.x - 30, p.y);
    await page.mouse.move(p.x, p.y, { steps: 3 });
    await expect.poll(async () => (await card(page))?.visible, { timeout: 5000 }).toBe(true);
    const c = (await card(page))!;
    expect(c.onHtml).toBe(true);
    expect(c.title).toMatch(/aura/i);
    expect(c.assert).toBe("Negated: negated by 'Denies'");
    expect(c.context).toBe('Denies aura.');
    expect(c.focused).toBe(false); // the mouse never takes focus from the chart
    await expect.poll(async () => (await card(page))!.brief.length, { timeout: 5000 }).toBeGreaterThan(10);
    expect((await card(page))!.badge).not.toBe('');

    // Hoverable: the pointer travels onto the card and the card stays, well past the grace period.
    const onCard = await cardBox(page);
    await page.mouse.move(onCard.x, onCard.y, { steps: 8 });
    await page.waitForTimeout(800);
    expect((await card(page))!.visible).toBe(true);
    await page.keyboard.press('Escape');
    expect((await card(page))!.visible).toBe(false);

    // Leaving the word closes it (after the grace period).
    await page.mouse.move(p.x, p.y, { steps: 2 });
    await expect.poll(async () => (await card(page))!.visible).toBe(true);
    await page.mouse.move(5, 5, { steps: 4 });
    await expect.poll(async () => (await card(page))!.visible, { timeout: 3000 }).toBe(false);

    // Hovering a word that is not a finding shows nothing.
    const plain = await wordPoint(page, 'main', 'Follow-up');
    await page.mouse.move(plain.x, plain.y, { steps: 2 });
    await page.waitForTimeout(800);
    expect((await card(page))!.visible).toBe(false);

    const log = await probeLog(page);
    expect(log.inApp).toEqual([]);
    expect(log.outside).toEqual([
      { type: 'childList', target: 'html', added: ['chartlight-card'], removed: [], attribute: null },
    ]);
    await page.close();
  });

  it('opens the card in the top document for a word inside a same-origin frame', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(`${h.server.origin}/emr-frames.html`);
    const el = await page.waitForSelector('#tab-encounter');
    const frame = (await el.contentFrame())!;
    await expect
      .poll(async () => words(await frameHighlights(frame)).includes('photophobia'), { timeout: 10_000 })
      .toBe(true);
    const p = await wordPointInFrame(page, '#tab-encounter', frame, 'photophobia');
    await page.mouse.move(p.x - 20, p.y);
    await page.mouse.move(p.x, p.y, { steps: 3 });
    await expect.poll(async () => (await card(page))?.title, { timeout: 5000 }).toMatch(/^Photophobia/);
    expect((await card(page))!.context).toContain('photophobia');
    await page.close();
  });
});

describe('hover card over a note that re-renders every second', () => {
  it('stays open on the same mention across re-renders while the pointer rests on it', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(`${h.server.origin}/rerender-app.html`);
    await expect.poll(async () => words(await frameHighlights(page)).includes('photophobia')).toBe(true);
    const p = await wordPoint(page, '#app-root', 'photophobia');
    await page.mouse.move(p.x - 20, p.y);
    await page.mouse.move(p.x, p.y, { steps: 3 });
    await expect.poll(async () => (await card(page))?.visible, { timeout: 5000 }).toBe(true);
    const renders = await page.evaluate(() => document.querySelector('#note p:last-child')!.textContent);
    for (let i = 0; i < 10; i++) {
      await page.waitForTimeout(250);
      expect((await card(page))!.visible).toBe(true);
    }
    // The note really was replaced meanwhile.
    expect(await page.evaluate(() => document.querySelector('#note p:last-child')!.textContent)).not.toBe(renders);
    await page.close();
  });
});

describe('hover card by keyboard', () => {
  it('steps through findings, focuses the card, opens the entry with Enter and closes with Esc', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(`${h.server.origin}/neurology-clinic-note.html?keyboard`);
    await waitForHighlights(page);
    const tabId = await tabIdOf(h, page);
    await expect.poll(async () => (await tabState(h, tabId))?.frames[0]?.findings.length ?? 0).toBeGreaterThan(2);
    const findings = (await tabState(h, tabId))!.frames[0]!.findings;

    // What the next-finding command (Alt+Shift+Period) sends to the tab's top frame.
    await sendToTab(h, tabId, { type: 'step', direction: 1 }, 0);
    await expect.poll(async () => (await card(page))?.title).toBe(findings[0]!.title);
    await sendToTab(h, tabId, { type: 'step', direction: 1 }, 0);
    await expect.poll(async () => (await card(page))?.title).toBe(findings[1]!.title);
    expect((await card(page))!.focused).toBe(true);
    const flashed = await page.evaluate(() => CSS.highlights.has('chartlight-focus'));
    expect(flashed).toBe(true);

    await page.keyboard.press('Enter');
    await expect.poll(async () => (await tabState(h, tabId))?.focusEntry).toBe(findings[1]!.concept);

    // Previous (Alt+Shift+Comma) goes back; Esc closes and gives focus back to the page.
    await sendToTab(h, tabId, { type: 'step', direction: -1 }, 0);
    await expect.poll(async () => (await card(page))?.title).toBe(findings[0]!.title);
    await page.keyboard.press('Escape');
    const after = (await card(page))!;
    expect(after.visible).toBe(false);
    expect(after.focused).toBe(false);
    expect((await probeLog(page)).inApp).toEqual([]);
    await page.close();
  });
});

describe('hover card accessibility', () => {
  it('passes axe-core (WCAG 2 A and AA) when open, with its cue and context', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(`${h.server.origin}/neurology-clinic-note.html?axe`);
    await waitForHighlights(page);
    const tabId = await tabIdOf(h, page);
    await sendToTab(h, tabId, { type: 'step', direction: 1 }, 0);
    await expect.poll(async () => (await card(page))?.visible).toBe(true);
    await expect.poll(async () => (await card(page))!.brief.length).toBeGreaterThan(0);
    // Evaluated, not added as a <script>: the page's DOM stays as it was.
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; help: string }[] }> };
        }
      ).axe;
      const res = await axe.run(
        { include: [['chartlight-card']] },
        { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } },
      );
      return res.violations.map((v) => `${v.id}: ${v.help}`);
    });
    expect(violations).toEqual([]);
    await page.close();
  });
});

describe('pause and resume from the panel', () => {
  it('clears the highlights and stops observing while paused; resumes with the page as it is now', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(`${h.server.origin}/neurology-clinic-note.html?pause`);
    await waitForHighlights(page);
    const tabId = await tabIdOf(h, page);
    await panelMessage(h, { type: 'pause-tab', tabId });
    await expect.poll(async () => Object.keys(await frameHighlights(page)).length).toBe(0);
    expect(await tabState(h, tabId)).toMatchObject({ paused: true, frames: [] });

    // A change while paused is not picked up...
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'Addendum: ketamine infusion planned.';
      document.querySelector('main')!.append(p);
    });
    await page.waitForTimeout(600);
    expect(Object.keys(await frameHighlights(page)).length).toBe(0);

    // ...until the tab is resumed.
    await panelMessage(h, { type: 'resume-tab', tabId });
    await expect
      .poll(async () => Object.keys(await frameHighlights(page)).some((n) => n.startsWith('chartlight-ketamine')))
      .toBe(true);
    expect((await tabState(h, tabId))!.paused).toBe(false);
    await page.close();
  });
});
