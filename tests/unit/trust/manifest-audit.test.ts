/**
 * Trust checklist 1 and 3 on the manifest builder: least privilege and a CSP no looser than the
 * default, for every browser and manifest version that ships. The audit itself is tested on bad
 * manifests so that it can fail.
 */
import { describe, expect, it } from 'vitest';
import { auditManifest, cspProblems } from '../../../scripts/audit-manifest';
import { buildManifest } from '../../../scripts/manifest';

describe('manifest audit', () => {
  it.each([
    ['chrome', 3, ''],
    ['chrome', 3, 'https://ehr.example.org/*'],
    ['firefox', 2, ''],
    ['firefox', 3, 'https://ehr.example.org/*,http://127.0.0.1/*'],
  ] as const)('%s MV%i with sites "%s" passes', (browser, manifestVersion, sites) => {
    const m = buildManifest({ browser, manifestVersion, sites });
    const grantedSites = sites ? sites.split(',') : [];
    expect(auditManifest(m, { browser, grantedSites })).toEqual([]);
  });

  it('refuses <all_urls> as a build-time site', () => {
    expect(() => buildManifest({ browser: 'chrome', manifestVersion: 3, sites: '<all_urls>' })).toThrow(/all_urls/);
  });

  it('catches what a looser manifest would add', () => {
    const base = buildManifest({ browser: 'chrome', manifestVersion: 3, sites: '' });
    const audit = (patch: object) => auditManifest({ ...base, ...patch }, { browser: 'chrome', grantedSites: [] });
    expect(audit({ permissions: [...base.permissions, 'tabs', 'webRequest'] }).join()).toMatch(/tabs, webRequest/);
    expect(audit({ host_permissions: ['<all_urls>'] }).join()).toMatch(/<all_urls>/);
    expect(audit({ host_permissions: ['https://ehr.example.org/*'] }).join()).toMatch(/not asked for/);
    expect(audit({ externally_connectable: { matches: ['https://*.example.org/*'] } }).join()).toMatch(/externally/);
    expect(audit({ optional_permissions: ['history'] }).join()).toMatch(/history/);
    expect(audit({ content_scripts: [{ matches: ['https://*/*'], js: ['c.js'] }] }).join()).toMatch(/static content/);
    expect(audit({ web_accessible_resources: [{ resources: ['*'], matches: ['<all_urls>'] }] }).length).toBe(2);
    const firefox = buildManifest({ browser: 'firefox', manifestVersion: 2, sites: '' });
    const noDcp = { ...firefox, browser_specific_settings: { gecko: { id: 'x@y' } } };
    expect(auditManifest(noDcp, { browser: 'firefox', grantedSites: [] }).join()).toMatch(/data_collection/);
  });

  it('accepts the default CSP and rejects looser ones', () => {
    expect(cspProblems("script-src 'self' 'wasm-unsafe-eval'; object-src 'self';", 'p')).toEqual([]);
    expect(cspProblems("script-src 'self'; object-src 'none'", 'p')).toEqual([]);
    expect(cspProblems("script-src 'self' 'unsafe-eval'", 'p').join()).toMatch(/unsafe-eval/);
    expect(cspProblems("script-src 'self' https://cdn.example.org", 'p').join()).toMatch(/remote/);
    expect(cspProblems('default-src *', 'p').join()).toMatch(/remote/);
    expect(cspProblems("object-src 'self'", 'p').join()).toMatch(/no script-src/);
    const base = buildManifest({ browser: 'chrome', manifestVersion: 3, sites: '' });
    const loose = { ...base, content_security_policy: { extension_pages: "script-src 'self' 'unsafe-eval'" } };
    expect(auditManifest(loose, { browser: 'chrome', grantedSites: [] }).join()).toMatch(/unsafe-eval/);
  });
});
