/**
 * The search's test knowledge: the stable mini set (tests/fixtures/knowledge-mini) plus a few
 * synthetic entries that give the searcher what the mini set lacks — a supervision checklist,
 * nurse-facing entries, abbreviations with context, a lay-word form. Texts are placeholders, not
 * clinical statements.
 */
import { resolve } from 'node:path';
import { compileKnowledge } from '../../../lib/knowledge/compile';
import type { PanelData } from '../../../lib/knowledge/panel-data';
import type { Entry } from '../../../lib/knowledge/schema';
import { readKnowledgeFiles } from '../../../scripts/load-knowledge';

const MINI = resolve(import.meta.dirname, '../../fixtures/knowledge-mini');
const CITE = ['ichd3-2018'];

function entry(e: Partial<Entry> & Pick<Entry, 'id' | 'category' | 'title' | 'surfaceForms'>): Entry {
  return {
    summary: `Test entry for ${e.title}.`,
    detail: [{ text: `${e.title} is a test concept.`, cite: CITE }],
    indicator: 'info',
    audience: ['neurologist'],
    evidence: { level: 'established' },
    citations: CITE,
    related: [],
    lastReviewed: '2026-11-27',
    ...e,
  };
}

export const EXTRA_ENTRIES: Entry[] = [
  entry({
    id: 'medication-overuse-headache',
    category: 'diagnosis',
    title: 'Medication-overuse headache',
    surfaceForms: [
      { text: 'medication-overuse headache' },
      { text: 'MOH', caseSensitive: true },
      { text: 'rebound headache' },
    ],
    codes: ['G44.40', 'G44.41'],
  }),
  entry({
    id: 'osmophobia',
    category: 'symptom',
    title: 'Osmophobia',
    surfaceForms: [{ text: 'osmophobia' }, { text: 'smell sensitivity', searchOnly: true }],
  }),
  entry({
    id: 'status-migrainosus',
    category: 'diagnosis',
    title: 'Status migrainosus',
    surfaceForms: [{ text: 'status migrainosus' }],
  }),
  entry({
    id: 'intranasal-ketamine',
    category: 'ketamine',
    title: 'Intranasal ketamine',
    audience: ['neurologist', 'nurse'],
    surfaceForms: [{ text: 'intranasal ketamine' }, { text: 'IN ketamine', caseSensitive: true }],
  }),
  entry({
    id: 'ketamine-supervision',
    category: 'supervision',
    title: 'Ketamine infusion supervision',
    audience: ['nurse', 'neurologist'],
    summary: 'What the infusion team checks before, during and after a ketamine dose.',
    surfaceForms: [{ text: 'ketamine monitoring', searchOnly: true }],
    supervision: [
      { phase: 'before', text: 'Blood pressure and heart rate are recorded before the infusion.', cite: CITE },
      { phase: 'during', text: 'Pulse oximetry and sedation are observed during the infusion.', cite: CITE },
      { phase: 'after', text: 'The patient is observed until sedation has resolved.', cite: CITE },
    ],
  }),
  entry({
    id: 'ketamine-driving',
    category: 'supervision',
    title: 'Driving after ketamine',
    audience: ['nurse'],
    summary: 'No driving or operating machinery after a ketamine dose (test text).',
    surfaceForms: [{ text: 'driving restriction', searchOnly: true }],
  }),
  entry({
    id: 'ketamine-hepatotoxicity',
    category: 'claim',
    title: 'Ketamine and the liver',
    summary: 'Liver injury reported with repeated ketamine exposure (test text).',
    detail: [{ text: 'Liver function tests (LFTs) before and after repeated infusions.', cite: CITE }],
    surfaceForms: [{ text: 'LFTs', searchOnly: true }],
  }),
];

let cached: PanelData | null = null;

/** Panel data compiled from the mini set plus EXTRA_ENTRIES, as the build would compile it. */
export function testPanelData(): PanelData {
  if (cached) return cached;
  const files = readKnowledgeFiles(MINI);
  files.entries.push(...EXTRA_ENTRIES.map((e) => ({ file: `entries/${e.id}.json`, json: e as unknown })));
  cached = compileKnowledge(files).panel;
  return cached;
}
