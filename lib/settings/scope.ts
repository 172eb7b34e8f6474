/**
 * The small part of settings that the content script and the background need: which categories
 * are not highlighted (user choice under policy) and which policy sites to register. Kept free of
 * fuse.js and the knowledge schema so that it costs the content script almost nothing.
 */
import type { HighlightCategory } from '../engine/types';
import { SETTINGS_KEY, isHighlightCategory, storedCategoryList, type StorageLike } from './schema';

type Managed = { get(keys?: null): Promise<Record<string, unknown>> } | undefined;

async function managedRaw(managed: Managed): Promise<Record<string, unknown>> {
  if (!managed) return {};
  try {
    const raw = await managed.get(null);
    return typeof raw === 'object' && raw !== null ? raw : {};
  } catch {
    return {}; // No policy (Firefox without policies.json, Chrome without a managed schema entry).
  }
}

/** Categories not to highlight: the user's choice plus the policy's, invalid values ignored. */
export async function disabledCategories(local: StorageLike, managed: Managed): Promise<Set<HighlightCategory>> {
  // Both areas at once: each read is a round trip to the browser process, and the first pass
  // waits for this answer.
  const [stored, policyRaw] = await Promise.all([
    local.get(SETTINGS_KEY).then(
      (r) => r[SETTINGS_KEY],
      () => undefined, // Unreadable storage: highlight everything rather than fail.
    ),
    managedRaw(managed),
  ]);
  // Read as repairSettings reads them (without its notices, which only the options page shows):
  // anything unreadable highlights everything rather than fail.
  const list =
    typeof stored === 'object' && stored !== null ? storedCategoryList(stored as Record<string, unknown>) : [];
  const user = Array.isArray(list) ? list.filter(isHighlightCategory) : [];
  const policy = policyRaw.disabledCategories;
  const locked = Array.isArray(policy) ? policy.filter(isHighlightCategory) : [];
  return new Set([...user, ...locked]);
}

/** The policy's allowedSites that are valid match patterns (never <all_urls> or a whole scheme). */
export async function policySites(managed: Managed): Promise<string[] | null> {
  const sites = (await managedRaw(managed)).allowedSites;
  if (!Array.isArray(sites)) return null;
  return sites.filter(isSitePattern);
}

const MATCH_PATTERN = /^(\*|https?):\/\/(\*|\*\.[^/*]+|[^/*]+)(:\d+|:\*)?\/.*$/;
export const isSitePattern = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= 500 && MATCH_PATTERN.test(v) && !/^(\*|https?):\/\/\*\//.test(v);

/**
 * Match patterns to register the content script for (contract 4): every origin the extension
 * holds, plus the policy's sites the browser lets it reach (`canReach`: permissions.contains).
 */
export async function sitesToRegister(
  grantedOrigins: string[],
  allowedSites: string[] | null,
  canReach: (pattern: string) => Promise<boolean>,
): Promise<string[]> {
  const out = new Set(grantedOrigins.filter((o) => /^(https?|\*):\/\//.test(o) && o !== '<all_urls>'));
  for (const site of allowedSites ?? []) {
    if (out.has(site)) continue;
    if (await canReach(site).catch(() => false)) out.add(site);
  }
  return [...out].sort();
}
