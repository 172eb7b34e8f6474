/**
 * Protocol packs: an institution's own entries (its ketamine infusion protocol, its headache
 * pathway), imported on the options page or installed by policy. A pack is JSON:
 *
 *   { "name": "...", "owner": "...", "reviewed": "YYYY-MM-DD",
 *     "entries": [ ...knowledge entries... ], "sources": [ ...sources... ] }
 *
 * Entries and sources pass the same validation as the bundled knowledge (lib/knowledge/schema.ts),
 * every citation must resolve (to the pack's sources or the bundled ones), and every error names
 * the field. Wherever a pack entry appears it is labelled "Local protocol" with its owner and
 * review date, so no one mistakes an institution's protocol for the cited knowledge base.
 */
import Fuse from 'fuse.js';
import { KnowledgeError, validateEntry, validateSources, type Entry, type Source } from '../knowledge/schema';
import { SEARCH_KEYS, type PanelData } from '../knowledge/panel-data';
import { toSearchDoc } from '../knowledge/compile';
import { PACKS_KEY, type StorageLike } from './schema';

export interface ProtocolPack {
  name: string;
  owner: string;
  /** Date the institution last reviewed the pack, YYYY-MM-DD. */
  reviewed: string;
  entries: Entry[];
  sources: Source[];
}

export interface InstalledPack extends ProtocolPack {
  /** 'user': imported on the options page (removable); 'policy': set by the administrator. */
  origin: 'user' | 'policy';
}

/** The label shown next to every pack entry. */
export const LOCAL_PROTOCOL = 'Local protocol';
/** Bounds a pack so a pasted file cannot fill storage or freeze the options page. */
export const MAX_PACK_CHARS = 1_000_000;
export const MAX_PACK_ENTRIES = 500;
const PACK_KEYS = new Set(['name', 'owner', 'reviewed', 'entries', 'sources']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A pack that does not validate. `field` names where, e.g. "entries[2].summary". */
export class PackError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'PackError';
  }
}

export interface KnownIds {
  entries: ReadonlySet<string>;
  sources: ReadonlySet<string>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The reason part of a KnowledgeError (its message is "file: field: reason"). */
function reasonOf(e: KnowledgeError): string {
  const prefix = `${e.file}: ${e.field}: `;
  return e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
}

function text(o: Obj, key: string, max: number): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') throw new PackError(key, 'must be a non-empty string');
  if (v.length > max) throw new PackError(key, `must be at most ${max} characters`);
  return v.trim();
}

/**
 * Validates a pack given as JSON text or as a parsed value. `known` holds the bundled entry and
 * source ids: pack ids must not shadow them, and pack entries may cite bundled sources and relate
 * to bundled entries. Throws PackError naming the field.
 */
