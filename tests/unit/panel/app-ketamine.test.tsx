import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../lib/panel/App';
import { checklistItems, checklistText, isKetamineMention } from '../../../lib/panel/ketamine';
import { AXE_TIMEOUT, axeViolations } from './axe';
import { INFUSION_NOTE, data, fakePort, findingsOf, tabOf, waitForEl } from './fixtures';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function openKetamine(text: string | null) {
  const port = fakePort();
  const r = render(<App data={data} port={port} tabId={7} />);
  port.emit(7, text === null ? null : tabOf([text]));
  fireEvent.click(screen.getByRole('button', { name: /^Ketamine supervision/ }));
  const view = await waitForEl('.ketamine-view');
  return { port, view, ...r };
}

const phases = (view: HTMLElement) =>
  [...view.querySelectorAll('.checklist section.phase')].map((s) => s.className.replace(/.*phase-/, ''));

describe('Ketamine supervision view', () => {
  it('lists every checklist item of the supervision entries, each cited', async () => {
    const { view } = await openKetamine(INFUSION_NOTE);
    const items = view.querySelectorAll('.check-item');
    expect(items).toHaveLength(checklistItems(data).length);
    for (const item of items) expect(item.querySelector('details.cite summary')?.textContent).toMatch(/\d{4}$/);
    const first = view.querySelector('details.cite')!;
    expect(first.querySelector('.full-source')!.textContent).toMatch(/(doi:|https:)/);
  });

  it('raises contraindications the page mentions as present and shows denied ones with their sentence', async () => {
    const { view } = await openKetamine(INFUSION_NOTE);
    const warnings = view.querySelector('.warnings')!;
    expect([...warnings.querySelectorAll('[data-caution]')].map((e) => e.getAttribute('data-caution'))).toEqual([
      'hypertension',
    ]);
    expect(warnings.textContent).toContain('history of hypertension on lisinopril');
    const denied = [...view.querySelectorAll('[data-status="denied"]')].map((e) => e.getAttribute('data-caution'));
    expect(denied.sort()).toEqual(['liver-disease', 'pregnancy', 'psychosis', 'substance-use-disorder']);
    expect(view.querySelector('[data-caution="pregnancy"] blockquote')!.textContent).toBe('Not pregnant.');
  });

  it('does not take a denied family history for the patient\u2019s own denial', async () => {
    const { view } = await openKetamine('Ketamine infusion planned. No family history of psychosis.');
    const status = view.querySelector('[data-caution="psychosis"]')?.getAttribute('data-status');
    expect(status).toBe('other');
  });

  it('does not raise a pregnancy that is over, where a past psychosis still counts', async () => {
    const { view } = await openKetamine('Ketamine infusion planned. Migraines improved during her last pregnancy.');
    expect(view.querySelector('[data-caution="pregnancy"]')?.getAttribute('data-status')).toBe('other');
    cleanup();
    const again = await openKetamine('Ketamine infusion planned. History of psychosis.');
    expect(again.view.querySelector('[data-caution="psychosis"]')?.getAttribute('data-status')).toBe('present');
  });

  it('puts monitoring first for nurses and evidence and contraindications first for neurologists', async () => {
    const { view } = await openKetamine(INFUSION_NOTE);
    expect(phases(view)[0]).toBe('during');
    fireEvent.click(within(view).getByRole('button', { name: /Neurologist's view/ }));
    expect(phases(view)[0]).toBe('before');
    const order = [...view.querySelectorAll('.ketamine-panel > section, .ketamine-panel > div')].map(
      (s) => s.getAttribute('aria-label') ?? s.className,
    );
    expect(order.indexOf('Evidence')).toBeLessThan(order.indexOf('checklist'));
    expect(
      within(view)
        .getByRole('button', { name: /Neurologist's view/ })
        .getAttribute('aria-pressed'),
    ).toBe('true');
  });

  it('copies the checklist as plain text with its citations', async () => {
    const write = vi.fn((_text: string) => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: write }, configurable: true });
    const { view } = await openKetamine(INFUSION_NOTE);
    fireEvent.click(within(view).getByRole('button', { name: 'Copy as text' }));
    await within(view).findByText('Copied');
    const text = write.mock.calls[0]![0] as string;
    expect(text).toContain('[ ] Observe for at least 2 hours');
    expect(text).toContain('Hypertension (ketamine caution): MENTIONED AS PRESENT');
    expect(text).toMatch(/References:\n1\. /);
    expect(text).toContain('doi:10.1097/AAP.0000000000000808');
  });

  it('falls back to a selectable text field when the clipboard is refused', async () => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: () => Promise.reject(new Error('denied')) },
      configurable: true,
    });
    const { view } = await openKetamine(INFUSION_NOTE);
    fireEvent.click(within(view).getByRole('button', { name: 'Copy as text' }));
    const area = (await within(view).findByRole('textbox', { name: /text to copy/ })) as HTMLTextAreaElement;
    expect(area.value).toContain('Ketamine supervision checklist');
    expect(area.readOnly).toBe(true);
  });

  it('works on demand without a scanned page, and says contraindications are not checked', async () => {
    const { view } = await openKetamine(null);
    expect(view.textContent).toContain('not checked against it');
    expect(view.querySelectorAll('.check-item').length).toBeGreaterThan(0);
    expect(view.querySelector('.warnings')).toBeNull();
  });

  it('shows loading and error states', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    fireEvent.click(screen.getByRole('button', { name: /^Ketamine supervision/ }));
    screen.getByText(/Loading this page/);
    port.fail(7, new Error('no storage'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/no storage.*not checked/);
  });

  it('treats ketamine and its forms as mentions, not its cautions', () => {
    const byId = new Map(data.entries.map((e) => [e.id, e]));
    const f = (t: string) => findingsOf(t)[0]!;
    expect(isKetamineMention(f('Ketalar given.'), byId.get('ketamine'))).toBe(true);
    expect(isKetamineMention(f('Hypertension.'), byId.get('hypertension'))).toBe(false);
    expect(isKetamineMention(f('Photophobia.'), byId.get('photophobia'))).toBe(false);
  });

  it('builds the same text for either role, in that role’s order', () => {
    const nurse = checklistText(data, 'nurse', []);
    const neuro = checklistText(data, 'neurologist', []);
    expect(nurse.indexOf('During: monitoring')).toBeLessThan(nurse.indexOf('Before: screening'));
    expect(neuro.indexOf('Before: screening')).toBeLessThan(neuro.indexOf('During: monitoring'));
    // Reference numbers follow the order of first use, so compare the items without them.
    const items = (t: string) =>
      t
        .split('\n')
        .filter((l) => l.startsWith('[ ]'))
        .map((l) => l.replace(/(\[\d+\])+$/, ''))
        .sort();
    expect(items(nurse)).toEqual(items(neuro));
    expect(items(nurse)).toHaveLength(checklistItems(data).length);
  });

  it('has no axe violations in either role (wcag2a, wcag2aa)', { timeout: AXE_TIMEOUT }, async () => {
    const { view, container } = await openKetamine(INFUSION_NOTE);
    expect(await axeViolations(container)).toEqual([]);
    fireEvent.click(within(view).getByRole('button', { name: /Neurologist's view/ }));
    expect(await axeViolations(container)).toEqual([]);
  });
});
