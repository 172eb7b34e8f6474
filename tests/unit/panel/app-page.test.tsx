import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../lib/panel/App';
import { AXE_TIMEOUT, axeViolations } from './axe';
import { INFUSION_NOTE, NEURO_NOTE, data, fakePort, tabOf, waitForEl } from './fixtures';

afterEach(cleanup);

const groupOfRow = (concept: string) =>
  [...document.querySelectorAll(`li.finding-row[data-concept="${concept}"]`)].map((li) =>
    li.getAttribute('data-group'),
  );

describe('This page view', () => {
  it('shows a loading state until the tab state arrives, then the findings', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    expect(screen.getByRole('status').textContent).toMatch(/Loading/);
    port.emit(7, tabOf([NEURO_NOTE]));
    await screen.findByText(/mentions in \d+ groups/);
    expect(groupOfRow('aura')).toEqual(['absent']);
    expect(groupOfRow('phonophobia')).toEqual(['absent']);
    expect(groupOfRow('photophobia')).toEqual(['present']);
    expect(groupOfRow('fever')).toEqual(['absent']);
    expect(groupOfRow('migraine')).toEqual(['family']);
    expect(groupOfRow('thunderclap-headache')).toEqual(['possible', 'hypothetical']);
  });

  it('says how many of the page’s mentions it lists when a frame had more, and nothing when it sent all', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    const tab = tabOf(['Nausea and photophobia.']);
    port.emit(7, { ...tab, frames: [{ ...tab.frames[0]!, total: 57_000 }] });
    const listed = tab.frames[0]!.findings.length;
    const note = await screen.findByText(/mentions found on the page/);
    expect(note.textContent).toMatch(new RegExp(`This list holds ${listed} of the 57000 mentions found on the page`));
    port.emit(7, tab);
    await waitFor(() => expect(screen.queryByText(/mentions found on the page/)).toBeNull());
  });

  it('orders groups by clinical weight', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    port.emit(7, tabOf(['Worst headache of life. ' + NEURO_NOTE]));
    await screen.findByText(/mentions in/);
    const order = [...document.querySelectorAll('section.group')].map((s) => s.getAttribute('data-group'));
    expect(order).toEqual(['red-flags', 'diagnoses', 'present', 'absent', 'family', 'possible', 'hypothetical']);
  });

  it('marks the matched words, shows the cue and the count, and renders page text as text', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    const tab = tabOf(['Denies aura. <img src=x onerror=alert(1)> No aura today.']);
    port.emit(7, tab);
    const row = await waitForEl('li.finding-row[data-concept="aura"]');
    expect(row.querySelector('.occurs')!.textContent).toBe('2 times');
    expect([...row.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['aura', 'aura']);
    expect(row.textContent).toContain("denied: 'Denies'");
    expect(document.querySelector('img')).toBeNull();
  });

  it('shows the first mentions of a long row and the rest on request', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    port.emit(7, tabOf([Array.from({ length: 12 }, (_, i) => `Photophobia ${i}.`).join(' ')]));
    const row = await waitForEl('li.finding-row[data-concept="photophobia"]');
    expect(row.querySelector('.occurs')!.textContent).toBe('12 times');
    expect(row.querySelectorAll('blockquote')).toHaveLength(5);
    fireEvent.click(within(row).getByRole('button', { name: /Show 7 more mentions/ }));
    expect(row.querySelectorAll('blockquote')).toHaveLength(12);
  });

  it('asks the background to reveal the clicked mention in its frame', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    port.emit(7, tabOf(['Nausea.', 'Mild nausea and photophobia.']));
    const row = await waitForEl('li.finding-row[data-concept="photophobia"]');
    fireEvent.click(within(row).getByRole('button', { name: /Show on page/ }));
    expect(port.sent).toEqual([{ type: 'reveal', tabId: 7, frameId: 1, index: 1 }]);
  });

  it('says when the page cannot be reached to reveal', async () => {
    const port = fakePort();
    port.reply = () => Promise.reject(new Error('gone'));
    render(<App data={data} port={port} tabId={7} />);
    port.emit(7, tabOf(['Photophobia.']));
    fireEvent.click(await screen.findByRole('button', { name: /Show on page/ }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Could not reach the page/);
  });

  it('lists text-field findings as such, without a reveal button', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    port.emit(7, tabOf([''], [{ label: 'Progress note', text: 'Photophobia.' }]));
    const row = await waitForEl('li.finding-row[data-concept="photophobia"]');
    expect(row.textContent).toContain('In a text field: Progress note');
    expect(within(row).queryByRole('button', { name: /Show on page/ })).toBeNull();
  });

  it('updates live, and empties when the tab navigates away', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    port.emit(7, tabOf(['Photophobia.']));
    await screen.findByText('1 mention in 1 group');
    port.emit(7, tabOf(['Photophobia. Nausea.']));
    await screen.findByText('2 mentions in 1 group');
    port.emit(7, null);
    await screen.findByText(/has not been scanned/);
    expect(document.querySelector('li.finding-row')).toBeNull();
  });

  it('follows the user to another tab', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    port.emit(7, tabOf(['Photophobia.']));
    await screen.findByText('1 mention in 1 group');
    port.activate(9);
    await screen.findByText(/Loading/);
    expect(port.watchers(7)).toBe(0);
    port.emit(9, tabOf(['No fever.'], [], 9));
    await waitFor(() => expect(groupOfRow('fever')).toEqual(['absent']));
  });

  it('has empty, error and no-tab states with clear text', async () => {
    const port = fakePort();
    const { unmount } = render(<App data={data} port={port} tabId={7} />);
    port.emit(7, tabOf(['Nothing relevant here.']));
    await screen.findByText('No migraine language found on this page.');
    port.fail(7, new Error('storage unavailable'));
    expect((await screen.findByRole('alert')).textContent).toContain('storage unavailable');
    unmount();
    render(<App data={data} port={fakePort()} tabId={null} />);
    screen.getByText(/No tab to show/);
  });

  it('offers a scan when the page has not been scanned', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    port.emit(7, null);
    fireEvent.click(await screen.findByRole('button', { name: 'Scan this page' }));
    expect(port.sent).toEqual([{ type: 'scan-tab', tabId: 7 }]);
  });

  it('opens the entry the user clicked on the page', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    port.emit(7, { ...tabOf(['Photophobia.']), focusEntry: 'fever' });
    await waitFor(() => expect(document.querySelector('article[data-entry="fever"]')).not.toBeNull());
  });

  it('raises the ketamine card with the page’s contraindication mentions', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    port.emit(7, tabOf([INFUSION_NOTE]));
    const card = await waitForEl('.ketamine-alert');
    const status = (id: string) => card.querySelector(`[data-caution="${id}"]`)?.getAttribute('data-status');
    expect(status('hypertension')).toBe('present');
    expect(['psychosis', 'substance-use-disorder', 'pregnancy', 'liver-disease'].map(status)).toEqual([
      'denied',
      'denied',
      'denied',
      'denied',
    ]);
    expect(card.querySelector('[data-caution="hypertension"] blockquote')!.textContent).toContain(
      'history of hypertension on lisinopril',
    );
    expect(document.querySelector('#ketamine-checklist')).not.toBeNull();
    expect(screen.getByRole('button', { name: /Ketamine supervision \(on this page\)/ })).toBeTruthy();
  });

  it('shows no ketamine card on a page without ketamine', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    port.emit(7, tabOf(['History of hypertension. Photophobia.']));
    await screen.findByText(/mentions in/);
    expect(document.querySelector('.ketamine-alert')).toBeNull();
  });

  it('has no axe violations (wcag2a, wcag2aa)', { timeout: AXE_TIMEOUT }, async () => {
    const port = fakePort();
    const { container } = render(<App data={data} port={port} tabId={7} />);
    port.emit(7, tabOf([NEURO_NOTE + ' ' + INFUSION_NOTE], [{ label: 'Note', text: 'Nausea.' }]));
    await screen.findByText(/mentions in/);
    expect(await axeViolations(container)).toEqual([]);
  });
});
