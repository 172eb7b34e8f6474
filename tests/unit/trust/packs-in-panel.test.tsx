/**
 * Pack entries in the real panel (App): found by search and opened as an entry, labelled "Local
 * protocol" with owner and review date in both places, with no change to the panel's code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../lib/panel/App';
import type { PanelPort } from '../../../lib/panel/port';
import { knownIds, mergePacks, parsePack } from '../../../lib/settings';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const base = loadKnowledge(join(FIXTURES, 'knowledge-mini')).panel;
const pack = parsePack(
  readFileSync(join(FIXTURES, 'protocol-packs', 'example-ketamine-protocol.json'), 'utf8'),
  knownIds(base),
);
const port: PanelPort = { watchTab: () => () => undefined, send: () => Promise.resolve(undefined) };

afterEach(cleanup);

describe('protocol pack entries in the panel', () => {
  it('are found by search and labelled in the results and the entry', async () => {
    const { data } = mergePacks(base, [{ ...pack, origin: 'policy' }]);
    render(<App data={data} port={port} tabId={null} />);
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    fireEvent.input(screen.getByLabelText('Search the knowledge base'), { target: { value: 'infusion protocol' } });
    const hit = await waitFor(() => {
      const el = document.querySelector('[data-entry="example-ketamine-infusion-protocol"]');
      if (!el) throw new Error('no result yet');
      return el;
    });
    expect(hit.textContent).toContain('(Local protocol)');
    fireEvent.click(hit);
    const article = await waitFor(() => {
      const el = document.querySelector('article[data-entry="example-ketamine-infusion-protocol"]');
      if (!el) throw new Error('entry not open yet');
      return el;
    });
    expect(article.textContent).toContain('(Local protocol)');
    expect(article.textContent).toContain('Example Hospital Infusion Centre');
    expect(article.textContent).toContain('reviewed 2026-10-01');
  });
});
