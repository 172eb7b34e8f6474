/**
 * The slice through every layer, in real Chromium: highlights on the demo pages under the right
 * names, the side panel (as a tab) lists the page's findings and searches the knowledge base, and
 * a click on a highlighted word opens its entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPanel, startHarness, tabIdOf, waitForHighlights, wordPoint, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('highlights on the demo pages', () => {
  it('marks the neurology note with category and context names', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(`${h.server.origin}/neurology-clinic-note.html`);
    const hl = await waitForHighlights(page);
    expect(hl['chartlight-aura-negated']).toContain('aura'); // "Denies aura."
    expect(hl['chartlight-symptom']).toEqual(expect.arrayContaining(['photophobia', 'nausea']));
    expect(hl['chartlight-symptom-negated']).toContain('phonophobia'); // "No phonophobia."
    expect(hl['chartlight-diagnosis-family']).toContain('migraines'); // "Mother with migraines."
    expect(hl['chartlight-symptom'] ?? []).not.toContain('phonophobia');
    for (const name of Object.keys(hl)) expect(name).toMatch(/^chartlight-[a-z-]+$/);
    await page.close();
  });

  it('marks ketamine on the infusion encounter', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(`${h.server.origin}/infusion-ketamine-encounter.html`);
    const hl = await waitForHighlights(page);
    const ketamine = Object.entries(hl)
      .filter(([name]) => name.startsWith('chartlight-ketamine'))
      .flatMap(([, words]) => words.map((w) => w.toLowerCase()));
    expect(ketamine).toContain('ketamine');
    // Flowsheet rows that do not name ketamine themselves: the table's first row does.
    expect(ketamine).toEqual(expect.arrayContaining(['dissociation', 'diplopia']));
    // The emergence screen's headers are read by their columns: no hallucinations in any row,
    // dissociation in two.
    expect(hl['chartlight-ketamine-negated']).toEqual(expect.arrayContaining(['Hallucinations']));
    expect(hl['chartlight-ketamine']).toEqual(expect.arrayContaining(['Dissociation']));
    expect(hl['chartlight-ketamine'] ?? []).not.toContain('Hallucinations');
    await page.close();
  });

  it('marks red flags on the emergency visit', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(`${h.server.origin}/ed-headache-visit.html`);
    const hl = await waitForHighlights(page);
    expect((hl['chartlight-red-flag'] ?? []).map((w) => w.toLowerCase())).toEqual(
      expect.arrayContaining(['worst headache of life', 'neck stiffness', 'different from his usual']),
    );
    expect(hl['chartlight-red-flag-negated'] ?? []).toEqual(expect.arrayContaining(['fever']));
    await page.close();
  });
});

describe('side panel', () => {
  it('lists the page findings for ?tab= and never counts a denied symptom as present', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(`${h.server.origin}/neurology-clinic-note.html`);
    await waitForHighlights(page);
    const panel = await openPanel(h, await tabIdOf(h, page));
    const aura = panel.locator('li[data-concept="aura"]').first();
    await aura.waitFor();
    expect(await aura.getAttribute('data-assertion')).toBe('negated');
    await panel.close();
    await page.close();
  });

  it('finds entries by a misspelled search', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(`${h.server.origin}/ed-headache-visit.html`);
    const panel = await openPanel(h, await tabIdOf(h, page));
    await panel.getByRole('button', { name: 'Search' }).click();
    await panel.getByLabel('Search the knowledge base').fill('fotophobia');
    await expect.poll(() => panel.locator('[data-entry]').first().getAttribute('data-entry')).toBe('photophobia');
    await panel.close();
    await page.close();
  });

  it('opens the entry of a highlighted word clicked on the page', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(`${h.server.origin}/ed-headache-visit.html`);
    await waitForHighlights(page);
    const panel = await openPanel(h, await tabIdOf(h, page));
    await panel.locator('li[data-concept]').first().waitFor();
    const p = await wordPoint(page, 'main', 'neck stiffness');
    await page.mouse.click(p.x, p.y);
    const entry = panel.locator('article[data-entry]');
    await entry.waitFor();
    expect(await entry.getAttribute('data-entry')).toBe('neck-stiffness');
    await panel.close();
    await page.close();
  });
});
