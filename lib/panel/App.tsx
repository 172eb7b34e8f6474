/**
 * The side panel: This page · ICHD-3 criteria · Ketamine supervision · Search · Entry. Page text
 * shown here comes from the background's memory and is rendered as text (Preact escapes it), never
 * as HTML.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { PanelData } from '../knowledge/panel-data';
import { CriteriaView } from './CriteriaView';
import { EntryView } from './EntryView';
import { locate } from './findings';
import { isKetamineMention } from './ketamine';
import { KetamineView } from './KetamineView';
import { PageView, type TabStatus } from './PageView';
import type { PanelPort } from './port';
import { EMPTY_SEARCH, SearchView, type SearchState } from './SearchView';
import { KnowledgeContext, type Knowledge } from './ui';

export interface AppProps {
  data: PanelData;
  port: PanelPort;
  /** The tab to show first; the panel follows tab switches when the port reports them. */
  tabId: number | null;
}

type MainView = { name: 'page' } | { name: 'criteria' } | { name: 'ketamine' } | { name: 'search' };
type View = MainView | { name: 'entry'; id: string; from: MainView };

const NAV: { name: MainView['name']; label: string }[] = [
  { name: 'page', label: 'This page' },
  { name: 'criteria', label: 'ICHD-3 criteria' },
  { name: 'ketamine', label: 'Ketamine supervision' },
  { name: 'search', label: 'Search' },
];

export function App({ data, port, tabId: initialTab }: AppProps) {
  const [tabId, setTabId] = useState(initialTab);
  const [view, setView] = useState<View>({ name: 'page' });
  const [status, setStatus] = useState<TabStatus>(initialTab === null ? { kind: 'no-tab' } : { kind: 'loading' });
  const [search, setSearch] = useState<SearchState>(EMPTY_SEARCH);
  const byId = useMemo(() => new Map(data.entries.map((e) => [e.id, e])), [data]);
  const knowledge = useMemo<Knowledge>(() => ({ data, sources: new Map(data.sources.map((s) => [s.id, s])) }), [data]);

  useEffect(() => setTabId(initialTab), [initialTab]);
  useEffect(() => port.watchActiveTab?.((id) => setTabId(id)), [port]);

  useEffect(() => {
    if (tabId === null) {
      setStatus({ kind: 'no-tab' });
      return;
    }
    setStatus({ kind: 'loading' });
    let lastFocus: string | null = null;
    return port.watchTab(
      tabId,
      (state) => {
        setStatus({ kind: 'ready', tab: state });
        if (state?.focusEntry && state.focusEntry !== lastFocus) {
          lastFocus = state.focusEntry;
          const id = state.focusEntry;
          setView((v) => ({ name: 'entry', id, from: v.name === 'entry' ? v.from : v }));
        }
      },
      (error) => setStatus({ kind: 'error', message: error.message }),
    );
  }, [tabId, port]);

  const open = (id: string) => setView((v) => ({ name: 'entry', id, from: v.name === 'entry' ? v.from : v }));
  const back = () => setView((v) => (v.name === 'entry' ? v.from : v));

  useEffect(() => {
    if (view.name !== 'entry') return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) back();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [view]);

  const located = useMemo(() => (status.kind === 'ready' && status.tab ? locate(status.tab) : []), [status]);
  const ketamineOnPage = located.some((l) => isKetamineMention(l.finding, byId.get(l.finding.concept)));
  const current = view.name === 'entry' ? view.from.name : view.name;

  return (
    <KnowledgeContext.Provider value={knowledge}>
      <div class="app">
        <header>
          <h1>Chartlight</h1>
          <p class="disclaimer">Decision support for healthcare professionals. Not a diagnosis.</p>
          <nav aria-label="Views">
            {NAV.map((n) => (
              <button
                type="button"
                key={n.name}
                aria-pressed={current === n.name}
                onClick={() => setView({ name: n.name } as MainView)}
              >
                {n.label}
                {n.name === 'ketamine' && ketamineOnPage && <span class="nav-flag"> (on this page)</span>}
              </button>
            ))}
          </nav>
        </header>
        <main>
          {view.name === 'page' && <PageView status={status} tabId={tabId} port={port} byId={byId} onOpen={open} />}
          {view.name === 'criteria' && <CriteriaView status={status} byId={byId} onOpen={open} />}
          {view.name === 'ketamine' && <KetamineView status={status} onOpen={open} />}
          {view.name === 'search' && (
            <SearchView state={search} onChange={setSearch} onOpen={open} onEscape={() => setView({ name: 'page' })} />
          )}
          {view.name === 'entry' && (
            <EntryView
              entry={byId.get(view.id) ?? null}
              id={view.id}
              mentions={located.filter((l) => l.finding.concept === view.id)}
              onOpen={open}
              onBack={back}
            />
          )}
        </main>
        <footer>
          <p class="disclaimer-footer">
            Chartlight supports the professional's own review of the chart; every statement cites its source.
          </p>
          <p class="version">
            Knowledge {data.version} · {data.hash}
          </p>
        </footer>
      </div>
    </KnowledgeContext.Provider>
  );
}
