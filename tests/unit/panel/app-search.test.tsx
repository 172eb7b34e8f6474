import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../lib/panel/App';
import { MarkedTitle } from '../../../lib/panel/SearchView';
import { AXE_TIMEOUT, axeViolations } from './axe';
import { data, fakePort, tabOf, waitForEl } from './fixtures';

afterEach(cleanup);

function openSearch() {
  const port = fakePort();
  const r = render(<App data={data} port={port} tabId={7} />);
  port.emit(7, tabOf(['Photophobia.']));
  fireEvent.click(screen.getByRole('button', { name: 'Search' }));
  const input = screen.getByLabelText('Search the knowledge base') as HTMLInputElement;
  return { port, input, ...r };
}

const type = (input: HTMLInputElement, value: string) => fireEvent.input(input, { target: { value } });
const resultIds = () => [...document.querySelectorAll('[role="option"]')].map((o) => o.getAttribute('data-entry'));

describe('Search view', () => {
  it('forgives a misspelling and announces the count', async () => {
    const { input } = openSearch();
    expect(document.activeElement).toBe(input);
    type(input, 'fotophobia');
    await waitForEl('[role="option"]');
    expect(resultIds()[0]).toBe('photophobia');
    expect(document.querySelector('.result-count')!.getAttribute('aria-live')).toBe('polite');
    expect(document.querySelector('.result-count')!.textContent).toMatch(/^\d+ results?$/);
  });

  it('marks the matched words of titles', async () => {
    const { input } = openSearch();
    type(input, 'photophobia');
    const first = await waitForEl('[role="option"]');
    expect(first.querySelector('mark')?.textContent?.toLowerCase()).toContain('photophobia');
  });

  it('moves with the arrow keys, opens with Enter, and returns with Esc', async () => {
    const { input } = openSearch();
    type(input, 'migraine');
    await waitForEl('[role="option"]');
    const ids = resultIds();
    expect(ids.length).toBeGreaterThan(1);
    expect(input.getAttribute('aria-activedescendant')).toBe(`result-${ids[0]}`);
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe(`result-${ids[1]}`);
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(input.getAttribute('aria-activedescendant')).toBe(`result-${ids[ids.length - 1]}`);
    fireEvent.keyDown(input, { key: 'Enter' });
    const entry = await waitForEl('article[data-entry]');
    expect(entry.getAttribute('data-entry')).toBe(ids[ids.length - 1]);
    fireEvent.keyDown(document, { key: 'Escape' });
    const back = screen.getByLabelText('Search the knowledge base') as HTMLInputElement;
    expect(back.value).toBe('migraine');
    fireEvent.keyDown(back, { key: 'Escape' });
    expect(back.value).toBe('');
    fireEvent.keyDown(back, { key: 'Escape' });
    await waitForEl('.page-view');
  });

  it('filters by category and audience', async () => {
    const { input } = openSearch();
    type(input, 'migraine');
    await waitForEl('[role="option"]');
    fireEvent.change(screen.getByLabelText(/Category/), { target: { value: 'criteria' } });
    const ids = resultIds();
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(data.entries.find((e) => e.id === id)!.category).toBe('criteria');
    fireEvent.change(screen.getByLabelText(/Category/), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText(/Audience/), { target: { value: 'nurse' } });
    for (const id of resultIds()) expect(data.entries.find((e) => e.id === id)!.audience).toContain('nurse');
  });

  it('says there is nothing to show before typing and when nothing matches', () => {
    const { input } = openSearch();
    expect(screen.getByText(/Type to search/)).toBeTruthy();
    type(input, 'qqqqzzzz');
    expect(document.querySelector('.result-count')!.textContent).toBe('0 results');
    expect(document.querySelector('[role="listbox"]')).toBeNull();
  });

  it('marks overlapping and out-of-range title matches safely', () => {
    const { container } = render(
      <MarkedTitle
        title="Photophobia"
        ranges={[
          [0, 5],
          [3, 7],
          [20, 30],
        ]}
      />,
    );
    expect([...container.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['Photoph']);
    expect(container.textContent).toBe('Photophobia');
  });

  it('has no axe violations with results shown (wcag2a, wcag2aa)', { timeout: AXE_TIMEOUT }, async () => {
    const { input, container } = openSearch();
    type(input, 'migraine');
    await waitForEl('[role="option"]');
    expect(await axeViolations(container)).toEqual([]);
  });
});
