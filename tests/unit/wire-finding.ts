/** One well-formed finding as it travels between contexts ("Denies aura."), for message tests. */
import type { WireFinding } from '../../lib/messaging/contract';

export const deniedAura: WireFinding = {
  concept: 'aura',
  category: 'aura',
  title: 'Aura',
  text: 'aura',
  start: 7,
  end: 11,
  assertion: 'negated',
  negated: true,
  uncertain: false,
  historical: false,
  hypothetical: false,
  family: false,
  sentence: 'Denies aura.',
  sentenceStart: 0,
  cues: [],
};
