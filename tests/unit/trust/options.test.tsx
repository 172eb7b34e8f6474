/**
 * The options page: protocol packs imported by paste (errors name the field, nothing rendered as
 * HTML), listed with the "Local protocol" label and removable; categories switched off by policy
 * are locked; repaired settings show a notice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Options } from '../../../lib/panel/Options';
import { PACKS_KEY, SETTINGS_KEY, knownIds } from '../../../lib/settings';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const known = knownIds(loadKnowledge(join(FIXTURES, 'knowledge-mini')).panel);
const packText = readFileSync(join(FIXTURES, 'protocol-packs', 'example-ketamine-protocol.json'), 'utf8');
const api = fakeBrowser as unknown as WxtBrowser;

beforeEach(() => {
  fakeBrowser.reset();
  // The fake browser does not implement permissions; the page only reads them here.
  Object.assign(fakeBrowser.permissions, {
    getAll: () => Promise.resolve({ origins: ['http://127.0.0.1/*'], permissions: [] }),
    contains: () => Promise.resolve(false),
  });
});

afterEach(cleanup);

async function paste(text: string) {
  fireEvent.input(screen.getByLabelText('Or paste a pack'), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: 'Import pasted pack' }));
}

describe('options page', () => {
  it('imports a pasted pack, labels it and removes it', async () => {
    render(<Options api={api} known={known} />);
    await screen.findByText('http://127.0.0.1/*', { exact: false });
    await paste(packText);
    await screen.findByText(/Imported "Example Hospital ketamine infusion protocol"/);
    const item = document.querySelector('[data-pack]')!;
    expect(item.textContent).toContain('Local protocol · Example Hospital Infusion Centre');
    expect(item.textContent).toContain('reviewed 2026-10-01');
    const stored = (await fakeBrowser.storage.local.get(PACKS_KEY))[PACKS_KEY] as unknown[];
    expect(stored).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(document.querySelector('[data-pack]')).toBeNull());
    expect((await fakeBrowser.storage.local.get(PACKS_KEY))[PACKS_KEY]).toEqual([]);
  });

  it('names the field of an invalid pack and renders hostile text as text', async () => {
    render(<Options api={api} known={known} />);
    const bad = JSON.parse(packText);
    bad.name = '<img src=x onerror=alert(1)>';
    bad.entries[0].summary = 'x'.repeat(200);
    await paste(JSON.stringify(bad));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/entries\[0\]\.summary: must be under 140 characters/);
    const good = JSON.parse(packText);
    good.name = '<img src=x onerror=alert(1)>';
    await paste(JSON.stringify(good));
    await screen.findByText(/Imported/);
    expect(document.querySelector('[data-pack]')!.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(document.querySelectorAll('img')).toHaveLength(0);
  });

  it('locks categories the policy switched off and lists policy packs as not removable', async () => {
    await fakeBrowser.storage.managed.set({ disabledCategories: ['trigger'], protocolPacks: [packText] });
    render(<Options api={api} known={known} />);
    const trigger = await waitFor(() => {
      const el = document.querySelector('[data-category="trigger"][data-locked]');
      if (!el) throw new Error('policy not applied yet');
      return el;
    });
    expect(trigger.getAttribute('data-locked')).toBe('true');
    expect((trigger.querySelector('input') as HTMLInputElement).disabled).toBe(true);
    expect((trigger.querySelector('input') as HTMLInputElement).checked).toBe(false);
    await screen.findByText(/set by your organisation/);
    expect(screen.queryByRole('button', { name: 'Remove' })).toBeNull();
  });

  it('shows a notice when stored settings were repaired, and saves a category switch', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: 'garbage' });
    render(<Options api={api} known={known} />);
    await screen.findByText(/reset to the defaults/);
    const aura = await waitFor(() => {
      const el = document.querySelector('[data-category="aura"] input') as HTMLInputElement | null;
      if (!el) throw new Error('not rendered yet');
      return el;
    });
    fireEvent.click(aura);
    await waitFor(async () =>
      expect((await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]).toEqual({
        version: 1,
        disabledCategories: ['aura'],
      }),
    );
  });
});
