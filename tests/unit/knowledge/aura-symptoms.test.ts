/**
 * Symptom words that ICHD-3 counts as aura only in an aura's company: the knowledge base reads
 * them as aura where the line names an aura or migraine, and leaves them alone elsewhere (a
 * thunderclap headache with vertigo is no aura; diplopia during a ketamine infusion is the drug's).
 */
import { describe, expect, it } from 'vitest';
import { analyze, createEngine } from '../../../lib/engine';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const engine = createEngine(loadKnowledge().lexicon);
const found = (text: string) => analyze(engine, text).map((f) => `${f.text}: ${f.concept} ${f.assertion}`);

describe('brainstem symptoms as aura', () => {
  it('reads vertigo, tinnitus, hypacusis and ataxia as brainstem aura symptoms beside an aura', () => {
    expect(found('Reports vertigo and tinnitus during the aura, then hypacusis and ataxia.')).toEqual(
      expect.arrayContaining([
        'vertigo: brainstem-aura-symptoms affirmed',
        'tinnitus: brainstem-aura-symptoms affirmed',
        'hypacusis: brainstem-aura-symptoms affirmed',
        'ataxia: brainstem-aura-symptoms affirmed',
      ]),
    );
    expect(found('No vertigo with the migraines.')).toContain('vertigo: brainstem-aura-symptoms negated');
  });

  it('leaves them unread where no aura or migraine is named on the line', () => {
    const concepts = (t: string) => analyze(engine, t).map((f) => f.concept);
    expect(concepts('Sudden vertigo and ataxia with the worst headache of life.')).not.toContain(
      'brainstem-aura-symptoms',
    );
    expect(concepts('Vertigo for two weeks, BPPV suspected.')).toEqual([]);
    expect(concepts('Ketamine infusion: vertigo and diplopia reported.')).toEqual([
      'ketamine-iv-infusion',
      'ketamine-physical-adverse-effects',
    ]);
  });

  it('reads diplopia and dysarthria as aura or as ketamine\u2019s, whichever is named nearer', () => {
    expect(found('Reports diplopia and dysarthria during the aura.')).toEqual(
      expect.arrayContaining([
        'diplopia: brainstem-aura-symptoms affirmed',
        'dysarthria: brainstem-aura-symptoms affirmed',
      ]),
    );
    expect(found('Ketamine gtt: diplopia reported; rate decreased.')).toContain(
      'diplopia: ketamine-physical-adverse-effects affirmed',
    );
    expect(found('Diplopia during aura, resolved; ketamine tried last year.')).toContain(
      'Diplopia: brainstem-aura-symptoms historical',
    );
    expect(found('Migraine aura last week. Ketamine infusion today: diplopia.')).toContain(
      'diplopia: ketamine-physical-adverse-effects affirmed',
    );
  });

  it('in an infusion note, a migraine or a "migraine with aura" diagnosis does not make them aura', () => {
    // The reason for the infusion is named on the same line, often nearer than the drug: only an
    // aura event ("during the aura", "brainstem aura") speaks for the aura reading.
    for (const line of [
      'Ketamine infusion for refractory migraine: diplopia at 20 min, rate decreased.',
      'During the infusion for status migrainosus she reported diplopia.',
      'Ketamine infusion for migraine with aura: transient dysarthria.',
    ]) {
      expect(found(line).filter((f) => /^(diplopia|dysarthria)/i.test(f))).toEqual([
        expect.stringMatching(/: ketamine-physical-adverse-effects affirmed$/),
      ]);
    }
    expect(found('Migraine with brainstem aura: dysarthria and vertigo with attacks.')).toContain(
      'dysarthria: brainstem-aura-symptoms affirmed',
    );
  });
});
