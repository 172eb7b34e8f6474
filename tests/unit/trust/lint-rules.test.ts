// @vitest-environment node
/**
 * Trust checklist 2: the project's own ESLint configuration forbids eval, new Function and HTML
 * sinks in every layer. A small bad snippet is linted through the ESLint API with
 * the real configuration; each sink must be reported, and a clean snippet must pass.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

async function lint(code: string, file: string) {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  return result!.messages.map((m) => `${m.ruleId}:${m.line}`);
}

const BAD = [
  'export function bad(el: HTMLElement, s: string) {',
  '  eval(s);', // 2
  '  const f = new Function(s);', // 3
  '  el.innerHTML = s;', // 4
  '  el.outerHTML = s;', // 5
  "  el.insertAdjacentHTML('beforeend', s);", // 6
  '  document.write(s);', // 7
  '  return f;',
  '}',
].join('\n');

describe('lint rules against code injection and HTML sinks', () => {
  it.each(['lib/page/bad-snippet.ts', 'lib/panel/bad-snippet.ts', 'entrypoints/bad-snippet.ts'])(
    'reports every sink in %s',
    async (file) => {
      const messages = await lint(BAD, file);
      expect(messages).toEqual(
        expect.arrayContaining([
          'no-eval:2',
          'no-new-func:3',
          'no-restricted-properties:6',
          'no-restricted-properties:7',
        ]),
      );
      // innerHTML/outerHTML assignments are caught (by either rule).
      expect(messages.some((m) => m.endsWith(':4'))).toBe(true);
      expect(messages.some((m) => m.endsWith(':5'))).toBe(true);
    },
    30_000,
  );

  it('reports dangerouslySetInnerHTML in a component', async () => {
    const tsx = 'export const C = (p: { s: string }) => <div dangerouslySetInnerHTML={{ __html: p.s }} />;\n';
    expect(await lint(tsx, 'lib/panel/BadSnippet.tsx')).toContain('no-restricted-syntax:1');
  }, 30_000);

  it('passes text rendered as text', async () => {
    const ok = 'export function ok(el: HTMLElement, s: string) {\n  el.textContent = s;\n}\n';
    expect(await lint(ok, 'lib/panel/ok-snippet.ts')).toEqual([]);
  }, 30_000);
});
