import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, createEngine } from '../../../lib/engine';
import { compileKnowledge, pluralVariants } from '../../../lib/knowledge/compile';
import { readKnowledgeFiles } from '../../../scripts/load-knowledge';

const MINI = join(import.meta.dirname, '..', '..', 'fixtures', 'knowledge-mini');

function copyMini(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chartlight-kb-'));
  cpSync(MINI, dir, { recursive: true });
  return dir;
}

function editEntry(dir: string, id: string, edit: (e: Record<string, unknown>) => void) {
  const file = join(dir, 'entries', `${id}.json`);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
}

describe('knowledge compile', () => {
  it('compiles the mini knowledge base into a lexicon and panel data', () => {
    const k = compileKnowledge(readKnowledgeFiles(MINI));
    expect(k.lexicon.concepts.map((c) => c.id)).toContain('photophobia');
    expect(k.lexicon.forms.map((f) => f.text)).toContain('migraines');
    expect(k.panel.entries.find((e) => e.id === 'icd10-g43-909')?.related).toEqual(['migraine']);
    expect(k.lexicon.hash).toMatch(/^[0-9a-f]{8}$/);
  });

  it.each([
    ['unknown field', (e: Record<string, unknown>) => (e.colour = 'red'), /photophobia\.json: colour: unknown field/],
    [
      'long summary',
      (e: Record<string, unknown>) => (e.summary = 'x'.repeat(140)),
      /photophobia\.json: summary: must be under 140/,
    ],
    [
      'bad citation',
      (e: Record<string, unknown>) => (e.citations = ['nope-2020']),
      /photophobia\.json: citations\[0\]: cites unknown source "nope-2020"/,
    ],
    [
      'id not file name',
      (e: Record<string, unknown>) => (e.id = 'light'),
      /photophobia\.json: id: must equal the file name/,
    ],
    [
      'bad related',
      (e: Record<string, unknown>) => (e.related = ['missing']),
      /photophobia\.json: related\[0\]: unknown entry "missing"/,
    ],
    [
      'raisedBy without a contraindication',
      (e: Record<string, unknown>) => (e.raisedBy = ['aura']),
      /photophobia\.json: raisedBy: applies to contraindications only/,
    ],
    [
      'raisedBy naming no entry',
      (e: Record<string, unknown>) => {
        e.contraindication = 'caution';
        e.raisedBy = ['missing'];
      },
      /photophobia\.json: raisedBy\[0\]: unknown entry "missing"/,
    ],
    [
      'currentOnly without a contraindication',
      (e: Record<string, unknown>) => (e.currentOnly = true),
      /photophobia\.json: currentOnly: applies to contraindications only/,
    ],
    [
      'uncited fact',
      (e: Record<string, unknown>) => (e.detail = [{ text: 'x', cite: [] }]),
      /photophobia\.json: detail\[0\]\.cite/,
    ],
    [
      'stop form that is not true or false',
      (e: Record<string, unknown>) => (e.surfaceForms = [{ text: 'photophobia' }, { text: 'light box', stop: 'yes' }]),
      /photophobia\.json: surfaceForms\[1\]\.stop: must be true or false/,
    ],
    [
      'stop form gated by requires',
      (e: Record<string, unknown>) =>
        (e.surfaceForms = [{ text: 'photophobia' }, { text: 'light box', stop: true, requires: 'lamp' }]),
      /photophobia\.json: surfaceForms\[1\]\.stop: a stop form is neither searchOnly nor gated by requires/,
    ],
    [
      'absent form that is not true or false',
      (e: Record<string, unknown>) => (e.surfaceForms = [{ text: 'photophobia' }, { text: 'light ok', absent: 1 }]),
      /photophobia\.json: surfaceForms\[1\]\.absent: must be true or false/,
    ],
    [
      'absent form that is also a stop form',
      (e: Record<string, unknown>) =>
        (e.surfaceForms = [{ text: 'photophobia' }, { text: 'light ok', stop: true, absent: true }]),
      /photophobia\.json: surfaceForms\[1\]\.absent: a stop form is no mention/,
    ],
  ])('fails with the file and field named: %s', (_name, edit, message) => {
    const dir = copyMini();
    editEntry(dir, 'photophobia', edit);
    expect(() => compileKnowledge(readKnowledgeFiles(dir))).toThrow(message);
  });

  it('compiles a form that says its concept is absent into a denied finding', () => {
    const dir = copyMini();
    editEntry(dir, 'photophobia', (e) => {
      e.surfaceForms = [{ text: 'photophobia' }, { text: 'tolerates light', absent: true }];
    });
    const k = compileKnowledge(readKnowledgeFiles(dir));
    expect(k.lexicon.forms.find((f) => f.text === 'tolerates light')?.absent).toBe(true);
    const [f] = analyze(createEngine(k.lexicon), 'Tolerates light well.');
    expect(f).toMatchObject({ concept: 'photophobia', negated: true, assertion: 'negated' });
  });

  it('compiles a stop form into the lexicon, marked, and leaves it out of search', () => {
    const dir = copyMini();
    editEntry(dir, 'photophobia', (e) => {
      e.surfaceForms = [{ text: 'photophobia' }, { text: 'photophobia clinic', stop: true }];
    });
    const k = compileKnowledge(readKnowledgeFiles(dir));
    const form = k.lexicon.forms.find((f) => f.text === 'photophobia clinic');
    expect(form?.stop).toBe(true);
    expect(k.lexicon.forms.find((f) => f.text === 'photophobia')?.stop).toBeUndefined();
    const engine = createEngine(k.lexicon);
    expect(analyze(engine, 'Seen in the photophobia clinic.').map((f) => f.text)).toEqual([]);
    expect(analyze(engine, 'Photophobia at the clinic.').map((f) => f.text)).toEqual(['Photophobia']);
  });

  it.each([
    ['not a list', 'hypothetical'],
    ['an empty list', []],
    ['an unknown flag', ['plan']],
  ])('rejects a context rule whose notInSection is %s, naming the rule', (_name, value) => {
    const dir = copyMini();
    const file = join(dir, 'context', 'rules.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { rules: Record<string, unknown>[] };
    json.rules[0]!.notInSection = value;
    writeFileSync(file, JSON.stringify(json, null, 2));
    expect(() => compileKnowledge(readKnowledgeFiles(dir))).toThrow(
      /rules\.json: rules\[0\]\.notInSection: must be a non-empty list of context flags/,
    );
  });

  it('rejects a section whose lineOnly is not true or false, naming the section', () => {
    const dir = copyMini();
    const file = join(dir, 'context', 'sections.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { sections: Record<string, unknown>[] };
    json.sections[2]!.lineOnly = 'yes';
    writeFileSync(file, JSON.stringify(json, null, 2));
    expect(() => compileKnowledge(readKnowledgeFiles(dir))).toThrow(
      /sections\.json: sections\[2\]\.lineOnly: must be true or false/,
    );
  });

  it('rejects a section whose inlineEndsWithLine is not true or false, naming the section', () => {
    const dir = copyMini();
    const file = join(dir, 'context', 'sections.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { sections: Record<string, unknown>[] };
    json.sections[3]!.inlineEndsWithLine = 1;
    writeFileSync(file, JSON.stringify(json, null, 2));
    expect(() => compileKnowledge(readKnowledgeFiles(dir))).toThrow(
      /sections\.json: sections\[3\]\.inlineEndsWithLine: must be true or false/,
    );
  });

  it('lets two entries share a form only where both gate it with requires', () => {
    const dir = copyMini();
    const share = (id: string, requires?: string) =>
      editEntry(dir, id, (e) => {
        (e.surfaceForms as Record<string, unknown>[]).push(requires ? { text: 'glare', requires } : { text: 'glare' });
      });
    share('photophobia', 'migraine');
    share('phonophobia', 'noise');
    const k = compileKnowledge(readKnowledgeFiles(dir));
    expect(k.lexicon.forms.filter((f) => f.text === 'glare').map((f) => k.lexicon.concepts[f.concept]!.id)).toEqual([
      'phonophobia',
      'photophobia',
    ]);
    // One of them may read it everywhere as well.
    const dir2 = copyMini();
    editEntry(dir2, 'photophobia', (e) => (e.surfaceForms as unknown[]).push({ text: 'glare', requires: 'migraine' }));
    editEntry(dir2, 'phonophobia', (e) => (e.surfaceForms as unknown[]).push({ text: 'glare' }));
    expect(() => compileKnowledge(readKnowledgeFiles(dir2))).not.toThrow();
    // Two may not, in either order.
    for (const gatedFirst of [true, false]) {
      const dir3 = copyMini();
      const edits: [string, Record<string, unknown>][] = [
        ['aura', { text: 'glare', requires: 'migraine' }],
        ['photophobia', { text: 'glare' }],
        ['phonophobia', { text: 'glare' }],
      ];
      for (const [id, form] of gatedFirst ? edits : [...edits].reverse())
        editEntry(dir3, id, (e) => (e.surfaceForms as unknown[]).push(form));
      expect(() => compileKnowledge(readKnowledgeFiles(dir3))).toThrow(
        /"glare" is also a surface form of "pho[nt]ophobia"/,
      );
    }
  });

  it('reads a shared form as the entry whose words are near, else as the one that needs none', () => {
    const dir = copyMini();
    editEntry(dir, 'photophobia', (e) => (e.surfaceForms as unknown[]).push({ text: 'glare', requires: 'migraine' }));
    editEntry(dir, 'phonophobia', (e) => (e.surfaceForms as unknown[]).push({ text: 'glare' }));
    const engine = createEngine(compileKnowledge(readKnowledgeFiles(dir)).lexicon);
    const concepts = (text: string) => analyze(engine, text).map((f) => `${f.text}:${f.concept}`);
    expect(concepts('Glare bothers her.')).toEqual(['Glare:phonophobia']);
    expect(concepts('Glare during a migraine.')).toEqual(['Glare:photophobia', 'migraine:migraine']);
  });

  it('rejects a surface form claimed by two entries', () => {
    const dir = copyMini();
    editEntry(dir, 'phonophobia', (e) => (e.surfaceForms = [{ text: 'Photophobia' }]));
    expect(() => compileKnowledge(readKnowledgeFiles(dir))).toThrow(/is also a surface form of/);
  });

  it.each([
    ['migraine', ['migraines']],
    ['HA', ['HAs']],
    ['fever', ['fevers']],
    ['papilledema', ['papilledemas']],
    ['sinus', ['sinuses']],
    ['allodynia', ['allodynias']],
    ['N/V', []],
  ])('plural of %s', (form, expected) => {
    expect(pluralVariants(form)).toEqual(expected);
  });
});
