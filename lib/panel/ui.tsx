/**
 * Small pieces every view shares: the marked sentence, citations, the copy button. Page text is
 * rendered as Preact text nodes only (escaped), never as HTML.
 */
import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { PanelData } from '../knowledge/panel-data';
import type { Source } from '../knowledge/schema';
import type { WireFinding } from '../messaging/contract';
import { cueText, sentenceParts } from './findings';
import { fullCite, shortCite } from './ketamine';

/** The knowledge data and its source registry, for any component that shows a citation. */
export interface Knowledge {
  data: PanelData;
  sources: Map<string, Source>;
}
export const KnowledgeContext = createContext<Knowledge | null>(null);

export function useKnowledge(): Knowledge {
  const k = useContext(KnowledgeContext);
  if (!k) throw new Error('KnowledgeContext missing');
  return k;
}

/** The sentence a finding came from, its matched words marked, and the cue that set its context. */
export function FindingQuote({ finding, field }: { finding: WireFinding; field?: boolean }) {
  const parts = sentenceParts(finding);
  const cues = cueText(finding);
  return (
    <div class="quote">
      {field && finding.field !== undefined && <p class="field-note">In a text field: {finding.field}</p>}
      <blockquote>
        {parts.map((p, i) =>
          p.kind === 'match' ? (
            <mark key={i}>{p.text}</mark>
          ) : p.kind === 'cue' ? (
            <em key={i} class="cue-word">
              {p.text}
            </em>
          ) : (
            p.text
          ),
        )}
      </blockquote>
      {cues.length > 0 && <p class="cue">Context: {cues.join('; ')}</p>}
    </div>
  );
}

/** Citation ids as their short forms; each opens to the full source (plain text, no links). */
export function Cites({ ids }: { ids: string[] }) {
  const { sources } = useKnowledge();
  return (
    <span class="cites">
      {ids.map((id) => (
        <details class="cite" key={id}>
          <summary>{shortCite(sources.get(id), id)}</summary>
          <span class="full-source">{fullCite(sources.get(id), id)}</span>
        </details>
      ))}
    </span>
  );
}

/**
 * Copies text to the clipboard. When the browser refuses (no permission, no focus), the text is
 * shown in a selectable field instead so that nothing is lost.
 */
export function CopyButton({ label, text }: { label: string; text: () => string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'fallback'>('idle');
  const [fallback, setFallback] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (state !== 'fallback') return;
    area.current?.focus();
    area.current?.select();
  }, [state]);
  const copy = async () => {
    const value = text();
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setFallback(value);
      setState('fallback');
    }
  };
  return (
    <div class="copy">
      <button type="button" onClick={() => void copy()}>
        {label}
      </button>
      <span class="copy-status" role="status">
        {state === 'copied' ? 'Copied' : state === 'fallback' ? 'Copying was refused: select the text below' : ''}
      </span>
      {state === 'fallback' && (
        <textarea ref={area} class="copy-fallback" readOnly aria-label={`${label}: text to copy`} value={fallback} />
      )}
    </div>
  );
}

export const INDICATOR_TEXT = { info: 'Info', warning: 'Warning', critical: 'Critical' } as const;