export function parsePack(input: unknown, known: KnownIds): ProtocolPack {
  let raw = input;
  if (typeof input === 'string') {
    if (input.length > MAX_PACK_CHARS) throw new PackError('(file)', `is larger than ${MAX_PACK_CHARS} characters`);
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new PackError('(file)', `is not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isObj(raw)) throw new PackError('(root)', 'must be a JSON object {name, owner, reviewed, entries, sources}');
  for (const k of Object.keys(raw)) if (!PACK_KEYS.has(k)) throw new PackError(k, 'unknown field');
  const name = text(raw, 'name', 120);
  const owner = text(raw, 'owner', 200);
  const reviewed = text(raw, 'reviewed', 10);
  if (!DATE.test(reviewed) || Number.isNaN(Date.parse(reviewed)))
    throw new PackError('reviewed', 'must be a date YYYY-MM-DD');
  if (!Array.isArray(raw.sources)) throw new PackError('sources', 'must be an array of sources');
  if (!Array.isArray(raw.entries) || raw.entries.length === 0) {
    throw new PackError('entries', 'must be a non-empty array of entries');
  }
  if (raw.entries.length > MAX_PACK_ENTRIES)
    throw new PackError('entries', `must hold at most ${MAX_PACK_ENTRIES} entries`);

  let sources: Source[];
  try {
    sources = validateSources(raw.sources, 'sources');
  } catch (e) {
    if (e instanceof KnowledgeError) throw new PackError(`sources${e.field}`, reasonOf(e));
    throw e;
  }
  const sourceIds = new Set<string>();
  sources.forEach((s, i) => {
    if (known.sources.has(s.id)) {
      throw new PackError(`sources[${i}].id`, `"${s.id}" is a bundled source: cite it without redefining it`);
    }
    if (sourceIds.has(s.id)) throw new PackError(`sources[${i}].id`, `duplicate source id "${s.id}"`);
    sourceIds.add(s.id);
  });

  const entries = raw.entries.map((json, i): Entry => {
    const id = isObj(json) && typeof json.id === 'string' ? json.id : '';
    try {
      // validateEntry checks that the id equals the file name; the pack has no files, so the
      // "file name" is the entry's own id and that check always agrees.
      return validateEntry(json, `${id || 'entry'}.json`);
    } catch (e) {
      if (e instanceof KnowledgeError) throw new PackError(`entries[${i}].${e.field}`, reasonOf(e));
      throw e;
    }
  });
  const entryIds = new Set<string>();
  entries.forEach((e, i) => {
    if (known.entries.has(e.id)) {
      throw new PackError(`entries[${i}].id`, `"${e.id}" is a bundled entry: give the protocol its own id`);
    }
    if (entryIds.has(e.id)) throw new PackError(`entries[${i}].id`, `duplicate entry id "${e.id}"`);
    entryIds.add(e.id);
  });
  const used = new Set<string>();
  const cite = (c: string, field: string) => {
    if (!sourceIds.has(c) && !known.sources.has(c)) throw new PackError(field, `cites unknown source "${c}"`);
    used.add(c);
  };
  entries.forEach((e, i) => {
    e.citations.forEach((c, k) => cite(c, `entries[${i}].citations[${k}]`));
    e.detail.forEach((d, j) => d.cite.forEach((c, k) => cite(c, `entries[${i}].detail[${j}].cite[${k}]`)));
    e.supervision?.forEach((s, j) => {
      s.cite.forEach((c, k) => cite(c, `entries[${i}].supervision[${j}].cite[${k}]`));
      s.checks?.forEach((c, k) => {
        if (!entryIds.has(c) && !known.entries.has(c)) {
          throw new PackError(`entries[${i}].supervision[${j}].checks[${k}]`, `unknown entry "${c}"`);
        }
      });
    });
    e.related.forEach((r, k) => {
      if (!entryIds.has(r) && !known.entries.has(r))
        throw new PackError(`entries[${i}].related[${k}]`, `unknown entry "${r}"`);
    });
  });
  sources.forEach((s, i) => {
    if (!used.has(s.id)) throw new PackError(`sources[${i}]`, `source "${s.id}" is never cited`);
  });
  return { name, owner, reviewed, entries, sources };
}

/** Bundled ids, from the panel's data. */
export function knownIds(data: Pick<PanelData, 'entries' | 'sources'>): KnownIds {
  return { entries: new Set(data.entries.map((e) => e.id)), sources: new Set(data.sources.map((s) => s.id)) };
}

/** "Local protocol · Owner · reviewed YYYY-MM-DD": the label every pack entry carries. */
export function packLabel(pack: Pick<ProtocolPack, 'owner' | 'reviewed'>): string {
  return `${LOCAL_PROTOCOL} · ${pack.owner} · reviewed ${pack.reviewed}`;
}

// ---- storage (storage.local; packs hold no patient data) ----

export interface StoredPacks {
  packs: ProtocolPack[];
  notices: string[];
}

/**
 * Reads the user's packs. A stored pack that no longer validates (edited storage, a newer bundled
 * entry with the same id) is left out with a notice instead of breaking the panel.
 */
export async function loadUserPacks(local: StorageLike, known: KnownIds): Promise<StoredPacks> {
  let raw: unknown;
  try {
    raw = (await local.get(PACKS_KEY))[PACKS_KEY];
  } catch {
    return { packs: [], notices: ['Protocol packs could not be read.'] };
  }
  if (raw === undefined) return { packs: [], notices: [] };
  if (!Array.isArray(raw)) {
    await local.set({ [PACKS_KEY]: [] }).catch(() => undefined);
    return { packs: [], notices: ['Stored protocol packs were unreadable and have been removed.'] };
  }
  const packs: ProtocolPack[] = [];
  const notices: string[] = [];
  for (const item of raw) {
    try {
      packs.push(parsePack(item, known));
    } catch (e) {
      const name = isObj(item) && typeof item.name === 'string' ? `"${item.name.slice(0, 120)}"` : 'A stored pack';
      notices.push(`Protocol pack ${name} was left out: ${e instanceof PackError ? e.message : 'unreadable'}.`);
    }
  }
  if (packs.length !== raw.length) await local.set({ [PACKS_KEY]: packs }).catch(() => undefined);
  return { packs, notices };
}

/** Adds (or replaces, by name) a validated pack. */
export async function addUserPack(local: StorageLike, pack: ProtocolPack, known: KnownIds): Promise<ProtocolPack[]> {
  const { packs } = await loadUserPacks(local, known);
  const next = [...packs.filter((p) => p.name !== pack.name), pack];
  checkNoCrossPackClash(next);
  await local.set({ [PACKS_KEY]: next });
  return next;
}

export async function removeUserPack(local: StorageLike, name: string, known: KnownIds): Promise<ProtocolPack[]> {
  const { packs } = await loadUserPacks(local, known);
  const next = packs.filter((p) => p.name !== name);
  await local.set({ [PACKS_KEY]: next });
  return next;
}

function checkNoCrossPackClash(packs: ProtocolPack[]): void {
  const owner = new Map<string, string>();
  for (const p of packs) {
    for (const e of p.entries) {
      const other = owner.get(e.id);
      if (other !== undefined && other !== p.name) {
        throw new PackError('entries', `entry id "${e.id}" is already used by the pack "${other}"`);
      }
      owner.set(e.id, p.name);
    }
  }
}

// ---- the panel's view of packs ----

/** Where a pack entry came from, for the "Local protocol" label. */
export interface Provenance {
  pack: string;
  owner: string;
  reviewed: string;
  origin: InstalledPack['origin'];
  label: string;
}

export interface MergedPanelData {
  data: PanelData;
  /** entry id → its pack, for every entry that came from a pack. */
  provenance: Map<string, Provenance>;
}

/**
 * The panel's data with the packs' entries and sources added, and the search index extended
 * (fuse.js adds the new documents to the prebuilt index; nothing already built is rebuilt).
 * Each pack entry's title carries "(Local protocol)" and its evidence note the owner and review
 * date, so even a view that knows nothing of packs labels them.
 */
export function mergePacks(base: PanelData, packs: InstalledPack[]): MergedPanelData {
  const provenance = new Map<string, Provenance>();
  if (packs.length === 0) return { data: base, provenance };
  const entries = [...base.entries];
  const sources = [...base.sources];
  const docs = [...base.docs];
  const fuse = new Fuse(
    base.docs,
    { keys: SEARCH_KEYS as unknown as string[] },
    Fuse.parseIndex(base.index as Parameters<typeof Fuse.parseIndex>[0]),
  );
  const seen = new Set(entries.map((e) => e.id));
  const seenSources = new Set(sources.map((s) => s.id));
  for (const pack of packs) {
    const label = packLabel(pack);
    for (const s of pack.sources) {
      if (seenSources.has(s.id)) continue;
      seenSources.add(s.id);
      sources.push(s);
    }
    for (const e of pack.entries) {
      if (seen.has(e.id)) continue; // a bundled or earlier pack entry keeps its id
      seen.add(e.id);
      const labelled: Entry = {
        ...e,
        title: `${e.title} (${LOCAL_PROTOCOL})`,
        evidence: { ...e.evidence, note: [label, e.evidence.note].filter(Boolean).join('. ') },
      };
      entries.push(labelled);
      const doc = toSearchDoc(labelled);
      docs.push(doc);
      fuse.add(doc);
      provenance.set(e.id, { pack: pack.name, owner: pack.owner, reviewed: pack.reviewed, origin: pack.origin, label });
    }
  }
  return {
    data: { ...base, entries, sources, docs, index: fuse.getIndex().toJSON() },
    provenance,
  };
}
