/** "This page": every finding of the tab, grouped by clinical weight, each with its basis. */
import { useMemo, useState } from 'preact/hooks';
import type { Entry } from '../knowledge/schema';
import type { TabState } from '../messaging/contract';
import { groupFindings, listedOfAll, locate, type FindingRow, type LocatedFinding } from './findings';
import { cautionMentions, isKetamineMention } from './ketamine';
import type { PanelPort } from './port';
import { Cites, FindingQuote, INDICATOR_TEXT, useKnowledge } from './ui';
import { CautionList, KetaminePanel } from './KetamineView';

/** What the panel knows about the tab: still reading, failed, or its state (null: not scanned). */
export type TabStatus =
  | { kind: 'no-tab' }
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; tab: TabState | null };

export interface PageViewProps {
  status: TabStatus;
  tabId: number | null;
  port: PanelPort;
  byId: Map<string, Entry>;
  onOpen: (id: string) => void;
}

export function PageView({ status, tabId, port, byId, onOpen }: PageViewProps) {
  const [scanError, setScanError] = useState('');
  if (status.kind === 'no-tab') return <p class="empty">No tab to show. Open the panel from a page.</p>;
  if (status.kind === 'loading')
    return (
      <p class="empty" role="status">
        Loading this page's findings…
      </p>
    );
  if (status.kind === 'error')
    return (
      <p class="error" role="alert">
        Could not read this page's findings: {status.message}
      </p>
    );
  if (!status.tab) {
    const scan = () => {
      if (tabId === null) return;
      setScanError('');
      port.send({ type: 'scan-tab', tabId }).catch(() => setScanError('This page cannot be scanned from the panel.'));
    };
    return (
      <div class="empty">
        <p>This page has not been scanned. Use the toolbar button or Alt+Shift+C.</p>
        <button type="button" onClick={scan}>
          Scan this page
        </button>
        {scanError && <p role="alert">{scanError}</p>}
      </div>
    );
  }
  return <Findings tab={status.tab} port={port} byId={byId} onOpen={onOpen} />;
}

function Findings({
  tab,
  port,
  byId,
  onOpen,
}: {
  tab: TabState;
  port: PanelPort;
  byId: Map<string, Entry>;
  onOpen: (id: string) => void;
}) {
  const { data } = useKnowledge();
  const groups = useMemo(() => groupFindings(tab, byId), [tab, byId]);
  const located = useMemo(() => locate(tab), [tab]);
  const ketamine = located.some((l) => isKetamineMention(l.finding, byId.get(l.finding.concept)));
  const cautions = useMemo(() => cautionMentions(data, located), [data, located]);
  const [revealError, setRevealError] = useState('');
  const reveal = (l: LocatedFinding) => {
    if (l.index === null) return;
    setRevealError('');
    port
      .send({ type: 'reveal', tabId: tab.tabId, frameId: l.frameId, index: l.index })
      .catch(() => setRevealError('Could not reach the page to show that mention.'));
  };
  const total = located.length;
  const count = listedOfAll(tab);
  if (total === 0) return <p class="empty">No migraine language found on this page.</p>;
  return (
    <div class="page-view">
      <p class="summary-line" role="status">
        {total} {total === 1 ? 'mention' : 'mentions'} in {groups.length} {groups.length === 1 ? 'group' : 'groups'}
      </p>
      {revealError && <p role="alert">{revealError}</p>}
      {count.all > count.listed && (
        <p class="note">
          This list holds {count.listed} of the {count.all} mentions found on the page: on a page this long it keeps the
          first ones. All of them are marked on the page.
        </p>
      )}
      {tab.paused && <p class="note">Highlighting is paused on this page; the list below is from the last scan.</p>}
      {ketamine && (
        <section class="card ketamine-alert" aria-labelledby="ketamine-alert-h">
          <h2 id="ketamine-alert-h">Ketamine is mentioned on this page</h2>
          <CautionList cautions={cautions} onOpen={onOpen} />
          <p>
            <a href="#ketamine-checklist">Go to the supervision checklist</a>
          </p>
        </section>
      )}
      {groups.map((g) => (
        <section class={`group group-${g.id}`} key={g.id} aria-labelledby={`group-${g.id}`} data-group={g.id}>
          <h2 id={`group-${g.id}`}>
            {g.label} <span class="count">({g.rows.reduce((n, r) => n + r.occurrences.length, 0)})</span>
          </h2>
          <ul class="findings">
            {g.rows.map((row) => {
              const entry = byId.get(row.concept);
              const n = row.occurrences.length;
              return (
                <li
                  key={row.concept}
                  class={`finding-row indicator-${row.indicator}`}
                  data-concept={row.concept}
                  data-group={g.id}
                  data-assertion={row.occurrences[0]!.finding.assertion}
                >
                  <div class="row-head">
                    <button type="button" class="link" onClick={() => onOpen(row.concept)}>
                      {row.title}
                    </button>{' '}
                    <span class="occurs">{n === 1 ? 'once' : `${n} times`}</span>{' '}
                    {row.indicator !== 'info' && (
                      <span class={`badge indicator-${row.indicator}`}>{INDICATOR_TEXT[row.indicator]}</span>
                    )}
                    {entry && (
                      <span class="row-source">
                        {' '}
                        Source: <Cites ids={entry.citations} />
                      </span>
                    )}
                  </div>
                  <Occurrences row={row} reveal={reveal} />
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      {ketamine && (
        <section id="ketamine-checklist" class="card" aria-labelledby="ketamine-checklist-h" tabIndex={-1}>
          <h2 id="ketamine-checklist-h">Ketamine supervision checklist</h2>
          <KetaminePanel cautions={cautions} onOpen={onOpen} headingLevel={3} />
        </section>
      )}
    </div>
  );
}

/**
 * A row's mentions. A long chart can repeat a word hundreds of times; the first few are shown and
 * the rest on request, so the panel stays quick to render and to read.
 */
const FIRST_MENTIONS = 5;

function Occurrences({ row, reveal }: { row: FindingRow; reveal: (l: LocatedFinding) => void }) {
  const [all, setAll] = useState(false);
  const shown = all ? row.occurrences : row.occurrences.slice(0, FIRST_MENTIONS);
  const hidden = row.occurrences.length - shown.length;
  return (
    <>
      <ul class="occurrences">
        {shown.map((l, i) => (
          <li key={i} data-assertion={l.finding.assertion}>
            <FindingQuote finding={l.finding} field={l.index === null} />
            {l.index !== null && (
              <button type="button" class="reveal" onClick={() => reveal(l)}>
                Show on page<span class="visually-hidden">: {row.title}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      {hidden > 0 && (
        <button type="button" class="more" onClick={() => setAll(true)}>
          Show {hidden} more {hidden === 1 ? 'mention' : 'mentions'}
          <span class="visually-hidden"> of {row.title}</span>
        </button>
      )}
    </>
  );
}
