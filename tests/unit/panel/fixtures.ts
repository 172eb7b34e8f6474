/**
 * Shared set-up for the panel's component tests: panel data compiled from the small knowledge set,
 * tab states built by running the real engine over synthetic chart text, and a fake PanelPort.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileKnowledge } from '../../../lib/knowledge/compile';
import { analyze, createEngine } from '../../../lib/engine/analyze';
import type { TabState, WireFinding } from '../../../lib/messaging/contract';
import type { PanelPort } from '../../../lib/panel/port';
import type { PanelToBackground } from '../../../lib/messaging/contract';
import { readKnowledgeFiles } from '../../../scripts/load-knowledge';

export const MINI = join(import.meta.dirname, '..', '..', 'fixtures', 'knowledge-mini');
const CAUTIONS = join(import.meta.dirname, 'cautions');

/**
 * The mini set plus ketamine contraindication entries that only the panel's tests need. They live
 * here rather than in the shared mini set so that other suites' lexicon (and their property tests'
 * running time) stays as it was; the supervision items are linked to them the way the real
 * knowledge base links its checklist to its cautions.
 */
function panelKnowledge() {
  const files = readKnowledgeFiles(MINI);
  for (const f of readdirSync(CAUTIONS).sort()) {
    files.entries.push({ file: `cautions/${f}`, json: JSON.parse(readFileSync(join(CAUTIONS, f), 'utf8')) });
  }
  const checklist = files.entries.find((e) => (e.json as { id: string }).id === 'ketamine-supervision-checklist');
  const items = (checklist!.json as { supervision: { phase: string; checks?: string[] }[] }).supervision;
  const before = items.filter((i) => i.phase === 'before');
  before[0]!.checks = ['hypertension', 'pregnancy', 'psychosis'];
  before[1]!.checks = ['liver-disease', 'substance-use-disorder'];
  return compileKnowledge(files);
}

export const knowledge = panelKnowledge();
export const data = knowledge.panel;
const engine = createEngine(knowledge.lexicon);

export const findingsOf = (text: string): WireFinding[] => analyze(engine, text);

/** A tab whose frames hold the findings of each text (frame ids 0, 1, …); `fields` in frame 0. */
export function tabOf(texts: string[], fields: { label: string; text: string }[] = [], tabId = 7): TabState {
  return {
    tabId,
    focusEntry: null,
    paused: false,
    frames: texts.map((t, frameId) => ({
      frameId,
      findings: findingsOf(t),
      fields: frameId === 0 ? fields.flatMap((f) => findingsOf(f.text).map((x) => ({ ...x, field: f.label }))) : [],
    })),
  };
}

export const NEURO_NOTE =
  'Pt c/o L-sided throbbing HA with nausea and photophobia. Denies aura. No phonophobia. ' +
  'Mother with migraines. No fever. Chronic migraine without aura. Possible thunderclap headache. ' +
  'Return if worst headache of life.';

export const INFUSION_NOTE =
  'Ketamine infusion per refractory headache protocol. BP 148/92, history of hypertension on lisinopril. ' +
  'No h/o psychosis or schizophrenia. Denies substance use disorder. Not pregnant. No liver disease.';

export interface FakePort extends PanelPort {
  sent: PanelToBackground[];
  /** Pushes a new state to every watcher of the tab. */
  emit(tabId: number, state: TabState | null): void;
  fail(tabId: number, error: Error): void;
  activate(tabId: number): void;
  watchers(tabId: number): number;
  /** What send() answers; a rejected promise simulates an unreachable background. */
  reply: () => Promise<unknown>;
}

export function fakePort(): FakePort {
  const watch = new Map<number, Set<{ onState: (s: TabState | null) => void; onError?: (e: Error) => void }>>();
  const active = new Set<(id: number) => void>();
  const port: FakePort = {
    sent: [],
    reply: () => Promise.resolve(true),
    watchTab(tabId, onState, onError) {
      const w = { onState, onError };
      if (!watch.has(tabId)) watch.set(tabId, new Set());
      watch.get(tabId)!.add(w);
      return () => watch.get(tabId)!.delete(w);
    },
    send(msg) {
      port.sent.push(msg);
      return port.reply();
    },
    watchActiveTab(onTab) {
      active.add(onTab);
      return () => active.delete(onTab);
    },
    emit(tabId, state) {
      for (const w of watch.get(tabId) ?? []) w.onState(state);
    },
    fail(tabId, error) {
      for (const w of watch.get(tabId) ?? []) w.onError?.(error);
    },
    activate(tabId) {
      for (const f of active) f(tabId);
    },
    watchers: (tabId) => watch.get(tabId)?.size ?? 0,
  };
  return port;
}

/** Waits until `selector` matches (the panel renders after the port's callback). */
export async function waitForEl(selector: string): Promise<HTMLElement> {
  const { waitFor } = await import('@testing-library/preact');
  return waitFor(() => {
    const el = document.querySelector<HTMLElement>(selector);
    if (!el) throw new Error(`no ${selector}`);
    return el;
  });
}
