/**
 * Managed policy: read from storage.managed (absent or throwing → no policy), validated part by
 * part, and merged over the user's settings so that the administrator's choices win.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  effectiveSettings,
  knownIds,
  parsePack,
  parsePolicy,
  readManagedPolicy,
  sitesNeedingGrant,
  sitesToRegister,
} from '../../../lib/settings';
import { loadKnowledge } from '../../../scripts/load-knowledge';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const panel = loadKnowledge(join(FIXTURES, 'knowledge-mini')).panel;
const known = knownIds(panel);
const packText = readFileSync(join(FIXTURES, 'protocol-packs', 'example-ketamine-protocol.json'), 'utf8');

describe('managed policy', () => {
  it('means "no policy" when storage.managed is missing, throws or is empty', async () => {
    expect((await readManagedPolicy(undefined, known)).allowedSites).toBeNull();
    const throwing = { get: () => Promise.reject(new Error('Managed storage manifest not found')) };
    expect(await readManagedPolicy(throwing, known)).toMatchObject({ disabledCategories: [], protocolPacks: [] });
    expect((await readManagedPolicy({ get: () => Promise.resolve({}) }, known)).notices).toEqual([]);
  });

  it('reads categories, sites and packs from a valid policy', async () => {
    const p = await readManagedPolicy(
      {
        get: () =>
          Promise.resolve({
            allowedSites: ['https://ehr.example.org/*'],
            disabledCategories: ['trigger'],
            protocolPacks: [packText],
          }),
      },
      known,
    );
    expect(p).toMatchObject({ allowedSites: ['https://ehr.example.org/*'], disabledCategories: ['trigger'] });
    expect(p.protocolPacks.map((x) => x.name)).toEqual(['Example Hospital ketamine infusion protocol']);
    expect(p.notices).toEqual([]);
  });

  it('ignores the invalid parts one by one, with notices', () => {
    const p = parsePolicy(
      {
        allowedSites: ['<all_urls>', 'https://*/*', 'javascript:alert(1)', 'https://ehr.example.org/*'],
        disabledCategories: ['trigger', 'everything'],
        protocolPacks: ['{broken', packText],
      },
      known,
    );
    expect(p.allowedSites).toEqual(['https://ehr.example.org/*']);
    expect(p.disabledCategories).toEqual(['trigger']);
    expect(p.protocolPacks).toHaveLength(1);
    expect(p.notices).toHaveLength(5);
    expect(parsePolicy({ allowedSites: 'https://ehr.example.org/*' }, known).allowedSites).toBeNull();
  });

  it('wins over the user: locked categories stay off, policy packs come first and cannot be shadowed', () => {
    const policy = parsePolicy({ disabledCategories: ['trigger'], protocolPacks: [packText] }, known);
    const userPack = parsePack(packText, known);
    const eff = effectiveSettings({ ...DEFAULT_SETTINGS, disabledCategories: ['drug'] }, [userPack], policy);
    expect(eff.disabledCategories.sort()).toEqual(['drug', 'trigger']);
    expect(eff.lockedCategories).toEqual(['trigger']);
    expect(eff.packs.map((p) => p.origin)).toEqual(['policy']);
  });

  it('registers policy sites only where the browser grants access, and lists the rest for a grant', async () => {
    const policy = { allowedSites: ['https://ehr.example.org/*', 'https://other.example.org/*'] };
    const reach = (p: string) => Promise.resolve(p === 'https://ehr.example.org/*');
    expect(await sitesToRegister(['http://127.0.0.1/*', '<all_urls>'], policy.allowedSites, reach)).toEqual([
      'http://127.0.0.1/*',
      'https://ehr.example.org/*',
    ]);
    expect(await sitesNeedingGrant(policy, reach)).toEqual(['https://other.example.org/*']);
    expect(await sitesToRegister([], null, reach)).toEqual([]);
  });
});
