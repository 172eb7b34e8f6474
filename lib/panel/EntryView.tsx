/** One knowledge entry: every fact with its citations, the evidence badge, the full sources. */
import type { Entry } from '../knowledge/schema';
import { EvidenceBadge } from './KetamineView';
import { fullCite, PHASES } from './ketamine';
import { Cites, CopyButton, INDICATOR_TEXT, useKnowledge } from './ui';

export function entryText(entry: Entry, cite: (id: string) => string): string {
  const refs: string[] = [];
  const ref = (id: string) => {
    if (!refs.includes(id)) refs.push(id);
    return `[${refs.indexOf(id) + 1}]`;
  };
  const lines = [
    `${entry.title} (${INDICATOR_TEXT[entry.indicator]})`,
    `${entry.summary} ${entry.citations.map(ref).join('')}`,
    `Evidence: ${entry.evidence.level}${entry.evidence.note ? `. ${entry.evidence.note}` : ''}`,
    ...entry.detail.map((d) => `- ${d.text} ${d.cite.map(ref).join('')}`),
    ...(entry.supervision ?? []).map((s) => `[ ] (${s.phase}) ${s.text} ${s.cite.map(ref).join('')}`),
    `Last reviewed ${entry.lastReviewed}. Decision support, not a diagnosis.`,
    'References:',
    ...refs.map((id, i) => `${i + 1}. ${cite(id)}`),
  ];
  return lines.join('\n');
}

export function EntryView({
  entry,
  id,
  onOpen,
  onBack,
}: {
  entry: Entry | null;
  id: string;
  onOpen: (id: string) => void;
  onBack: () => void;
}) {
  const { sources, data } = useKnowledge();
  const back = (
    <button type="button" class="back" onClick={onBack}>
      Back
    </button>
  );
  if (!entry)
    return (
      <div>
        {back}
        <p class="empty" role="alert">
          The entry "{id}" is not in the knowledge base.
        </p>
      </div>
    );
  const titleOf = (r: string) => data.entries.find((e) => e.id === r)?.title ?? r;
  return (
    <article class={`entry indicator-${entry.indicator}`} data-entry={entry.id} aria-labelledby="entry-h">
      {back}
      <h2 id="entry-h">{entry.title}</h2>
      <p class="entry-meta">
        <span class={`badge indicator-${entry.indicator}`}>{INDICATOR_TEXT[entry.indicator]}</span>{' '}
        <span class="category">{entry.category}</span>
        {entry.contraindication && <span class="caution-kind"> · ketamine {entry.contraindication}</span>}
      </p>
      <p class="summary">
        {entry.summary} <Cites ids={entry.citations} />
      </p>
      <p class="evidence-line">
        <EvidenceBadge entry={entry} />
      </p>
      {entry.detail.length > 0 && (
        <ul class="detail">
          {entry.detail.map((d, i) => (
            <li key={i}>
              {d.text} <Cites ids={d.cite} />
            </li>
          ))}
        </ul>
      )}
      {entry.supervision && entry.supervision.length > 0 && (
        <>
          <h3>Supervision</h3>
          <ul class="detail">
            {entry.supervision.map((s, i) => (
              <li key={i}>
                <span class="phase-label">{PHASES.find((p) => p.id === s.phase)?.label ?? s.phase}:</span> {s.text}{' '}
                <Cites ids={s.cite} />
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Sources</h3>
      <ol class="sources">
        {entry.citations.map((c) => {
          const full = fullCite(sources.get(c), c);
          return (
            <li key={c} data-source={c}>
              <span class="full-source">{full}</span>
              <CopyButton label="Copy citation" text={() => full} />
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
                  {titleOf(r)}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <p class="reviewed">Last reviewed {entry.lastReviewed}</p>
      <CopyButton label="Copy as text" text={() => entryText(entry, (c) => fullCite(sources.get(c), c))} />
    </article>
  );
}
