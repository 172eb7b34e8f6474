/**
 * A form two entries share is read as one of them: "pregnant" beside a headache is the pregnancy
 * red flag, elsewhere the ketamine caution. The ketamine panel must raise the pregnancy caution
 * either way, and a past pregnancy under either name raises nothing.
 */
import { describe, expect, it } from 'vitest';
import { analyze, createEngine } from '../../../lib/engine';
import { cautionMentions } from '../../../lib/panel/ketamine';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const knowledge = loadKnowledge();
const engine = createEngine(knowledge.lexicon);
const pregnancy = (text: string) => {
  const located = analyze(engine, text).map((finding, index) => ({ finding, frameId: 0, index }));
  const c = cautionMentions(knowledge.panel, located).find((m) => m.entry.id === 'ketamine-ci-pregnancy')!;
  return { status: c.status, concepts: c.mentions.map((m) => m.finding.concept) };
};

describe('the pregnancy caution', () => {
  it('is raised by the pregnancy red flag that took its word', () => {
    expect(pregnancy('32 wks pregnant, HA w/ BP 158/102 — r/o preeclampsia.')).toEqual({
      status: 'present',
      concepts: ['headache-in-pregnancy'],
    });
  });

  it('and by its own reading of the word', () => {
    expect(pregnancy('Ketamine infusion planned. Pregnant: no.')).toEqual({
      status: 'denied',
      concepts: ['ketamine-ci-pregnancy'],
    });
  });

  it('but not by a past pregnancy, under either name', () => {
    expect(pregnancy('Migraines improved during her last pregnancy.').status).toBe('other');
  });
});
