/**
 * Trust checklist, settings: whatever storage.local holds (garbage, an older or newer shape, a
 * half-written object, a storage that throws), loading repairs it to valid settings with a notice
 * and never throws.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { HIGHLIGHT_CATEGORIES } from '../../../lib/engine/types';
import {
  DEFAULT_SETTINGS,
  SETTINGS_KEY,
  SETTINGS_VERSION,
  loadSettings,
  repairSettings,
  saveSettings,
} from '../../../lib/settings';

const local = () => fakeBrowser.storage.local;

describe('settings repair', () => {
  beforeEach(() => fakeBrowser.reset());

  it('gives the defaults, without a notice, when nothing is stored', async () => {
    const r = await loadSettings(local());
    expect(r.value).toEqual(DEFAULT_SETTINGS);
    expect(r.notices).toEqual([]);
  });

  it('keeps valid settings as they are', async () => {
    await local().set({ [SETTINGS_KEY]: { version: SETTINGS_VERSION, disabledCategories: ['trigger', 'drug'] } });
    const r = await loadSettings(local());
    expect(r.value.disabledCategories).toEqual(['trigger', 'drug']);
    expect(r.notices).toEqual([]);
  });

  it.each([
    ['a string', 'not settings'],
    ['a number', 42],
    ['an array', [1, 2, 3]],
    ['a boolean', true],
  ])('resets %s to the defaults with a notice and writes the repair back', async (_name, garbage) => {
    await local().set({ [SETTINGS_KEY]: garbage });
    const r = await loadSettings(local());
    expect(r.value).toEqual(DEFAULT_SETTINGS);
    expect(r.notices).toHaveLength(1);
    expect((await local().get(SETTINGS_KEY))[SETTINGS_KEY]).toEqual(DEFAULT_SETTINGS);
    // Repaired once: the next load has nothing to say.
    expect((await loadSettings(local())).notices).toEqual([]);
  });

  it('resets null (which some storage areas cannot even hold) with a notice', () => {
    expect(repairSettings(null)).toMatchObject({ value: DEFAULT_SETTINGS, notices: [expect.any(String)] });
  });

  it('drops unknown categories and keeps the known ones', async () => {
    await local().set({ [SETTINGS_KEY]: { version: 1, disabledCategories: ['trigger', 'bogus', 7, null, 'aura'] } });
    const r = await loadSettings(local());
    expect(r.value.disabledCategories).toEqual(['trigger', 'aura']);
    expect(r.notices.join(' ')).toMatch(/Unknown categories/);
  });

  it('migrates the unversioned shape ({disabled: [...]})', () => {
    const r = repairSettings({ disabled: ['red-flag'] });
    expect(r.value).toEqual({ version: SETTINGS_VERSION, disabledCategories: ['red-flag'] });
  });

  it('reads a newer version field by field and says so', () => {
    const r = repairSettings({ version: 99, disabledCategories: ['drug'], newThing: { a: 1 } });
    expect(r.value.disabledCategories).toEqual(['drug']);
    expect(r.notices.join(' ')).toMatch(/newer version/);
  });

  it('resets a non-list category field with a notice', () => {
    const r = repairSettings({ version: 1, disabledCategories: 'trigger' });
    expect(r.value.disabledCategories).toEqual([]);
    expect(r.notices).toHaveLength(1);
  });

  it('falls back to the defaults when storage itself throws', async () => {
    const broken = {
      get: () => Promise.reject(new Error('quota')),
      set: () => Promise.reject(new Error('quota')),
    };
    const r = await loadSettings(broken);
    expect(r.value).toEqual(DEFAULT_SETTINGS);
    expect(r.notices).toHaveLength(1);
  });

  it('saves only valid settings', async () => {
    await saveSettings(local(), { version: 1, disabledCategories: ['aura', 'nonsense' as never] });
    expect((await local().get(SETTINGS_KEY))[SETTINGS_KEY]).toEqual({ version: 1, disabledCategories: ['aura'] });
  });

  it('never throws and always yields valid settings for any stored value', () => {
    const known = new Set<string>(HIGHLIGHT_CATEGORIES);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record(
            { version: fc.anything(), disabledCategories: fc.anything(), disabled: fc.anything() },
            { requiredKeys: [] },
          ),
        ),
        (raw) => {
          const r = repairSettings(raw);
          expect(r.value.version).toBe(SETTINGS_VERSION);
          expect(Array.isArray(r.value.disabledCategories)).toBe(true);
          for (const c of r.value.disabledCategories) expect(known.has(c)).toBe(true);
          expect(new Set(r.value.disabledCategories).size).toBe(r.value.disabledCategories.length);
        },
      ),
      { numRuns: 2000 },
    );
  }, 60_000);
});
