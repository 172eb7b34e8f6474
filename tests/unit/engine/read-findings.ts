/**
 * The engine with the whole knowledge base, and a finding's reading as "text assertion": what the
 * engine tests compare, one per finding, in text order.
 */
import { analyze, createEngine } from '../../../lib/engine';
import { loadKnowledge } from '../../../scripts/load-knowledge';

export const engine = createEngine(loadKnowledge().lexicon);

export const read = (text: string): string[] => analyze(engine, text).map((f) => `${f.text} ${f.assertion}`);
