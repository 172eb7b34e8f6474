/**
 * Settings that persist: which highlight categories are switched off, and the institution's
 * protocol packs. Neither holds page text (architecture.md: settings and protocol packs hold no
 * patient data, so they may live in storage.local). Page text never reaches this module.
 */
import { HIGHLIGHT_CATEGORIES, type HighlightCategory } from '../engine/types';

/** Bumped when the stored shape changes; older shapes are migrated or repaired on load. */
export const SETTINGS_VERSION = 1;

/** storage.local keys owned by this module. */
export const SETTINGS_KEY = 'settings';
export const PACKS_KEY = 'protocolPacks';

export interface Settings {
  version: typeof SETTINGS_VERSION;
  /** Highlight categories the user chose not to mark on pages (the panel still lists them). */
  disabledCategories: HighlightCategory[];
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  version: SETTINGS_VERSION,
  disabledCategories: [],
});

const CATEGORY_SET = new Set<string>(HIGHLIGHT_CATEGORIES);
export const isHighlightCategory = (v: unknown): v is HighlightCategory => typeof v === 'string' && CATEGORY_SET.has(v);

/** The minimal slice of a StorageArea this module uses, so tests can pass WXT's fake browser. */
export interface StorageLike {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove?(keys: string | string[]): Promise<void>;
}

/**
 * The stored list of switched-off categories, unchecked: under "disabledCategories", or under
 * "disabled" in settings written before versioning. Shared by the repair (settings pages) and by
 * the content script, which needs only the list and not the repair's notices.
 */
export function storedCategoryList(raw: Record<string, unknown>): unknown {
  return isLegacySettings(raw) ? raw.disabled : raw.disabledCategories;
}

/** Settings from before versioning: no version, the list under "disabled". */
export function isLegacySettings(raw: Record<string, unknown>): boolean {
  return raw.version === undefined && 'disabled' in raw && !('disabledCategories' in raw);
}
