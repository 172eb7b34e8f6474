/**
 * The side panel's search: fuse.js over the prebuilt index (compiled at build time), so the first
 * query does not pay for indexing. Used by the panel and by the CLI (`npm run search`).
 */
import Fuse, { type FuseResult, type IFuseOptions } from 'fuse.js';
import type { EntryCategory, Audience } from './schema';
import { SEARCH_KEYS, type PanelData, type SearchDoc } from './panel-data';

export interface SearchFilters {
  category?: EntryCategory | null;
  audience?: Audience | null;
}

export interface SearchHit {
  id: string;
  title: string;
  category: EntryCategory;
  score: number;
  /** Character ranges of the title that matched, for marking. */
  titleMatches: [number, number][];
}

const OPTIONS: IFuseOptions<SearchDoc> = {
  keys: SEARCH_KEYS as unknown as IFuseOptions<SearchDoc>['keys'],
  includeScore: true,
  includeMatches: true,
  ignoreLocation: true,
  threshold: 0.38,
  minMatchCharLength: 2,
};

export interface Searcher {
  search(query: string, filters?: SearchFilters, limit?: number): SearchHit[];
}

export function createSearcher(data: PanelData): Searcher {
  const fuse = new Fuse(data.docs, OPTIONS, Fuse.parseIndex(data.index as Parameters<typeof Fuse.parseIndex>[0]));
  return {
    search(query, filters = {}, limit = 20) {
      const q = query.trim();
      if (!q) return [];
      const results = fuse.search(q);
      return results
        .filter(
          (r) =>
            (!filters.category || r.item.category === filters.category) &&
            (!filters.audience || r.item.audience.includes(filters.audience)),
        )
        .slice(0, limit)
        .map(toHit);
    },
  };
}

function toHit(r: FuseResult<SearchDoc>): SearchHit {
  const titleMatches = (r.matches ?? [])
    .filter((m) => m.key === 'title')
    .flatMap((m) => m.indices.map(([a, b]) => [a, b + 1] as [number, number]));
  return { id: r.item.id, title: r.item.title, category: r.item.category, score: r.score ?? 1, titleMatches };
}
