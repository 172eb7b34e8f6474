/**
 * Settings: sites scanned automatically, highlight categories, and protocol packs. What an
 * administrator set through managed policy is shown as such and cannot be changed here. Pack
 * files are read as text and validated; nothing from them is ever rendered as HTML.
 */
import { useEffect, useState } from 'preact/hooks';
import type { WxtBrowser } from 'wxt/browser';
import { HIGHLIGHT_CATEGORIES, type HighlightCategory } from '../engine/types';
import {
  EMPTY_POLICY,
  PackError,
  addUserPack,
  effectiveSettings,
  loadSettings,
  loadUserPacks,
  packLabel,
  parsePack,
  readManagedPolicy,
  removeUserPack,
  saveSettings,
  sitesNeedingGrant,
  type KnownIds,
  type ManagedPolicy,
  type ProtocolPack,
  type Settings,
} from '../settings';

const CATEGORY_LABELS: Record<HighlightCategory, string> = {
  'red-flag': 'Red flags',
  diagnosis: 'Diagnoses and codes',
  symptom: 'Symptoms',
  aura: 'Aura',
  trigger: 'Triggers',
  drug: 'Migraine drugs',
  ketamine: 'Ketamine',
};

export interface OptionsProps {
  api: WxtBrowser;
  /** Bundled entry and source ids: packs may cite them but never redefine them. */
  known: KnownIds;
}

export function Options({ api, known }: OptionsProps) {
  const [origins, setOrigins] = useState<string[] | null>(null);
  const [policy, setPolicy] = useState<ManagedPolicy>(EMPTY_POLICY);
  const [needGrant, setNeedGrant] = useState<string[]>([]);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [packs, setPacks] = useState<ProtocolPack[]>([]);
  const [notices, setNotices] = useState<string[]>([]);
  const [pasted, setPasted] = useState('');
  const [importResult, setImportResult] = useState<{ ok: boolean; text: string } | null>(null);

  const refreshSites = () =>
    void api.permissions.getAll().then((p) => setOrigins((p.origins ?? []).filter((o) => o !== '<all_urls>')));

  useEffect(() => {
    refreshSites();
    void (async () => {
      const pol = await readManagedPolicy(api.storage.managed, known);
      const s = await loadSettings(api.storage.local);
      const p = await loadUserPacks(api.storage.local, known);
      setPolicy(pol);
      setSettings(s.value);
      setPacks(p.packs);
      setNotices([...pol.notices, ...s.notices, ...p.notices]);
      setNeedGrant(await sitesNeedingGrant(pol, (o) => api.permissions.contains({ origins: [o] })));
    })();
  }, [api]);

  const effective = settings ? effectiveSettings(settings, packs, policy) : null;

  const toggleCategory = (c: HighlightCategory, off: boolean) => {
    if (!settings) return;
    const disabled = off
      ? [...new Set([...settings.disabledCategories, c])]
      : settings.disabledCategories.filter((x) => x !== c);
    const next = { ...settings, disabledCategories: disabled };
    setSettings(next);
    void saveSettings(api.storage.local, next);
  };

  const importPack = async (text: string) => {
    try {
      const pack = parsePack(text, known);
      setPacks(await addUserPack(api.storage.local, pack, known));
      setImportResult({ ok: true, text: `Imported "${pack.name}" (${pack.entries.length} entries).` });
      setPasted('');
    } catch (e) {
      const why = e instanceof PackError ? e.message : 'the pack could not be stored';
      setImportResult({ ok: false, text: `Not imported: ${why}` });
    }
  };

  const onFile = (ev: Event) => {
    const file = (ev.currentTarget as HTMLInputElement).files?.[0];
    if (file) void file.text().then(importPack);
  };

  return (
    <main class="app">
      <h1>Chartlight settings</h1>
      {notices.length > 0 && (
        <section aria-labelledby="notices-h" role="status">
          <h2 id="notices-h">Notices</h2>
          <ul>
            {notices.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="sites-h">
        <h2 id="sites-h">Sites scanned automatically</h2>
        {origins === null ? (
          <p>Loading…</p>
        ) : origins.length === 0 ? (
          <p>None. Chartlight scans a page only when you ask (toolbar button, context menu or Alt+Shift+C).</p>
        ) : (
          <ul data-sites>
            {origins.map((o) => (
              <li key={o}>
                {o}{' '}
                <button type="button" onClick={() => void api.permissions.remove({ origins: [o] }).then(refreshSites)}>
                  Stop scanning
                </button>
              </li>
            ))}
          </ul>
        )}
        {policy.allowedSites && (
          <div data-policy-sites>
            <p>Your organisation asks Chartlight to scan: {policy.allowedSites.join(', ') || 'no sites'}.</p>
            {needGrant.length > 0 && (
              <button
                type="button"
                onClick={() =>
                  void api.permissions.request({ origins: needGrant }).then(async () => {
                    refreshSites();
                    setNeedGrant(await sitesNeedingGrant(policy, (o) => api.permissions.contains({ origins: [o] })));
                  })
                }
              >
                Allow these sites
              </button>
            )}
          </div>
        )}
      </section>

      <section aria-labelledby="cat-h">
        <h2 id="cat-h">Highlighted on pages</h2>
        <p>Categories switched off are not marked on pages; the panel still lists them.</p>
        {effective && (
          <ul data-categories>
            {HIGHLIGHT_CATEGORIES.map((c) => {
              const locked = effective.lockedCategories.includes(c);
              const on = !effective.disabledCategories.includes(c);
              return (
                <li key={c} data-category={c} data-locked={locked ? 'true' : undefined}>
                  <label>
                    <input
                      type="checkbox"
                      checked={on}
                      disabled={locked}
                      onChange={(ev) => toggleCategory(c, !(ev.currentTarget as HTMLInputElement).checked)}
                    />{' '}
                    {CATEGORY_LABELS[c]}
                  </label>
                  {locked && <span> (switched off by your organisation)</span>}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="packs-h">
        <h2 id="packs-h">Protocol packs</h2>
        <p>
          Your institution’s own entries, shown in the panel as “Local protocol” with their owner and review date. A
          pack is a JSON file: name, owner, reviewed, entries and sources, checked like the bundled knowledge.
        </p>
        {effective && effective.packs.length > 0 ? (
          <ul data-packs>
            {effective.packs.map((p) => (
              <li key={p.name} data-pack={p.name}>
                <strong>{p.name}</strong> — {packLabel(p)} — {p.entries.length} entries
                {p.origin === 'policy' ? (
                  <span> (set by your organisation)</span>
                ) : (
                  <button
                    type="button"
                    onClick={() => void removeUserPack(api.storage.local, p.name, known).then(setPacks)}
                  >
                    Remove
                  </button>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p>No protocol packs.</p>
        )}
        <p>
          <label>
            Import a pack file <input type="file" accept=".json,application/json" onChange={onFile} />
          </label>
        </p>
        <p>
          <label for="pack-paste">Or paste a pack</label>
          <br />
          <textarea
            id="pack-paste"
            rows={6}
            cols={60}
            value={pasted}
            onInput={(ev) => setPasted((ev.currentTarget as HTMLTextAreaElement).value)}
          />
          <br />
          <button type="button" disabled={pasted.trim() === ''} onClick={() => void importPack(pasted)}>
            Import pasted pack
          </button>
        </p>
        {importResult && (
          <p role={importResult.ok ? 'status' : 'alert'} data-import={importResult.ok ? 'ok' : 'error'}>
            {importResult.text}
          </p>
        )}
      </section>
    </main>
  );
}
