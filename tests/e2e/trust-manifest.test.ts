/**
 * Trust checklist 1–3 on what actually ships: the built Chrome manifest (the end-to-end build,
 * which grants the loopback test sites) and a fresh Firefox store build pass the manifest audit;
 * `web-ext lint` finds no errors in the Firefox build; and the built code holds no network API
 * and no string-to-code API, apart from Vite's module-preload helper, which fetches the
 * extension's own files.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditManifest } from '../../scripts/audit-manifest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CHROME = join(ROOT, '.output', 'chrome-mv3');
// The store build goes to a folder of its own: the end-to-end Firefox build in .output/firefox-mv2
// (which grants the test sites) must not be replaced while other tests use it.
const STORE_OUT = join(ROOT, '.output', 'store');
const FIREFOX = join(STORE_OUT, 'firefox-mv2');
const E2E_SITES = ['http://localhost/*', 'http://127.0.0.1/*'];

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.js'))
    .map((d) => join(d.parentPath, d.name));
}

const NETWORK_OR_EVAL =
  /\b(XMLHttpRequest|WebSocket|sendBeacon|EventSource|importScripts|new Function)\b|\beval\(|\bfetch\(/g;
/** Vite's modulepreload polyfill: `fetch(s.href, t)` on the page's own <link rel=modulepreload>. */
const PRELOAD_HELPER = /rel=modulepreload|modulepreload/;

describe('the built extension', () => {
  it('Chrome manifest passes the audit', () => {
    const m = JSON.parse(readFileSync(join(CHROME, 'manifest.json'), 'utf8'));
    expect(auditManifest(m, { browser: 'chrome', grantedSites: E2E_SITES })).toEqual([]);
    expect(m.storage).toEqual({ managed_schema: 'managed-schema.json' });
    const schema = JSON.parse(readFileSync(join(CHROME, 'managed-schema.json'), 'utf8'));
    expect(Object.keys(schema.properties).sort()).toEqual(['allowedSites', 'disabledCategories', 'protocolPacks']);
  });

  it('built code has no network or string-to-code API', () => {
    const found: string[] = [];
    for (const file of jsFiles(CHROME)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(NETWORK_OR_EVAL)) {
        const around = text.slice(Math.max(0, m.index - 400), m.index + 50);
        if (m[0] === 'fetch(' && PRELOAD_HELPER.test(around)) continue;
        found.push(`${file.slice(ROOT.length + 1)}: ${m[0]}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('Firefox store build passes the audit and web-ext lint without errors', () => {
    const env = { ...process.env, CHARTLIGHT_SITES: '', CHARTLIGHT_OUT_DIR: STORE_OUT };
    execFileSync('npx', ['wxt', 'build', '-b', 'firefox'], { cwd: ROOT, env, stdio: 'pipe' });
    const m = JSON.parse(readFileSync(join(FIREFOX, 'manifest.json'), 'utf8'));
    expect(auditManifest(m, { browser: 'firefox', grantedSites: [] })).toEqual([]);
    let out: string;
    try {
      out = execFileSync('npx', ['web-ext', 'lint', '--source-dir', FIREFOX, '--output', 'json', '--no-input'], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      // web-ext exits non-zero when it finds errors; its JSON report is still on stdout.
      out = (e as { stdout?: string }).stdout ?? '';
    }
    const report = JSON.parse(out.slice(out.indexOf('{'))) as {
      summary: { errors: number; warnings: number };
      errors: { code: string; message: string; file?: string }[];
      warnings: { code: string; message: string; file?: string }[];
    };
    console.log(
      `web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings` +
        report.warnings.map((w) => `\n  warning ${w.code}: ${w.message} (${w.file ?? ''})`).join(''),
    );
    expect(report.errors.map((e) => `${e.code}: ${e.message} (${e.file ?? ''})`)).toEqual([]);
  }, 180_000);
});
