/**
 * Enterprise policy in real Chromium: an administrator's policy file (Linux:
 * /etc/chromium/policies/managed/*.json, "3rdparty" → "extensions" → extension id) reaches the
 * extension's storage.managed, and the options page honours it: the category it switches off is
 * locked off, and its protocol pack is installed for the user and cannot be removed there.
 *
 * The id of an unpacked extension is derived from its path, so the policy can be written before
 * the browser starts. Writing under /etc needs root (CI runs as root); elsewhere the test is
 * skipped with a message saying so.
 */
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_DIR } from '../../scripts/browser';
import { launchTrust, unpackedExtensionId, type TrustBrowser } from './trust-support';

const POLICY_DIR = '/etc/chromium/policies/managed';
const ROOT = resolve(import.meta.dirname, '..', '..');
const packText = readFileSync(
  join(ROOT, 'tests', 'fixtures', 'protocol-packs', 'example-ketamine-protocol.json'),
  'utf8',
);
const id = unpackedExtensionId(EXTENSION_DIR);
const policyFile = join(POLICY_DIR, `chartlight-trust-test-${id}.json`);

function canWritePolicy(): boolean {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    accessSync(POLICY_DIR, constants.W_OK);
    return true;
  } catch {
    console.log(`trust-policy: cannot write ${POLICY_DIR} (needs root); enterprise policy test skipped`);
    return false;
  }
}
const writable = canWritePolicy();

let b: TrustBrowser;

beforeAll(async () => {
  if (!writable) return;
  const policy = {
    disabledCategories: ['trigger', 'not-a-category'],
    protocolPacks: [packText],
    allowedSites: ['http://127.0.0.1/*'],
  };
  // Only this extension id is configured: other Chromium users of the machine are unaffected.
  writeFileSync(policyFile, JSON.stringify({ '3rdparty': { extensions: { [id]: policy } } }));
  b = await launchTrust();
});

afterAll(async () => {
  await b?.close();
  b?.dispose();
  rmSync(policyFile, { force: true });
});

describe.skipIf(!writable)('managed policy from the browser', () => {
  it('reaches storage.managed of the extension (the id is the one computed from the path)', async () => {
    expect(b.extensionId).toBe(id);
    await expect
      .poll(
        () =>
          b.worker.evaluate(async () => {
            const c = (globalThis as unknown as { chrome: { storage: { managed: { get(k: null): Promise<object> } } } })
              .chrome;
            return c.storage.managed.get(null);
          }),
        { timeout: 15_000 },
      )
      .toMatchObject({ disabledCategories: ['trigger', 'not-a-category'], allowedSites: ['http://127.0.0.1/*'] });
  });

  it('the options page locks the category off and lists the policy pack as not removable', async () => {
    const page = await b.context.newPage();
    await page.goto(`chrome-extension://${b.extensionId}/options.html`);
    const trigger = page.locator('[data-category="trigger"][data-locked="true"]');
    await trigger.waitFor({ timeout: 10_000 });
    expect(await trigger.locator('input').isDisabled()).toBe(true);
    expect(await trigger.locator('input').isChecked()).toBe(false);
    expect(await page.locator('[data-category="aura"] input').isDisabled()).toBe(false);
    const pack = page.locator('[data-pack="Example Hospital ketamine infusion protocol"]');
    await pack.waitFor();
    expect(await pack.textContent()).toContain('set by your organisation');
    expect(await pack.textContent()).toContain('Local protocol · Example Hospital Infusion Centre');
    expect(await pack.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    // The unknown category in the policy is reported, not silently applied.
    expect(await page.getByRole('status').first().textContent()).toContain('not-a-category');
    await page.close();
  });
});
