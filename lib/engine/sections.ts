/**
 * Whether a piece of text holds a section header. A header gives its context to every line after
 * it until the next one, so a page update that adds, changes or removes one changes the meaning of
 * text it did not touch: the scanner then reads the whole page again instead of the update alone.
 */
import type { Engine } from './analyze';
import { indexSections } from './context';
import { fold } from './normalize';
import { tokenize } from './tokens';

export function holdsSectionHeader(engine: Engine, text: string): boolean {
  if (text.length === 0) return false;
  // Every "Words:" at a line start counts, even where the words are a finding ("Migraine: mother"):
  // a false alarm costs one full pass, a miss would leave stale context on the page.
  return indexSections(engine.context, tokenize(fold(text).text), () => false).length > 0;
}
