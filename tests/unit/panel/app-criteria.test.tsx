import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../lib/panel/App';
import { CRITERIA, criterionFact } from '../../../lib/panel/criteria';
import { AXE_TIMEOUT, axeViolations } from './axe';
import { data, fakePort, tabOf, waitForEl } from './fixtures';

afterEach(cleanup);

async function openCriteria(text: string | null) {
  const port = fakePort();
  const r = render(<App data={data} port={port} tabId={7} />);
  if (text !== null) port.emit(7, tabOf([text]));
  fireEvent.click(screen.getByRole('button', { name: 'ICHD-3 criteria' }));
  const view = await waitForEl('.criteria-view');
  return { port, view, ...r };
}

const statusOf = (view: HTMLElement, code: string, label: string) =>
  view.querySelector(`[data-criteria="${code}"] [data-element="${label}"]`)?.getAttribute('data-status');

describe('ICHD-3 criteria coverage', () => {
  it('counts only affirmed findings as documented and shows denied ones as denied', async () => {
    const { view } = await openCriteria('Throbbing HA with nausea and photophobia. No phonophobia. Denies aura.');
    expect(statusOf(view, '1.1', 'Nausea and/or vomiting')).toBe('documented');
    expect(statusOf(view, '1.1', 'Photophobia (with phonophobia)')).toBe('documented');
    expect(statusOf(view, '1.1', 'Phonophobia (with photophobia)')).toBe('denied');
    expect(statusOf(view, '1.2', 'Aura (any fully reversible aura symptom)')).toBe('denied');
    expect(statusOf(view, '1.3', 'Medication overuse (code both when present)')).toBe('not-detectable');
  });

  it('does not take a denied family history for the patient\u2019s denial', async () => {
    const { view } = await openCriteria('Throbbing HA. No family history of aura.');
    expect(statusOf(view, '1.2', 'Aura (any fully reversible aura symptom)')).toBe('not-mentioned');
  });

  it('does not count family or hypothetical mentions as documented', async () => {
    const { view } = await openCriteria('Mother has photophobia. Return if nausea.');
    expect(statusOf(view, '1.1', 'Photophobia (with phonophobia)')).toBe('not-mentioned');
    expect(statusOf(view, '1.1', 'Nausea and/or vomiting')).toBe('not-mentioned');
  });

  it('quotes the sentence behind a status', async () => {
    const { view } = await openCriteria('Some text. No phonophobia today.');
    const li = view.querySelector('[data-criteria="1.1"] [data-element="Phonophobia (with photophobia)"]')!;
    expect(li.querySelector('blockquote')!.textContent).toBe('No phonophobia today.');
    expect(li.querySelector('mark')!.textContent).toBe('phonophobia');
  });

  it('shows each criterion’s text with its citation from the criteria entries, and the disclaimer', async () => {
    const { view } = await openCriteria('Photophobia.');
    for (const set of CRITERIA) expect(view.querySelector(`[data-criteria="${set.code}"]`)).not.toBeNull();
    const crit = [...view.querySelectorAll('[data-criteria="1.1"] .criterion-text')].map((p) => p.textContent);
    expect(crit.some((t) => t!.startsWith('D. During headache at least one of'))).toBe(true);
    expect(view.querySelector('[data-criteria="1.1"] .criterion-text summary')!.textContent).toMatch(/2018$/);
    expect(view.textContent).toContain('This supports documentation and is not a diagnosis');
  });

  it('finds criterion facts by their letter, in any of the usual spellings', () => {
    const entry = data.entries.find((e) => e.id === 'ichd3-1-1-criteria')!;
    expect(criterionFact(entry, 'C')!.text).toMatch(/^C\. At least two/);
    const alt = { ...entry, detail: [{ text: 'Criterion B: 4–72 h.', cite: ['ichd3-2018'] }] };
    expect(criterionFact(alt, 'B')!.text).toBe('Criterion B: 4–72 h.');
    expect(criterionFact(alt, 'C')).toBeUndefined();
  });

  it('says so when the page has not been scanned, while loading and on error', async () => {
    const { view, port } = await openCriteria(null);
    expect(view.textContent).toContain('Loading');
    port.emit(7, null);
    await screen.findByText(/has not been scanned/);
    port.fail(7, new Error('broken'));
    expect((await screen.findByRole('alert')).textContent).toContain('broken');
  });

  it('has no axe violations (wcag2a, wcag2aa)', { timeout: AXE_TIMEOUT }, async () => {
    const { container } = await openCriteria('Throbbing HA with nausea and photophobia. No phonophobia.');
    expect(await axeViolations(container)).toEqual([]);
  });
});
