/**
 * Size budget for the built content script (it loads in every frame of every scanned page).
 * Run after the build in `npm test`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export const CONTENT_SCRIPT_BUDGET_GZIP = 30 * 1024;

const dir = resolve(import.meta.dirname, '..', process.argv[2] ?? '.output/chrome-mv3');
const file = resolve(dir, 'content-scripts', 'content.js');
const raw = readFileSync(file);
const gz = gzipSync(raw, { level: 9 }).length;
const text = raw.toString('utf8');
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const problems: string[] = [];
if (gz > CONTENT_SCRIPT_BUDGET_GZIP)
  problems.push(`content script is ${kb(gz)} gzip, over the ${kb(CONTENT_SCRIPT_BUDGET_GZIP)} budget`);
// fuse.js and the entries' texts belong to the panel only.
if (/Fuse\b|createIndex|parseIndex/.test(text)) problems.push('content script contains fuse.js');
if (text.includes('"detail"') || text.includes('"summary"'))
  problems.push('content script contains knowledge entry texts');
// The browser's own promise-based API serves the content script (scripts/native-browser-plugin.ts).
if (text.includes('The message port closed before a response was received'))
  problems.push('content script contains webextension-polyfill');
console.log(`content script: ${kb(raw.length)} raw, ${kb(gz)} gzip (budget ${kb(CONTENT_SCRIPT_BUDGET_GZIP)})`);
if (problems.length) {
  for (const p of problems) console.error(`size check: ${p}`);
  process.exit(1);
}
