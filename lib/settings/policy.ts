/**
 * Managed policy (public/managed-schema.json), set by an administrator through the browser's
 * enterprise policy (Chrome: "3rdparty" → "extensions" → ID; Firefox: policies.json "3rdparty").
 * Read from storage.managed, which throws or is empty where no policy exists: both mean "no
 * policy". Invalid parts are ignored one by one with a notice; a bad pack never hides the others.
 *
 * Merging: the policy wins. Categories it switches off stay off whatever the user chose; its
 * packs are installed for everyone and cannot be removed on the options page.
 */
import type { HighlightCategory } from '../engine/types';
import { parsePack, PackError, type InstalledPack, type KnownIds, type ProtocolPack } from './packs';
import { isHighlightCategory, type Settings } from './schema';
import { isSitePattern } from './scope';

export interface ManagedPolicy {
  /** Match patterns scanned without asking (null: the policy says nothing about sites). */
  allowedSites: string[] | null;
  disabledCategories: HighlightCategory[];
  protocolPacks: ProtocolPack[];
  notices: string[];
}

export const EMPTY_POLICY: Readonly<ManagedPolicy> = Object.freeze({
  allowedSites: null,
  disabledCategories: [],
  protocolPacks: [],
  notices: [],
});

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates what storage.managed returned. Pure; never throws. */
export function parsePolicy(raw: unknown, known: KnownIds): ManagedPolicy {
  if (!isObj(raw) || Object.keys(raw).length === 0) return { ...EMPTY_POLICY, notices: [] };
  const notices: string[] = [];
  let allowedSites: string[] | null = null;
  if (raw.allowedSites !== undefined) {
    if (!Array.isArray(raw.allowedSites)) {
      notices.push('Policy allowedSites is not a list and was ignored.');
    } else {
      allowedSites = [];
      for (const s of raw.allowedSites) {
        if (isSitePattern(s)) allowedSites.push(s);
        // A whole scheme ("https://*/*") or <all_urls> is refused: policy narrows, never widens to everything.
        else
          notices.push(
            `Policy site ${JSON.stringify(String(s).slice(0, 100))} is not an allowed match pattern and was ignored.`,
          );
      }
    }
  }
  const disabledCategories: HighlightCategory[] = [];
  if (raw.disabledCategories !== undefined) {
    if (!Array.isArray(raw.disabledCategories))
      notices.push('Policy disabledCategories is not a list and was ignored.');
    else
      for (const c of raw.disabledCategories) {
        if (isHighlightCategory(c)) {
          if (!disabledCategories.includes(c)) disabledCategories.push(c);
        } else notices.push(`Policy category ${JSON.stringify(String(c).slice(0, 60))} is unknown and was ignored.`);
      }
  }
  const protocolPacks: ProtocolPack[] = [];
  if (raw.protocolPacks !== undefined) {
    if (!Array.isArray(raw.protocolPacks)) notices.push('Policy protocolPacks is not a list and was ignored.');
    else
      raw.protocolPacks.forEach((p, i) => {
        try {
          const pack = parsePack(p, known);
          if (protocolPacks.some((q) => q.name === pack.name))
            throw new PackError('name', `duplicate pack "${pack.name}"`);
          protocolPacks.push(pack);
        } catch (e) {
          notices.push(
            `Policy protocol pack ${i + 1} was ignored: ${e instanceof PackError ? e.message : 'unreadable'}.`,
          );
        }
      });
  }
  return { allowedSites, disabledCategories, protocolPacks, notices };
}

/** storage.managed, or an empty policy where the browser has none (it throws, or returns {}). */
export async function readManagedPolicy(
  managed: { get(keys?: null): Promise<Record<string, unknown>> } | undefined,
  known: KnownIds,
): Promise<ManagedPolicy> {
  if (!managed) return { ...EMPTY_POLICY, notices: [] };
  try {
    return parsePolicy(await managed.get(null), known);
  } catch {
    return { ...EMPTY_POLICY, notices: [] };
  }
}

export interface Effective {
  disabledCategories: HighlightCategory[];
  /** Categories the user cannot switch back on. */
  lockedCategories: HighlightCategory[];
  packs: InstalledPack[];
}

/** User settings and packs under the policy. */
export function effectiveSettings(user: Settings, userPacks: ProtocolPack[], policy: ManagedPolicy): Effective {
  const locked = policy.disabledCategories;
  const disabled = [...new Set([...locked, ...user.disabledCategories])];
  const policyNames = new Set(policy.protocolPacks.map((p) => p.name));
  const policyIds = new Set(policy.protocolPacks.flatMap((p) => p.entries.map((e) => e.id)));
  const packs: InstalledPack[] = [
    ...policy.protocolPacks.map((p) => ({ ...p, origin: 'policy' as const })),
    // A user pack never shadows the institution's: same name or same entry id → the policy's wins.
    ...userPacks
      .filter((p) => !policyNames.has(p.name) && !p.entries.some((e) => policyIds.has(e.id)))
      .map((p) => ({ ...p, origin: 'user' as const })),
  ];
  return { disabledCategories: disabled, lockedCategories: [...locked], packs };
}

/** Policy sites that still need a grant, for the options page's "Allow" button. */
export async function sitesNeedingGrant(
  policy: Pick<ManagedPolicy, 'allowedSites'>,
  canReach: (pattern: string) => Promise<boolean>,
): Promise<string[]> {
  const out: string[] = [];
  for (const site of policy.allowedSites ?? []) if (!(await canReach(site).catch(() => false))) out.push(site);
  return out;
}
