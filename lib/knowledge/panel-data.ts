import type { Entry, Source } from './schema';

/** What fuse.js indexes for each entry; weights favour the title and the words charts use. */
export const SEARCH_KEYS = [
  { name: 'title', weight: 3 },
  { name: 'forms', weight: 2.5 },
  { name: 'codes', weight: 2 },
  { name: 'summary', weight: 1 },
  { name: 'detail', weight: 0.4 },
] as const;

export interface SearchDoc {
  id: string;
  title: string;
  category: Entry['category'];
  forms: string[];
  codes: string[];
  summary: string;
  detail: string;
  audience: Entry['audience'];
}

/** The side panel's bundled data (never loaded by the content script). */
export interface PanelData {
  version: string;
  hash: string;
  entries: Entry[];
  sources: Source[];
  docs: SearchDoc[];
  /** A prebuilt fuse.js index (Fuse.createIndex(...).toJSON()). */
  index: unknown;
}
