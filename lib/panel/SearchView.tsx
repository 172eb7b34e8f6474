/**
 * Search: typo-tolerant results as you type (fuse.js over the prebuilt index), filters, and the
 * combobox keyboard pattern: arrows move through results, Enter opens, Esc clears then returns.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { createSearcher, type SearchHit } from '../knowledge/search';
import { AUDIENCES, ENTRY_CATEGORIES, type Audience, type EntryCategory } from '../knowledge/schema';
import { useKnowledge } from './ui';

export interface SearchState {
  query: string;
  category: EntryCategory | '';
  audience: Audience | '';
}

export const EMPTY_SEARCH: SearchState = { query: '', category: '', audience: '' };

/** The title with the matched ranges marked, as text nodes. Ranges are [start, end). */
export function MarkedTitle({ title, ranges }: { title: string; ranges: [number, number][] }) {
  const sorted = [...ranges].filter(([a, b]) => a >= 0 && b <= title.length && b > a).sort((x, y) => x[0] - y[0]);
  // fuse.js reports overlapping and touching ranges; merged, each run of matched letters is one mark.
  const merged: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  const parts: (string | JSX.Element)[] = [];
  let at = 0;
  for (const [a, b] of merged) {
    if (a > at) parts.push(title.slice(at, a));
    parts.push(<mark key={a}>{title.slice(a, b)}</mark>);
    at = b;
  }
  if (at < title.length) parts.push(title.slice(at));
  return <>{parts}</>;
}

const CATEGORY_LABEL: Partial<Record<EntryCategory, string>> = { 'red-flag': 'red flag' };

export function SearchView({
  state,
  onChange,
  onOpen,
  onEscape,
}: {
  state: SearchState;
  onChange: (s: SearchState) => void;
  onOpen: (id: string) => void;
  onEscape: () => void;
}) {
  const { data } = useKnowledge();
  const searcher = useMemo(() => createSearcher(data), [data]);
  const hits: SearchHit[] = useMemo(
    () => searcher.search(state.query, { category: state.category || null, audience: state.audience || null }),
    [searcher, state],
  );
  const [active, setActive] = useState(-1);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setActive(hits.length ? 0 : -1), [hits]);
  useEffect(() => input.current?.focus(), []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' && hits.length) {
      e.preventDefault();
      setActive((a) => (a + 1) % hits.length);
    } else if (e.key === 'ArrowUp' && hits.length) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? hits.length - 1 : a - 1));
    } else if (e.key === 'Enter' && active >= 0 && hits[active]) {
      e.preventDefault();
      onOpen(hits[active].id);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (state.query) onChange({ ...state, query: '' });
      else onEscape();
    }
  };
  const q = state.query.trim();
  return (
    <section class="search-view" aria-labelledby="search-h">
      <h2 id="search-h">Search</h2>
      <label for="q">Search the knowledge base</label>
      <input
        id="q"
        ref={input}
        type="search"
        role="combobox"
        list={undefined}
        aria-autocomplete="list"
        aria-expanded={hits.length > 0}
        aria-controls="results"
        aria-activedescendant={active >= 0 && hits[active] ? `result-${hits[active].id}` : undefined}
        autocomplete="off"
        value={state.query}
        onInput={(e) => onChange({ ...state, query: (e.target as HTMLInputElement).value })}
        onKeyDown={onKeyDown}
      />
      <div class="filters">
        <label>
          Category{' '}
          <select
            value={state.category}
            onChange={(e) => onChange({ ...state, category: (e.target as HTMLSelectElement).value as EntryCategory })}
          >
            <option value="">All categories</option>
            {ENTRY_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABEL[c] ?? c}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Audience{' '}
          <select
            value={state.audience}
            onChange={(e) => onChange({ ...state, audience: (e.target as HTMLSelectElement).value as Audience })}
          >
            <option value="">Everyone</option>
            {AUDIENCES.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p class="result-count" role="status" aria-live="polite">
        {q
          ? `${hits.length} ${hits.length === 1 ? 'result' : 'results'}`
          : 'Type to search: misspellings are forgiven.'}
      </p>
      {hits.length > 0 && (
        <ul id="results" class="results" role="listbox" aria-label="Search results">
          {hits.map((h, i) => (
            <li
              key={h.id}
              id={`result-${h.id}`}
              role="option"
              aria-selected={i === active}
              class={i === active ? 'result active' : 'result'}
              data-entry={h.id}
              onClick={() => onOpen(h.id)}
              onMouseMove={() => setActive(i)}
            >
              <span class="result-title">
                <MarkedTitle title={h.title} ranges={h.titleMatches} />
              </span>{' '}
              <span class="category">{CATEGORY_LABEL[h.category] ?? h.category}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
