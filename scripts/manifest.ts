/**
 * The extension manifest, as a pure function so the trust tests can audit exactly what ships.
 *
 * Least privilege (architecture.md, "Rules that protect patients"): the store build holds no host
 * permission at all; scanning is activeTab-on-request unless a site is granted — at build time
 * through CHARTLIGHT_SITES, by the user at run time (optional host permissions), or by policy.
 */
export interface ManifestInput {
  browser: string;
  manifestVersion: 2 | 3;
  /** Comma-separated match patterns (contract 4), e.g. "http://localhost/*,http://127.0.0.1/*". */
  sites: string;
}

export const REQUIRED_PERMISSIONS = ['storage', 'activeTab', 'scripting', 'contextMenus'] as const;
/** Broad patterns are only ever *optional*: the user grants one origin at a time. */
export const OPTIONAL_HOSTS = ['http://*/*', 'https://*/*'] as const;
export const GECKO_ID = 'chartlight@chartlight.invalid';

const MATCH_PATTERN = /^(\*|https?|file):\/\/(\*|\*\.[^/*]+|[^/*]+)(:\d+|:\*)?\/.*$/;

export function parseSites(sites: string): string[] {
  const patterns = sites
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of patterns) {
    if (p === '<all_urls>' || !MATCH_PATTERN.test(p)) {
      throw new Error(
        `CHARTLIGHT_SITES: "${p}" is not an allowed match pattern (expected e.g. https://ehr.example.org/*; <all_urls> is never allowed)`,
      );
    }
  }
  return patterns;
}

export function buildManifest({ browser, manifestVersion, sites }: ManifestInput) {
  const hosts = parseSites(sites);
  const isFirefox = browser === 'firefox';
  const commands = {
    _execute_action: {
      suggested_key: { default: 'Alt+Shift+C' },
      description: 'Scan this page and open the Chartlight panel',
    },
    'next-finding': {
      suggested_key: { default: 'Alt+Shift+Period' },
      description: 'Move to the next finding on the page',
    },
    'previous-finding': {
      suggested_key: { default: 'Alt+Shift+Comma' },
      description: 'Move to the previous finding on the page',
    },
  };
  const common = {
    name: 'Chartlight',
    description:
      'Decision support for professionals: marks migraine language on EHR pages and explains it with cited sources. Runs entirely in the browser.',
    commands: manifestVersion === 2 ? renameActionCommand(commands) : commands,
    storage: { managed_schema: 'managed-schema.json' },
  };
  if (manifestVersion === 3) {
    return {
      ...common,
      permissions: [...REQUIRED_PERMISSIONS, ...(isFirefox ? [] : ['sidePanel'])],
      host_permissions: hosts,
      optional_host_permissions: [...OPTIONAL_HOSTS],
      action: { default_title: 'Chartlight: scan this page' },
      ...(isFirefox ? { browser_specific_settings: gecko() } : {}),
    };
  }
  return {
    ...common,
    permissions: [...REQUIRED_PERMISSIONS, ...hosts],
    optional_permissions: [...OPTIONAL_HOSTS],
    browser_action: { default_title: 'Chartlight: scan this page' },
    browser_specific_settings: gecko(),
  };
}

/**
 * Firefox 140 is the ESR line hospitals deploy, and the first desktop Firefox that reads
 * data_collection_permissions; Firefox for Android reads it from 142.
 */
function gecko() {
  return {
    gecko: {
      id: GECKO_ID,
      strict_min_version: '140.0',
      // Firefox asks add-ons to declare what they collect; Chartlight collects nothing.
      data_collection_permissions: { required: ['none'] },
    },
    gecko_android: { strict_min_version: '142.0' },
  };
}

function renameActionCommand(commands: Record<string, unknown>) {
  const { _execute_action, ...rest } = commands;
  return { _execute_browser_action: _execute_action, ...rest };
}
