/** Reads knowledge/ from disk (Node only) and compiles it; used by the Vite plugin and the CLI. */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compileKnowledge, type CompiledKnowledge, type KnowledgeFiles } from '../lib/knowledge/compile';
import { KnowledgeError } from '../lib/knowledge/schema';

/** knowledge/ of this checkout; CHARTLIGHT_KNOWLEDGE_DIR points a build at another (tests use it). */
export const KNOWLEDGE_DIR = process.env.CHARTLIGHT_KNOWLEDGE_DIR
  ? resolve(process.env.CHARTLIGHT_KNOWLEDGE_DIR)
  : resolve(import.meta.dirname, '..', 'knowledge');

function readJson(path: string, root: string): { file: string; json: unknown } {
  const file = relative(resolve(root, '..'), path);
  const text = readFileSync(path, 'utf8');
  try {
    return { file, json: JSON.parse(text) };
  } catch (e) {
    throw new KnowledgeError(file, '(file)', `is not valid JSON: ${(e as Error).message}`);
  }
}

export function readKnowledgeFiles(dir = KNOWLEDGE_DIR): KnowledgeFiles {
  const entriesDir = join(dir, 'entries');
  const entries = readdirSync(entriesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readJson(join(entriesDir, f), dir));
  const icdPath = join(dir, 'icd10cm-g43-g44.tsv');
  return {
    entries,
    sources: readJson(join(dir, 'sources.json'), dir),
    contextRules: readJson(join(dir, 'context', 'rules.json'), dir),
    sections: readJson(join(dir, 'context', 'sections.json'), dir),
    icd10: { file: relative(resolve(dir, '..'), icdPath), text: readFileSync(icdPath, 'utf8') },
  };
}

export function loadKnowledge(dir = KNOWLEDGE_DIR): CompiledKnowledge {
  return compileKnowledge(readKnowledgeFiles(dir));
}

/** Every file the compile reads, for watch mode. */
export function knowledgeFilePaths(dir = KNOWLEDGE_DIR): string[] {
  const entriesDir = join(dir, 'entries');
  return [
    ...readdirSync(entriesDir).map((f) => join(entriesDir, f)),
    join(dir, 'sources.json'),
    join(dir, 'context', 'rules.json'),
    join(dir, 'context', 'sections.json'),
    join(dir, 'icd10cm-g43-g44.tsv'),
  ];
}
