import { describe, expect, it } from 'vitest';
import { buildManifest, parseSites, OPTIONAL_HOSTS } from '../../../scripts/manifest';

describe('manifest', () => {
  it.each([
    ['chrome', 3],
    ['firefox', 2],
    ['firefox', 3],
  ] as const)('%s MV%i grants no site and no <all_urls> by default', (browser, mv) => {
    const m = buildManifest({ browser, manifestVersion: mv, sites: '' }) as Record<string, unknown>;
    const text = JSON.stringify(m);
    expect(text).not.toContain('<all_urls>');
    expect(m).not.toHaveProperty('externally_connectable');
    expect(m).not.toHaveProperty('content_security_policy');
    const hosts =
      (m.host_permissions as string[] | undefined) ?? (m.permissions as string[]).filter((p) => p.includes('://'));
    expect(hosts).toEqual([]);
  });

  it('chrome MV3 asks only for what it uses; broad hosts only optional', () => {
    const m = buildManifest({ browser: 'chrome', manifestVersion: 3, sites: '' });
    expect([...(m.permissions as string[])].sort()).toEqual([
      'activeTab',
      'contextMenus',
      'scripting',
      'sidePanel',
      'storage',
    ]);
    expect((m as { optional_host_permissions: string[] }).optional_host_permissions).toEqual([...OPTIONAL_HOSTS]);
  });

  it('honours CHARTLIGHT_SITES as host permissions', () => {
    const m = buildManifest({ browser: 'chrome', manifestVersion: 3, sites: 'http://localhost/*, http://127.0.0.1/*' });
    expect((m as { host_permissions: string[] }).host_permissions).toEqual([
      'http://localhost/*',
      'http://127.0.0.1/*',
    ]);
  });

  it('declares no data collection to Firefox', () => {
    const m = buildManifest({ browser: 'firefox', manifestVersion: 2, sites: '' }) as {
      browser_specific_settings: { gecko: { id: string; data_collection_permissions: { required: string[] } } };
    };
    expect(m.browser_specific_settings.gecko.id).toMatch(/@/);
    expect(m.browser_specific_settings.gecko.data_collection_permissions.required).toEqual(['none']);
  });

  it('installs in Firefox ESR 140, and in Firefox for Android from the version that reads that declaration', () => {
    const m = buildManifest({ browser: 'firefox', manifestVersion: 2, sites: '' }) as {
      browser_specific_settings: {
        gecko: { strict_min_version: string };
        gecko_android: { strict_min_version: string };
      };
    };
    expect(m.browser_specific_settings.gecko.strict_min_version).toBe('140.0');
    expect(m.browser_specific_settings.gecko_android.strict_min_version).toBe('142.0');
  });

  it.each(['<all_urls>', 'localhost', 'ftp://x/*', 'http://'])('rejects the site pattern %j', (p) => {
    expect(() => parseSites(p)).toThrow(/CHARTLIGHT_SITES/);
  });
});
