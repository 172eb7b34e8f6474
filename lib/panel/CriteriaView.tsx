/** ICHD-3 criteria coverage for 1.1, 1.2 and 1.3: documented, denied, not mentioned. */
import { useMemo } from 'preact/hooks';
import type { Entry } from '../knowledge/schema';
import { CRITERIA, coverage, criterionFact, type ElementStatus } from './criteria';
import { locate } from './findings';
import type { TabStatus } from './PageView';
import { Cites, FindingQuote } from './ui';

const STATUS_LABEL: Record<ElementStatus, string> = {
  documented: 'Documented',
  denied: 'Denied',
  'not-mentioned': 'Not mentioned',
  'not-detectable': 'Check in the note (not found by term matching)',
};

export function CriteriaView({
  status,
  byId,
  onOpen,
}: {
  status: TabStatus;
  byId: Map<string, Entry>;
  onOpen: (id: string) => void;
}) {
  const located = useMemo(() => (status.kind === 'ready' && status.tab ? locate(status.tab) : []), [status]);
  return (
    <section class="criteria-view" aria-labelledby="criteria-h">
      <h2 id="criteria-h">ICHD-3 criteria coverage</h2>
      <p class="note">
        This supports documentation and is not a diagnosis. It shows which elements of the criteria the page documents
        (affirmed mentions only), which it denies and which it does not mention; it does not decide whether the criteria
        are met.
      </p>
      {status.kind === 'loading' && <p role="status">Loading this page's findings…</p>}
      {status.kind === 'error' && <p role="alert">Could not read this page's findings: {status.message}</p>}
      {status.kind === 'no-tab' && <p class="empty">No tab to show: every element is shown as not mentioned.</p>}
      {status.kind === 'ready' && !status.tab && (
        <p class="empty">This page has not been scanned: every element is shown as not mentioned.</p>
      )}
      {CRITERIA.map((set) => {
        const entry = byId.get(set.entryId);
        const rows = coverage(set, located, byId);
        const letters = [...new Set(set.elements.map((e) => e.criterion))];
        const documented = rows.filter((r) => r.status === 'documented').length;
        return (
          <section key={set.code} class="criteria-set" data-criteria={set.code} aria-labelledby={`crit-${set.entryId}`}>
            <h3 id={`crit-${set.entryId}`}>
              ICHD-3 {set.code} {set.name}
            </h3>
            <p class="criteria-summary">
              {documented} of {rows.length} elements documented on this page.{' '}
              {entry ? (
                <button type="button" class="link" onClick={() => onOpen(entry.id)}>
                  Open {entry.title}
                </button>
              ) : (
                <span>The knowledge base has no entry {set.entryId}.</span>
              )}
            </p>
            {letters.map((letter) => {
              const fact = criterionFact(entry, letter);
              return (
                <div class="criterion" key={letter}>
                  <h4>Criterion {letter}</h4>
                  {fact && (
                    <p class="criterion-text">
                      {fact.text} <Cites ids={fact.cite} />
                    </p>
                  )}
                  <ul class="elements">
                    {rows
                      .filter((r) => r.element.criterion === letter)
                      .map((r) => (
                        <li key={r.element.label} data-element={r.element.label} data-status={r.status}>
                          <span class="element-label">{r.element.label}</span>:{' '}
                          <strong class={`status status-${r.status}`}>{STATUS_LABEL[r.status]}</strong>
                          {r.known.length > 0 && <span class="mapping"> (concepts: {r.known.join(', ')})</span>}
                          {r.basis && <FindingQuote finding={r.basis.finding} field={r.basis.index === null} />}
                        </li>
                      ))}
                  </ul>
                </div>
              );
            })}
          </section>
        );
      })}
    </section>
  );
}
