/**
 * Loading settings never crashes the extension: whatever is stored (garbage, an older shape, a
 * value written by a newer version, a half-written object) is repaired to something valid, and
 * each repair is reported as a notice the options page shows. Nothing here throws.
 */
import {
  DEFAULT_SETTINGS,
  SETTINGS_KEY,
  SETTINGS_VERSION,
  isHighlightCategory,
  isLegacySettings,
  storedCategoryList,
  type Settings,
  type StorageLike,
} from './schema';

export interface Repaired<T> {
  value: T;
  /** Plain sentences for the options page; empty when the stored value was already valid. */
  notices: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Repairs one stored settings value. Pure. */
export function repairSettings(raw: unknown): Repaired<Settings> {
  const defaults = (): Settings => ({ ...DEFAULT_SETTINGS, disabledCategories: [] });
  if (raw === undefined) return { value: defaults(), notices: [] };
  if (!isObj(raw)) {
    return { value: defaults(), notices: ['Stored settings were unreadable and have been reset to the defaults.'] };
  }
  const notices: string[] = [];
  // Version 0 (before versioning) kept the list under "disabled"; carry it over.
  const legacy = isLegacySettings(raw);
  if (typeof raw.version === 'number' && raw.version > SETTINGS_VERSION) {
    notices.push('Stored settings came from a newer version of Chartlight; settings it does not know were ignored.');
  } else if (raw.version !== SETTINGS_VERSION && !legacy && raw.version !== undefined) {
    notices.push('Stored settings had an unknown version and have been checked field by field.');
  }
  const list = storedCategoryList(raw);
  let disabledCategories: Settings['disabledCategories'] = [];
  if (list !== undefined) {
    if (!Array.isArray(list)) {
      notices.push('The list of switched-off categories was unreadable; all categories are shown again.');
    } else {
      const valid = list.filter(isHighlightCategory);
      disabledCategories = [...new Set(valid)];
      if (valid.length !== list.length) {
        notices.push('Unknown categories in the stored settings were dropped.');
      }
    }
  }
  const known = new Set(['version', 'disabledCategories', ...(legacy ? ['disabled'] : [])]);
  if (Object.keys(raw).some((k) => !known.has(k)) && !notices.some((n) => n.includes('newer version'))) {
    notices.push('Settings this version does not know were removed.');
  }
  return { value: { version: SETTINGS_VERSION, disabledCategories }, notices };
}

/**
 * Reads settings from storage.local, repairs them, and writes the repaired value back when it
 * changed (so the notice is shown once). A storage failure yields the defaults and a notice.
 */
export async function loadSettings(local: StorageLike): Promise<Repaired<Settings>> {
  let raw: unknown;
  try {
    raw = (await local.get(SETTINGS_KEY))[SETTINGS_KEY];
  } catch {
    return {
      value: { ...DEFAULT_SETTINGS, disabledCategories: [] },
      notices: ['Settings could not be read; the defaults are in use.'],
    };
  }
  const repaired = repairSettings(raw);
  if (repaired.notices.length > 0) {
    await local.set({ [SETTINGS_KEY]: repaired.value }).catch(() => undefined);
  }
  return repaired;
}

export async function saveSettings(local: StorageLike, settings: Settings): Promise<void> {
  const checked = repairSettings(settings).value;
  await local.set({ [SETTINGS_KEY]: checked });
}
