import type { Entry, Source } from './schema';

/**
 * What the prebuilt fuse.js index covers: the names only (title and surface forms). Fuse gives the
 * whole-query similarity to a name; codes, summary and detail are searched word by word by the
 * searcher's own term index (lib/knowledge/search.ts), because a bitap scan of every summary per
 * keystroke costs more time than the 50 ms budget allows on a busy machine.
 */
export const SEARCH_KEYS = [
  { name: 'title', weight: 3 },
  { name: 'forms', weight: 2.5 },
] as const;

export interface SearchDoc {
  id: string;
  title: string;
  category: Entry['category'];
  /** Surface forms: chart wording, abbreviations, lay words, code spellings. */
  forms: string[];
  /** ICD-10-CM codes, dotted. */
  codes: string[];
  summary: string;
  /**
   * The summary's and the detail's search terms, analysed at build time by searchTerms()
   * (lib/knowledge/search.ts) from the summary and from every cited statement, supervision item
   * and evidence note of the entry.
   */
  terms: string;
  audience: Entry['audience'];
}

/** The side panel's bundled data (never loaded by the content script). */
export interface PanelData {
  version: string;
  hash: string;
  entries: Entry[];
  sources: Source[];
  docs: SearchDoc[];
  /** A prebuilt fuse.js index (Fuse.createIndex(SEARCH_KEYS, docs).toJSON()). */
  index: unknown;
}
