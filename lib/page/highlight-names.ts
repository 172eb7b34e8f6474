import { ASSERTION_PRECEDENCE, type Assertion, type HighlightCategory } from '../engine/types';

/** Contract 2: `chartlight-<category>`, plus `-<assertion>` when the mention is not affirmed. */
export function highlightName(category: HighlightCategory, assertion: Assertion): string {
  return assertion === 'affirmed' ? `chartlight-${category}` : `chartlight-${category}-${assertion}`;
}

export const ASSERTION_SUFFIXES = ASSERTION_PRECEDENCE;
