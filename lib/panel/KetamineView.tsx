/**
 * Ketamine supervision: the cited checklist from the knowledge base, with the page's own mentions
 * of each contraindication or caution raised (present) or shown as denied, quoting the sentence.
 */
import { useMemo, useState } from 'preact/hooks';
import type { Entry } from '../knowledge/schema';
import { locate } from './findings';
import {
  PHASES,
  PHASE_ORDER,
  cautionMentions,
  checklistItems,
  checklistText,
  type CautionMention,
  type Role,
} from './ketamine';
import type { TabStatus } from './PageView';
import { Cites, CopyButton, FindingQuote, useKnowledge } from './ui';

const STATUS_LABEL = {
  present: 'Mentioned as present',
  denied: 'Documented as denied',
  other: 'Mentioned, not as present',
  'not-mentioned': 'Not mentioned on this page',
} as const;

/** Contraindications the page mentions: present ones as warnings, then denied, then the rest. */
export function CautionList({
  cautions,
  onOpen,
  only,
}: {
  cautions: CautionMention[];
  onOpen: (id: string) => void;
  only?: CautionMention['status'][];
}) {
  const shown = cautions.filter((c) => c.status !== 'not-mentioned' && (!only || only.includes(c.status)));
  if (shown.length === 0)
    return <p class="empty">The page mentions none of the contraindications and cautions in the knowledge base.</p>;
  return (
    <ul class="cautions">
      {shown.map((c) => (
        <li key={c.entry.id} class={`caution caution-${c.status}`} data-caution={c.entry.id} data-status={c.status}>
          <p class="caution-head">
            {c.status === 'present' && <strong class="badge indicator-warning">Warning</strong>}{' '}
            <button type="button" class="link" onClick={() => onOpen(c.entry.id)}>
              {c.entry.title}
            </button>
            {': '}
            <span class="caution-status">{STATUS_LABEL[c.status]}</span>
            {c.entry.contraindication && <span class="caution-kind"> ({c.entry.contraindication})</span>}
          </p>
          {c.mentions[0] && <FindingQuote finding={c.mentions[0].finding} field={c.mentions[0].index === null} />}
          <p class="basis">
            Source: <Cites ids={c.entry.citations} />
          </p>
        </li>
      ))}
    </ul>
  );
}

export interface KetaminePanelProps {
  cautions: CautionMention[];
  onOpen: (id: string) => void;
  /** Level of the panel's own headings, under the heading of whatever holds it. */
  headingLevel?: 3 | 4;
}

