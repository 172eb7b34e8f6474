/**
 * The side panel: This page · Search · Entry. Page text shown here comes from the background's
 * memory and is rendered as text (Preact escapes it), never as HTML.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { PanelData } from '../knowledge/panel-data';
import { createSearcher } from '../knowledge/search';
import type { Entry } from '../knowledge/schema';
import type { TabState, WireFinding } from '../messaging/contract';
import type { PanelPort } from './port';

export interface AppProps {
  data: PanelData;
  port: PanelPort;
  tabId: number | null;
}

type View = { name: 'page' } | { name: 'search' } | { name: 'entry'; id: string };

export function App({ data, port, tabId }: AppProps) {
  const [view, setView] = useState<View>({ name: 'page' });
  const [tab, setTab] = useState<TabState | null>(null);
  const byId = useMemo(() => new Map(data.entries.map((e) => [e.id, e])), [data]);

  useEffect(() => {
    if (tabId === null) return;
    let lastFocus: string | null = null;
    return port.watchTab(tabId, (state) => {
      setTab(state);
      if (state?.focusEntry && state.focusEntry !== lastFocus) {
        lastFocus = state.focusEntry;
        setView({ name: 'entry', id: state.focusEntry });
      }
    });
  }, [tabId, port]);

  return (
    <div class="app">
      <header>
        <h1>Chartlight</h1>
        <nav aria-label="Views">
          <button type="button" aria-pressed={view.name === 'page'} onClick={() => setView({ name: 'page' })}>
            This page
          </button>
          <button type="button" aria-pressed={view.name === 'search'} onClick={() => setView({ name: 'search' })}>
            Search
          </button>
        </nav>
      </header>
      <main>
        {view.name === 'page' && <PageView tab={tab} onOpen={(id) => setView({ name: 'entry', id })} />}
        {view.name === 'search' && <SearchView data={data} onOpen={(id) => setView({ name: 'entry', id })} />}
        {view.name === 'entry' && (
          <EntryView entry={byId.get(view.id) ?? null} data={data} onOpen={(id) => setView({ name: 'entry', id })} />
        )}
      </main>
      <footer>
        <p class="disclaimer">Decision support for healthcare professionals. Not a diagnosis.</p>
        <p class="version">
          Knowledge {data.version} · {data.hash}
        </p>
      </footer>
    </div>
  );
}

function PageView({ tab, onOpen }: { tab: TabState | null; onOpen: (id: string) => void }) {
  const findings: WireFinding[] = tab ? tab.frames.flatMap((f) => [...f.findings, ...f.fields]) : [];
  if (!tab) return <p class="empty">This page has not been scanned. Use the toolbar button or Alt+Shift+C.</p>;
  if (findings.length === 0) return <p class="empty">No migraine language found on this page.</p>;
  return (
    <ul class="findings" aria-label="Findings on this page">
      {findings.map((f, i) => (
        <li key={i} data-concept={f.concept} data-assertion={f.assertion}>
          <button type="button" class="link" onClick={() => onOpen(f.concept)}>
            {f.title}
          </button>{' '}
          <span class={`assertion assertion-${f.assertion}`}>{f.assertion}</span>
          <blockquote>{f.sentence}</blockquote>
        </li>
      ))}
    </ul>
  );
}

function SearchView({ data, onOpen }: { data: PanelData; onOpen: (id: string) => void }) {
  const searcher = useMemo(() => createSearcher(data), [data]);
  const [query, setQuery] = useState('');
  const hits = useMemo(() => searcher.search(query), [searcher, query]);
  return (
    <section>
      <label for="q">Search the knowledge base</label>
      <input
        id="q"
        type="search"
        value={query}
        onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
        autoFocus
      />
      <ul class="results" aria-label="Search results">
        {hits.map((h) => (
          <li key={h.id}>
            <button type="button" class="link" data-entry={h.id} onClick={() => onOpen(h.id)}>
              {h.title}
            </button>{' '}
            <span class="category">{h.category}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function EntryView({ entry, data, onOpen }: { entry: Entry | null; data: PanelData; onOpen: (id: string) => void }) {
  if (!entry) return <p class="empty">That entry is not in the knowledge base.</p>;
  const sources = new Map(data.sources.map((s) => [s.id, s]));
  return (
    <article class={`entry indicator-${entry.indicator}`} data-entry={entry.id}>
      <h2>{entry.title}</h2>
      <p class="summary">{entry.summary}</p>
      <p class={`evidence evidence-${entry.evidence.level}`}>
        Evidence: {entry.evidence.level}
        {entry.evidence.note ? ` — ${entry.evidence.note}` : ''}
      </p>
      <ul class="detail">
        {entry.detail.map((d, i) => (
          <li key={i}>
            {d.text} <sup>[{d.cite.join(', ')}]</sup>
          </li>
        ))}
      </ul>
      <h3>Sources</h3>
      <ol class="sources">
        {entry.citations.map((c) => {
          const s = sources.get(c);
          return (
            <li key={c}>
              {s
                ? `${s.authors}. ${s.title}. ${s.venue}. ${s.year}.${s.doi ? ` doi:${s.doi}` : ''}${s.pmid ? ` PMID ${s.pmid}` : ''}`
                : c}
            </li>
          );
        })}
      </ol>
      {entry.related.length > 0 && (
        <>
          <h3>Related</h3>
          <ul class="related">
            {entry.related.map((r) => (
              <li key={r}>
                <button type="button" class="link" onClick={() => onOpen(r)}>
                  {r}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <p class="reviewed">Last reviewed {entry.lastReviewed}</p>
    </article>
  );
}
