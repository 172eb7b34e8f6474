/** One knowledge entry: every fact with its citations, the evidence badge, the full sources. */
import { useEffect, useRef } from 'preact/hooks';
import type { Entry } from '../knowledge/schema';
import type { LocatedFinding } from './findings';
import { EvidenceBadge } from './KetamineView';
import { fullCite, PHASES } from './ketamine';
import { Cites, CopyButton, FindingQuote, INDICATOR_TEXT, useKnowledge } from './ui';

/** Enough quotes to show the basis without pushing the entry's own content off screen. */
const MAX_MENTIONS = 3;

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
  mentions,
  onOpen,
  onBack,
}: {
  entry: Entry | null;
  id: string;
  /** This entry's mentions on the current page: what raised it, shown as the basis. */
  mentions: LocatedFinding[];
  onOpen: (id: string) => void;
  onBack: () => void;
}) {
  const { sources, data } = useKnowledge();
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on the entry they opened, not at the top of the page.
  useEffect(() => heading.current?.focus(), [id]);
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
      <h2 id="entry-h" ref={heading} tabIndex={-1}>
        {entry.title}
      </h2>
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
      {mentions.length > 0 && (
        <section class="entry-mentions" aria-labelledby="entry-mentions-h">
          <h3 id="entry-mentions-h">On this page ({mentions.length})</h3>
          <ul class="occurrences">
            {mentions.slice(0, MAX_MENTIONS).map((l, i) => (
              <li key={i} data-assertion={l.finding.assertion}>
                <FindingQuote finding={l.finding} field={l.index === null} />
              </li>
            ))}
          </ul>
          {mentions.length > MAX_MENTIONS && (
            <p class="note">and {mentions.length - MAX_MENTIONS} more on the page view.</p>
          )}
        </section>
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
