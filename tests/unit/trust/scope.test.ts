/**
 * The part of settings the content script and background read: categories switched off (user
 * under policy, garbage ignored) and policy sites (valid patterns only).
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { HIGHLIGHT_CATEGORIES } from '../../../lib/engine/types';
import { SETTINGS_KEY, disabledCategories, policySites } from '../../../lib/settings';
import { repairSettings } from '../../../lib/settings/repair';

describe('settings scope for the content script and background', () => {
  beforeEach(() => fakeBrowser.reset());

  it('merges the user’s and the policy’s categories', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: { version: 1, disabledCategories: ['drug'] } });
    await fakeBrowser.storage.managed.set({ disabledCategories: ['trigger', 'bogus'] });
    const set = await disabledCategories(fakeBrowser.storage.local, fakeBrowser.storage.managed);
    expect([...set].sort()).toEqual(['drug', 'trigger']);
  });

  it('highlights everything when storage is garbage or unreadable and there is no policy', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: 'garbage' });
    const throwing = { get: () => Promise.reject(new Error('no managed storage')) };
    expect((await disabledCategories(fakeBrowser.storage.local, throwing)).size).toBe(0);
    const broken = { get: () => Promise.reject(new Error('x')), set: () => Promise.resolve() };
    expect((await disabledCategories(broken, undefined)).size).toBe(0);
  });

  it('reads the user’s categories from any stored value as the repair does (without its notices)', async () => {
    const category = fc.oneof(fc.constantFrom(...HIGHLIGHT_CATEGORIES), fc.string({ maxLength: 8 }), fc.integer());
    const list = fc.oneof(fc.array(category, { maxLength: 5 }), fc.anything());
    const stored = fc.oneof(
      fc.record(
        { version: fc.oneof(fc.constantFrom(0, 1, 2), fc.anything()), disabledCategories: list, disabled: list },
        { requiredKeys: [] },
      ),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(stored, async (value) => {
        const local = { get: () => Promise.resolve({ [SETTINGS_KEY]: value }), set: () => Promise.resolve() };
        const got = await disabledCategories(local, undefined);
        expect([...got].sort()).toEqual([...new Set(repairSettings(value).value.disabledCategories)].sort());
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the policy’s categories when the user’s settings cannot be read', async () => {
    await fakeBrowser.storage.managed.set({ disabledCategories: ['red-flag'] });
    const broken = { get: () => Promise.reject(new Error('x')), set: () => Promise.resolve() };
    expect([...(await disabledCategories(broken, fakeBrowser.storage.managed))]).toEqual(['red-flag']);
  });

  it('asks both storage areas before either answers (the first pass waits for the slower one only)', async () => {
    const asked: string[] = [];
    const answers: (() => void)[] = [];
    const area = (name: string, value: Record<string, unknown>) => ({
      get: () => {
        asked.push(name);
        return new Promise<Record<string, unknown>>((ok) => answers.push(() => ok(value)));
      },
      set: () => Promise.resolve(),
    });
    const result = disabledCategories(
      area('local', { [SETTINGS_KEY]: { version: 1, disabledCategories: ['drug'] } }),
      area('managed', { disabledCategories: ['trigger'] }),
    );
    await Promise.resolve();
    expect(asked.sort()).toEqual(['local', 'managed']);
    for (const answer of answers) answer();
    expect([...(await result)].sort()).toEqual(['drug', 'trigger']);
  });

  it('reads only valid policy sites', async () => {
    expect(await policySites(undefined)).toBeNull();
    await fakeBrowser.storage.managed.set({ allowedSites: ['https://ehr.example.org/*', '<all_urls>', '*://*/*', 3] });
    expect(await policySites(fakeBrowser.storage.managed)).toEqual(['https://ehr.example.org/*']);
  });
});
