/** The engine over tests/fixtures/knowledge-mini: a stable lexicon, so these tests do not follow the content. */
import { compileKnowledge } from '../../../lib/knowledge/compile';
import { analyze, createEngine, type Engine, type Finding } from '../../../lib/engine';
import { readKnowledgeFiles } from '../../../scripts/load-knowledge';

export const MINI_DIR = 'tests/fixtures/knowledge-mini';

let cached: Engine | null = null;

export function miniEngine(): Engine {
  cached ??= createEngine(compileKnowledge(readKnowledgeFiles(MINI_DIR)).lexicon);
  return cached;
}

export function findings(text: string): Finding[] {
  return analyze(miniEngine(), text);
}

/** The finding whose text is `phrase` (the first, or the nth). */
export function findingFor(text: string, phrase: string, nth = 0): Finding {
  const all = findings(text).filter((f) => f.text === phrase);
  const f = all[nth];
  if (!f)
    throw new Error(
      `no finding "${phrase}" in ${JSON.stringify(text)}; found ${JSON.stringify(findings(text).map((x) => x.text))}`,
    );
  return f;
}
