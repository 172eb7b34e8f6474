/**
 * A cue whose last words are also a mention's first ("no new" before "new weakness"): the page's
 * reading (analyze) dropped it as part of the mention, and a denied red flag showed as present.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, createEngine } from '../../../lib/engine';
import { compileKnowledge } from '../../../lib/knowledge/compile';
import { readKnowledgeFiles } from '../../../scripts/load-knowledge';
import { MINI_DIR } from './mini-engine';

/** The mini knowledge base plus a red flag named "new weakness". */
function engineWithNewWeakness() {
  const dir = mkdtempSync(join(tmpdir(), 'chartlight-cue-'));
  cpSync(MINI_DIR, dir, { recursive: true });
  const entry = JSON.parse(readFileSync(join(dir, 'entries', 'fever.json'), 'utf8'));
  Object.assign(entry, { id: 'new-weakness', title: 'New weakness', surfaceForms: [{ text: 'new weakness' }] });
  writeFileSync(join(dir, 'entries', 'new-weakness.json'), JSON.stringify(entry, null, 2));
  return createEngine(compileKnowledge(readKnowledgeFiles(dir)).lexicon);
}

describe('a cue that runs into a mention', () => {
  const engine = engineWithNewWeakness();
  const read = (text: string) => analyze(engine, text).map((f) => `${f.text}: ${f.assertion}`);

  it('"No new weakness": the "no new" cue still negates, cut short before the mention', () => {
    expect(read('No new weakness, fever or headache.')).toEqual([
      'new weakness: negated',
      'fever: negated',
      'headache: negated',
    ]);
    expect(analyze(engine, 'No new weakness.')[0]!.cues.map((c) => c.text)).toEqual(['No']);
  });

  it('a cue inside a mention\u2019s own words still counts for nothing ("migraine without aura")', () => {
    expect(read('Migraine without aura.')).toEqual(['Migraine without aura: affirmed']);
  });
});
