/**
 * Protocol packs: validated by the knowledge schema with errors that name the field, labelled
 * "Local protocol" with owner and review date wherever they appear, searchable in the panel,
 * stored in storage.local (no patient data) and removable.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createSearcher } from '../../../lib/knowledge/search';
import {
  LOCAL_PROTOCOL,
  PACKS_KEY,
  PackError,
  addUserPack,
  knownIds,
  loadUserPacks,
  mergePacks,
  parsePack,
  removeUserPack,
} from '../../../lib/settings';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const MINI = join(FIXTURES, 'knowledge-mini');
const packText = (name: string) => readFileSync(join(FIXTURES, 'protocol-packs', name), 'utf8');
const panel = loadKnowledge(MINI).panel;
const known = knownIds(panel);
const example = () => JSON.parse(packText('example-ketamine-protocol.json'));

function errorOf(input: unknown): PackError {
  try {
    parsePack(input, known);
  } catch (e) {
    if (e instanceof PackError) return e;
    throw e;
  }
  throw new Error('pack was accepted');
}

describe('protocol pack validation', () => {
  it('accepts the example ketamine protocol', () => {
    const pack = parsePack(packText('example-ketamine-protocol.json'), known);
    expect(pack.name).toBe('Example Hospital ketamine infusion protocol');
    expect(pack.entries.map((e) => e.id)).toEqual(['example-ketamine-infusion-protocol']);
    expect(pack.reviewed).toBe('2026-10-01');
  });

  it('names the field of an over-long summary', () => {
    const e = errorOf(packText('broken-summary.json'));
    expect(e.field).toBe('entries[0].summary');
    expect(e.message).toMatch(/^entries\[0\]\.summary: must be under 140 characters/);
  });

  it.each([
    ['not JSON', '{name:', '(file)', /not valid JSON/],
    ['no owner', { ...example(), owner: '' }, 'owner', /non-empty/],
    ['a bad review date', { ...example(), reviewed: '01/10/2026' }, 'reviewed', /YYYY-MM-DD/],
    ['an unknown top-level field', { ...example(), script: 'x' }, 'script', /unknown field/],
    ['no entries', { ...example(), entries: [] }, 'entries', /non-empty/],
  ])('rejects %s', (_name, input, field, reason) => {
    const e = errorOf(input);
    expect(e.field).toBe(field);
    expect(e.reason).toMatch(reason);
  });

  it('names nested entry fields: a bad category, an unknown key, an unknown citation', () => {
    const bad = example();
    bad.entries[0].category = 'poison';
    expect(errorOf(bad).field).toBe('entries[0].category');
    const extra = example();
    extra.entries[0].onclick = 'alert(1)';
    expect(errorOf(extra).field).toBe('entries[0].onclick');
    const cite = example();
    cite.entries[0].detail[1].cite = ['nowhere-2020'];
    expect(errorOf(cite)).toMatchObject({ field: 'entries[0].detail[1].cite[0]' });
    expect(errorOf(cite).reason).toMatch(/unknown source "nowhere-2020"/);
  });

  it('refuses ids that would shadow the bundled knowledge', () => {
    const shadow = example();
    shadow.entries[0].id = 'ketamine';
    expect(errorOf(shadow)).toMatchObject({ field: 'entries[0].id' });
    const src = example();
    src.sources.push({ ...src.sources[0], id: 'ichd3-2018' });
    expect(errorOf(src)).toMatchObject({ field: 'sources[1].id' });
  });

  it('refuses a source without a link and an uncited source', () => {
    const noLink = example();
    delete noLink.sources[0].url;
    expect(errorOf(noLink).field).toBe('sources[0]');
    const unused = example();
    unused.sources.push({ ...unused.sources[0], id: 'never-cited' });
    expect(errorOf(unused)).toMatchObject({ field: 'sources[1]' });
  });

  it('lets pack entries cite bundled sources and relate to bundled entries', () => {
    const p = example();
    p.entries[0].detail[0].cite = ['ichd3-2018'];
    expect(parsePack(p, known).entries[0]!.related).toEqual(['ketamine']);
    const dangling = example();
    dangling.entries[0].related = ['no-such-entry'];
    expect(errorOf(dangling).field).toBe('entries[0].related[0]');
  });
});

describe('protocol packs in storage and in the panel', () => {
  beforeEach(() => fakeBrowser.reset());

  it('stores, lists and removes a pack in storage.local', async () => {
    const local = fakeBrowser.storage.local;
    const pack = parsePack(packText('example-ketamine-protocol.json'), known);
    await addUserPack(local, pack, known);
    expect((await loadUserPacks(local, known)).packs.map((p) => p.name)).toEqual([pack.name]);
    // Importing the same pack again replaces it rather than adding a copy.
    await addUserPack(local, pack, known);
    expect((await loadUserPacks(local, known)).packs).toHaveLength(1);
    await removeUserPack(local, pack.name, known);
    expect((await loadUserPacks(local, known)).packs).toEqual([]);
  });

  it('leaves out a stored pack that no longer validates, with a notice, and keeps the rest', async () => {
    const local = fakeBrowser.storage.local;
    const good = parsePack(packText('example-ketamine-protocol.json'), known);
    await local.set({ [PACKS_KEY]: [{ name: 'Tampered', owner: 'x' }, good, 'garbage'] });
    const r = await loadUserPacks(local, known);
    expect(r.packs.map((p) => p.name)).toEqual([good.name]);
    expect(r.notices).toHaveLength(2);
    expect(r.notices[0]).toMatch(/"Tampered"/);
    await local.set({ [PACKS_KEY]: 'not a list' });
    expect((await loadUserPacks(local, known)).notices).toHaveLength(1);
  });

  it('merges pack entries into the panel data, labelled and searchable', () => {
    const pack = parsePack(packText('example-ketamine-protocol.json'), known);
    const { data, provenance } = mergePacks(panel, [{ ...pack, origin: 'user' }]);
    const entry = data.entries.find((e) => e.id === 'example-ketamine-infusion-protocol')!;
    expect(entry.title).toContain(`(${LOCAL_PROTOCOL})`);
    expect(entry.evidence.note).toContain('Example Hospital Infusion Centre');
    expect(entry.evidence.note).toContain('reviewed 2026-10-01');
    expect(provenance.get(entry.id)).toMatchObject({ owner: pack.owner, reviewed: '2026-10-01', origin: 'user' });
    expect(data.sources.map((s) => s.id)).toContain('example-hospital-ketamine-sop');
    // The bundled data is left as it was.
    expect(panel.entries.some((e) => e.id === entry.id)).toBe(false);
    const hits = createSearcher(data).search('ketamine infusion protocol');
    expect(hits[0]?.id).toBe('example-ketamine-infusion-protocol');
    // Bundled entries are still found through the extended index.
    expect(createSearcher(data).search('photophobia')[0]?.id).toBe('photophobia');
  });
});
