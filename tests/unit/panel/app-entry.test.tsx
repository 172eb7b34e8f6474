import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../lib/panel/App';
import type { PanelData } from '../../../lib/knowledge/panel-data';
import { AXE_TIMEOUT, axeViolations } from './axe';
import { data, fakePort, tabOf, waitForEl } from './fixtures';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function openEntry(id: string, panelData: PanelData = data) {
  const port = fakePort();
  const r = render(<App data={panelData} port={port} tabId={7} />);
  port.emit(7, { ...tabOf(['Photophobia.']), focusEntry: id });
  const article = await waitForEl('article[data-entry]');
  return { article, ...r };
}

describe('Entry view', () => {
  it('shows the badge, summary, facts with citations, sources in full and the review date', async () => {
    const { article } = await openEntry('hypertension');
    expect(article.querySelector('h2')!.textContent).toBe('Hypertension (ketamine caution)');
    expect(article.querySelector('.badge.indicator-warning')!.textContent).toBe('Warning');
    const facts = [...article.querySelectorAll('.detail li')];
    expect(facts.length).toBe(2);
    for (const f of facts) expect(f.querySelector('details.cite')).not.toBeNull();
    const sources = [...article.querySelectorAll('.sources li .full-source')].map((s) => s.textContent);
    expect(sources.some((s) => s!.includes('doi:10.1097/AAP.0000000000000808'))).toBe(true);
    expect(article.querySelector('a')).toBeNull();
    expect(article.textContent).toContain('Last reviewed 2026-11-27');
  });

  it('shows what on the page raised it and takes the focus', async () => {
    const port = fakePort();
    render(<App data={data} port={port} tabId={7} />);
    port.emit(7, { ...tabOf(['Photophobia today. No fever. Mild photophobia.']), focusEntry: 'photophobia' });
    const article = await waitForEl('article[data-entry="photophobia"]');
    const mentions = article.querySelector('.entry-mentions')!;
    expect(mentions.querySelector('h3')!.textContent).toBe('On this page (2)');
    expect([...mentions.querySelectorAll('blockquote')].map((b) => b.textContent)).toEqual([
      'Photophobia today.',
      'Mild photophobia.',
    ]);
    await waitFor(() => expect(document.activeElement).toBe(article.querySelector('h2')));
  });

  it('shows limited and negative evidence prominently with its note', async () => {
    const weak = structuredClone(data);
    const e = weak.entries.find((x) => x.id === 'ketamine')!;
    e.evidence = { level: 'negative', note: 'Two emergency-department trials found no benefit.' };
    const { article } = await openEntry('ketamine', weak);
    const badge = article.querySelector('.evidence-limited')!;
    expect(badge.querySelector('.badge')!.textContent).toBe('Negative evidence');
    expect(badge.textContent).toContain('found no benefit');
  });

  it('opens related entries by title and goes back', async () => {
    const { article } = await openEntry('ketamine-supervision-checklist');
    fireEvent.click(within(article).getByRole('button', { name: 'Ketamine' }));
    expect((await waitForEl('article[data-entry]')).getAttribute('data-entry')).toBe('ketamine');
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    await waitForEl('.page-view');
  });

  it('copies a citation and the entry as text', async () => {
    const write = vi.fn((_text: string) => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: write }, configurable: true });
    const { article } = await openEntry('liver-disease');
    fireEvent.click(within(article).getAllByRole('button', { name: 'Copy citation' })[0]!);
    await within(article).findByText('Copied');
    expect(write.mock.calls[0]![0]).toMatch(/^Cohen SP, .*2018\. doi:10\.1097/);
    fireEvent.click(within(article).getByRole('button', { name: 'Copy as text' }));
    await vi.waitFor(() => expect(write).toHaveBeenCalledTimes(2));
    const text = write.mock.calls[1]![0] as string;
    expect(text).toMatch(/^Liver disease \(ketamine caution\) \(Warning\)/);
    expect(text).toContain('- Drug-induced liver injury is a labelled warning for ketamine. [2]');
    expect(text).toContain('2. Hospira / Pfizer.');
  });

  it('says so when the entry is not in the knowledge base', async () => {
    const { article } = await openEntry('fever');
    expect(article).toBeTruthy();
    const port = fakePort();
    cleanup();
    render(<App data={data} port={port} tabId={7} />);
    port.emit(7, { ...tabOf(['x']), focusEntry: 'no-such-entry' });
    expect((await screen.findByRole('alert')).textContent).toContain('"no-such-entry" is not in the knowledge base');
  });

  it('always shows the disclaimer and the knowledge version', async () => {
    await openEntry('fever');
    expect(screen.getByText('Decision support for healthcare professionals. Not a diagnosis.')).toBeTruthy();
    expect(screen.getByText(`Knowledge ${data.version} · ${data.hash}`)).toBeTruthy();
  });

  it('has no axe violations (wcag2a, wcag2aa)', { timeout: AXE_TIMEOUT }, async () => {
    const { container } = await openEntry('ketamine-supervision-checklist');
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe('axe under happy-dom', () => {
  it('does report a violation when there is one', { timeout: AXE_TIMEOUT }, async () => {
    const { container } = render(
      <main>
        <input type="text" />
      </main>,
    );
    expect((await axeViolations(container)).some((v) => v.startsWith('label'))).toBe(true);
  });
});