/** The checklist itself with the role toggle and copy; shared by the page view and its own view. */
export function KetaminePanel({ cautions, onOpen, headingLevel = 3 }: KetaminePanelProps) {
  const { data } = useKnowledge();
  const [role, setRole] = useState<Role>('nurse');
  const items = useMemo(() => checklistItems(data), [data]);
  const byCaution = useMemo(() => new Map(cautions.map((c) => [c.entry.id, c])), [cautions]);
  const evidence = useMemo(
    () =>
      data.entries.filter(
        (e) =>
          (e.category === 'ketamine' && !e.contraindication) ||
          (e.category === 'supervision' && e.supervision) ||
          // The claims made for ketamine, each with its evidence verdict.
          (e.category === 'claim' && /ketamine/.test(e.id)),
      ),
    [data],
  );
  const H = `h${headingLevel}` as 'h3';
  if (items.length === 0) return <p class="empty">The knowledge base holds no ketamine supervision entries.</p>;
  const present = cautions.filter((c) => c.status === 'present');
  const checklist = (
    <div class="checklist">
      {PHASE_ORDER[role].map((phase) => {
        const list = items.filter((i) => i.phase === phase);
        if (!list.length) return null;
        const label = PHASES.find((p) => p.id === phase)!.label;
        return (
          <section key={phase} class={`phase phase-${phase}`} aria-label={label}>
            <H>{label}</H>
            <ul>
              {list.map((item, i) => (
                <li key={i} class="check-item">
                  <label>
                    <input type="checkbox" /> {item.text}
                  </label>{' '}
                  <Cites ids={item.cite} />
                  {item.checks.map((id) => {
                    const c = byCaution.get(id);
                    if (!c || c.status === 'not-mentioned') return null;
                    return (
                      <p key={id} class={`check-status caution-${c.status}`}>
                        On this page: {c.entry.title}, {STATUS_LABEL[c.status].toLowerCase()}
                      </p>
                    );
                  })}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
  const evidenceBlock = (
    <section class="evidence-block" aria-label="Evidence">
      <H>Evidence</H>
      <ul>
        {evidence.map((e) => (
          <li key={e.id}>
            <button type="button" class="link" onClick={() => onOpen(e.id)}>
              {e.title}
            </button>
            : <EvidenceBadge entry={e} />
          </li>
        ))}
      </ul>
    </section>
  );
  return (
    <div class="ketamine-panel" data-role={role}>
      <div class="role-toggle" role="group" aria-label="Checklist view">
        <button type="button" aria-pressed={role === 'nurse'} onClick={() => setRole('nurse')}>
          Nurse's view (monitoring first)
        </button>
        <button type="button" aria-pressed={role === 'neurologist'} onClick={() => setRole('neurologist')}>
          Neurologist's view (evidence and contraindications first)
        </button>
      </div>
      {present.length > 0 && (
        <section class="warnings" aria-label="Warnings from this page">
          <H>Raised from this page</H>
          <CautionList cautions={present} onOpen={onOpen} />
        </section>
      )}
      {role === 'neurologist' && (
        <>
          <section aria-label="Other contraindication mentions">
            <H>Contraindications and cautions: other mentions</H>
            <CautionList cautions={cautions} onOpen={onOpen} only={['denied', 'other']} />
          </section>
          {evidenceBlock}
          {checklist}
        </>
      )}
      {role === 'nurse' && (
        <>
          {checklist}
          <section aria-label="Other contraindication mentions">
            <H>Contraindications and cautions: other mentions</H>
            <CautionList cautions={cautions} onOpen={onOpen} only={['denied', 'other']} />
          </section>
        </>
      )}
      <CopyButton label="Copy as text" text={() => checklistText(data, role, cautions)} />
    </div>
  );
}

export function EvidenceBadge({ entry }: { entry: Entry }) {
  const { level, note } = entry.evidence;
  const limited = level === 'weak' || level === 'negative' || level === 'mixed';
  const text =
    level === 'negative'
      ? 'Negative evidence'
      : level === 'weak'
        ? 'Limited evidence (weak)'
        : level === 'mixed'
          ? 'Limited evidence (mixed)'
          : `Evidence: ${level}`;
  return (
    <span class={`evidence evidence-${level}${limited ? ' evidence-limited' : ''}`}>
      <strong class="badge">{text}</strong>
      {note && <span class="evidence-note"> {note}</span>}
    </span>
  );
}

/** The "Ketamine supervision" view: on demand, with or without a scanned page. */
export function KetamineView({ status, onOpen }: { status: TabStatus; onOpen: (id: string) => void }) {
  const { data } = useKnowledge();
  const located = useMemo(() => (status.kind === 'ready' && status.tab ? locate(status.tab) : []), [status]);
  const cautions = useMemo(() => cautionMentions(data, located), [data, located]);
  return (
    <section class="ketamine-view" aria-labelledby="ketamine-h">
      <h2 id="ketamine-h">Ketamine supervision</h2>
      <p class="note">
        Ketamine for migraine is off-label. This checklist collects what published guidance and labels ask; it sets no
        doses.
      </p>
      {status.kind === 'loading' && <p role="status">Loading this page's findings…</p>}
      {status.kind === 'error' && (
        <p role="alert">Could not read this page's findings ({status.message}): contraindications are not checked.</p>
      )}
      {status.kind === 'ready' && !status.tab && (
        <p class="empty">This page has not been scanned: contraindications are not checked against it.</p>
      )}
      <KetaminePanel cautions={cautions} onOpen={onOpen} />
    </section>
  );
}
