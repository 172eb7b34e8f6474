/**
 * The trust checklist's manifest audit as a pure function: given a manifest (built by
 * scripts/manifest.ts or read from .output/), the list of what breaks least privilege. Empty list:
 * the manifest passes. Used by the unit tests (buildManifest) and the end-to-end tests (the real
 * built manifest.json of both browsers).
 */

/** Exactly these API permissions; each is used (see architecture.md, "Least privilege"). */
export const ALLOWED_PERMISSIONS = ['storage', 'activeTab', 'scripting', 'contextMenus', 'sidePanel'] as const;
/** Broad hosts may only ever be optional: the user (or policy) grants one origin at a time. */
export const ALLOWED_OPTIONAL_HOSTS = ['http://*/*', 'https://*/*'] as const;

export interface AuditOptions {
  browser: 'chrome' | 'firefox';
  /** Host patterns the build was asked to grant (CHARTLIGHT_SITES); the store build grants none. */
  grantedSites: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isHost = (p: string) => p.includes('://') || p === '<all_urls>';

/** A CSP is no looser than the MV3 default when scripts and objects come from the package only. */
export function cspProblems(csp: string, where: string): string[] {
  const problems: string[] = [];
  const directives = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values);
  }
  const script = directives.get('script-src') ?? directives.get('default-src');
  if (!script) problems.push(`${where}: no script-src`);
  for (const [name, values] of directives) {
    for (const v of values) {
      const lower = v.toLowerCase();
      if (lower === "'unsafe-eval'" || lower === "'unsafe-inline'") problems.push(`${where}: ${name} allows ${v}`);
      if (
        (name === 'script-src' || name === 'default-src' || name === 'object-src' || name === 'worker-src') &&
        (/^(https?|wss?|data|blob):/.test(lower) || lower === '*' || lower.includes('*'))
      ) {
        problems.push(`${where}: ${name} allows the remote or inline source ${v}`);
      }
    }
  }
  return problems;
}

export function auditManifest(m: unknown, opts: AuditOptions): string[] {
  if (!isObj(m)) return ['manifest is not an object'];
  const problems: string[] = [];
  const text = JSON.stringify(m);
  if (text.includes('<all_urls>')) problems.push('mentions <all_urls>');
  if ('externally_connectable' in m) problems.push('declares externally_connectable');
  if ('key' in m) problems.push('carries a key (fixes the extension id; test builds only)');
  if ('update_url' in m) problems.push('declares an update_url (a remote update channel)');
  if ('web_accessible_resources' in m) problems.push('exposes web_accessible_resources to pages');

  const perms = Array.isArray(m.permissions) ? (m.permissions as string[]) : [];
  const apiPerms = perms.filter((p) => !isHost(p));
  const expected =
    opts.browser === 'chrome' ? [...ALLOWED_PERMISSIONS] : ALLOWED_PERMISSIONS.filter((p) => p !== 'sidePanel');
  const extra = apiPerms.filter((p) => !(expected as string[]).includes(p));
  const missing = expected.filter((p) => !apiPerms.includes(p));
  if (extra.length) problems.push(`asks for permissions beyond the allowed set: ${extra.join(', ')}`);
  if (missing.length) problems.push(`lacks expected permissions: ${missing.join(', ')}`);

  const hosts = [...perms.filter(isHost), ...((m.host_permissions as string[] | undefined) ?? [])];
  const ungranted = hosts.filter((h) => !opts.grantedSites.includes(h));
  if (ungranted.length) problems.push(`holds hosts not asked for at build time: ${ungranted.join(', ')}`);

  const optional = [
    ...((m.optional_host_permissions as string[] | undefined) ?? []),
    ...((m.optional_permissions as string[] | undefined) ?? []),
  ];
  const badOptional = optional.filter((o) => !(ALLOWED_OPTIONAL_HOSTS as readonly string[]).includes(o));
  if (badOptional.length) problems.push(`optional permissions beyond http/https hosts: ${badOptional.join(', ')}`);

  const scripts = (m.content_scripts as { matches?: string[] }[] | undefined) ?? [];
  for (const cs of scripts) {
    const wide = (cs.matches ?? []).filter((p) => !opts.grantedSites.includes(p));
    if (wide.length) problems.push(`static content script on sites not granted: ${wide.join(', ')}`);
  }

  const csp = m.content_security_policy;
  if (typeof csp === 'string') problems.push(...cspProblems(csp, 'content_security_policy'));
  else if (isObj(csp)) {
    for (const [k, v] of Object.entries(csp)) {
      if (typeof v === 'string') problems.push(...cspProblems(v, `content_security_policy.${k}`));
      else problems.push(`content_security_policy.${k} is not a string`);
    }
  } else if (csp !== undefined) problems.push('content_security_policy has an unknown shape');

  if (opts.browser === 'firefox') {
    const gecko = (m.browser_specific_settings as { gecko?: Obj } | undefined)?.gecko;
    const dcp = gecko?.data_collection_permissions as { required?: string[]; optional?: string[] } | undefined;
    if (!dcp || JSON.stringify(dcp.required) !== '["none"]' || (dcp.optional ?? []).length > 0) {
      problems.push('Firefox data_collection_permissions must be required: ["none"] and nothing optional');
    }
  }
  return problems;
}
