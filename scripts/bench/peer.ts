/** The peer's side of the comparison: what mark.js is asked to find. */
import type { CompiledLexicon } from '../../lib/engine/types';

/**
 * Every surface form of the lexicon and every ICD-10-CM code, written with its dot as charts
 * write it ("G43909" → "G43.909"), without duplicates.
 */
export function peerTerms(lexicon: CompiledLexicon): string[] {
  const codes = Object.keys(lexicon.codes).map((c) => (c.length > 3 ? `${c.slice(0, 3)}.${c.slice(3)}` : c));
  return [...new Set([...lexicon.forms.map((f) => f.text), ...codes])];
}
