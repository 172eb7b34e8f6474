/**
 * The engine CLI as its users run it: a child process, reading files and stdin, writing JSON Lines
 * and a table, reporting bad input on stderr with a non-zero exit.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

// Each case starts a Node process that compiles TypeScript and the knowledge base: seconds, not ms.
vi.setConfig({ testTimeout: 120_000 });

const ROOT = resolve(import.meta.dirname, '../../..');
const MINI = join(ROOT, 'tests/fixtures/knowledge-mini');
const PAGES = join(ROOT, 'tests/fixtures/pages');
const KEYS = [
  'file',
  'concept',
  'category',
  'text',
  'start',
  'end',
  'assertion',
  'negated',
  'uncertain',
  'historical',
  'hypothetical',
  'family',
  'sentence',
];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], input?: string | Buffer): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/cli.ts'), ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, CHARTLIGHT_KNOWLEDGE_DIR: MINI },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const jsonLines = (s: string) =>
  s
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'chartlight-cli-'));
  writeFileSync(
    join(dir, 'note.html'),
    '<!doctype html><html><head><title>aura</title><style>.aura{}</style></head><body>' +
      '<script>var aura = "migraine";</script><p>Denies fever</p><p>aura since this morning</p>' +
      '<div>Mother with migraines.</div></body></html>',
  );
  writeFileSync(join(dir, 'note.txt'), 'No photophobia, phonophobia or nausea.\nHx of MwoA since age 14.\n');
  writeFileSync(join(dir, 'binary.html'), Buffer.from([0x3c, 0x70, 0x3e, 0x00, 0xff, 0xfe, 0x00]));
  writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x61, 0x75, 0x72, 0x61, 0x20, 0xe9, 0xe8]));
  writeFileSync(join(dir, 'note.pdf'), 'aura');
  mkdirSync(join(dir, 'folder.txt'));
});

describe('scan --json', () => {
  it('prints one JSON line per finding, keys in contract order, offsets into the extracted text', () => {
    const r = cli(['scan', '--json', join(dir, 'note.txt')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const rows = jsonLines(r.stdout);
    expect(rows.map((x) => [x.concept, x.assertion])).toEqual([
      ['photophobia', 'negated'],
      ['phonophobia', 'negated'],
      ['nausea-vomiting', 'negated'],
      ['migraine-without-aura', 'historical'],
    ]);
    for (const row of rows) expect(Object.keys(row)).toEqual(KEYS);
    const text = 'No photophobia, phonophobia or nausea.\nHx of MwoA since age 14.\n';
    for (const row of rows) expect(text.slice(row.start as number, row.end as number)).toBe(row.text);
    expect(rows[3]!.sentence).toBe('Hx of MwoA since age 14.');
    expect(rows[0]!.file).toBe(join(dir, 'note.txt'));
  });

  it('reads HTML as the content script does: script, style and head skipped, blocks break sentences', () => {
    const r = cli(['scan', '--json', join(dir, 'note.html'), join(PAGES, 'neurology-clinic-note.html')]);
    expect(r.status).toBe(0);
    const rows = jsonLines(r.stdout);
    const mine = rows.filter((x) => x.file === join(dir, 'note.html'));
    expect(mine.map((x) => [x.text, x.assertion])).toEqual([
      ['fever', 'negated'],
      ['aura', 'affirmed'],
      ['migraines', 'family'],
    ]);
    expect(mine[1]!.sentence).toBe('aura since this morning');
    // The synthetic clinic note: sections, negations, the compound diagnosis and its code.
    const note = rows.filter((x) => x.file === join(PAGES, 'neurology-clinic-note.html'));
    const by = (text: string) => note.find((x) => x.text === text);
    expect(by('aura')?.assertion).toBe('negated');
    expect(by('migraines')?.assertion).toBe('family');
    expect(by('ICD10:G43.709')?.assertion).toBe('affirmed');
    expect(by('Chronic migraine without aura')?.assertion).toBe('affirmed');
    expect(by('thunderclap headache')?.assertion).toBe('hypothetical');
  });

  it('reads stdin for "-"', () => {
    const r = cli(['scan', '--json', '-'], 'Denies aura.');
    expect(r.status).toBe(0);
    const [row] = jsonLines(r.stdout);
    expect(row).toMatchObject({
      file: '-',
      concept: 'aura',
      text: 'Denies aura.'.slice(7, 11),
      start: 7,
      end: 11,
      negated: true,
    });
  });

  it('reads HTML from stdin when it looks like HTML', () => {
    const r = cli(['scan', '--json', '-'], '<html><body><p>No fever</p><p>aura</p></body></html>');
    expect(jsonLines(r.stdout).map((x) => x.assertion)).toEqual(['negated', 'affirmed']);
  });
});

describe('scan (table)', () => {
  it('prints a readable table with the cue of each finding', () => {
    const r = cli(['scan', join(dir, 'note.txt')]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`${join(dir, 'note.txt')}: 4 findings`);
    expect(lines[1]).toMatch(/^\s+span\s+assertion\s+category\s+concept\s+text\s+cues$/);
    expect(r.stdout).toMatch(/3-14\s+negated\s+symptom\s+photophobia\s+photophobia\s+negated: No/);
    expect(r.stdout).toMatch(/historical\s+diagnosis\s+migraine-without-aura\s+MwoA\s+historical: Hx of/);
  });
});

describe('bad input', () => {
  it('names every bad file on stderr, exits 1, and still scans the good ones', () => {
    const bad: [string, RegExp][] = [
      ['missing.html', /missing\.html: no such file/],
      ['binary.html', /binary\.html: not a text file \(contains NUL bytes\)/],
      ['latin1.txt', /latin1\.txt: not a text file \(invalid UTF-8\)/],
      ['note.pdf', /note\.pdf: unsupported file type "\.pdf"/],
      ['folder.txt', /folder\.txt: is a directory/],
    ];
    const r = cli(['scan', '--json', ...bad.map(([f]) => join(dir, f)), join(dir, 'note.txt')]);
    expect(r.status).toBe(1);
    for (const [, message] of bad) expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(bad.length);
    expect(jsonLines(r.stdout)).toHaveLength(4);
  });

  it('a usage error exits 2 with the usage', () => {
    const r = cli(['scan', '--jsn', join(dir, 'note.txt')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option --jsn/);
    expect(r.stderr).toMatch(/usage:/);
    expect(cli(['frobnicate']).status).toBe(2);
    expect(cli(['scan']).status).toBe(2);
  });

  it('a broken knowledge directory is a clear message, not a stack trace', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts/cli.ts'), 'scan', join(dir, 'note.txt')],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, CHARTLIGHT_KNOWLEDGE_DIR: join(dir, 'nowhere') },
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^chartlight: cannot load the knowledge base: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('scan --assertions', () => {
  it('prints the five flags and the cues per input line', () => {
    const input = [
      { text: 'Denies aura.', start: 7, end: 11 },
      { text: 'No family history of stroke.', start: 21, end: 27 },
      { text: 'Pt c/o throbbing HA.', start: 17, end: 19 },
    ]
      .map((x) => JSON.stringify(x))
      .join('\n');
    const r = cli(['scan', '--assertions'], input);
    expect(r.status).toBe(0);
    const rows = jsonLines(r.stdout);
    expect(rows[0]).toEqual({
      negated: true,
      uncertain: false,
      historical: false,
      hypothetical: false,
      family: false,
      cues: ['Denies'],
    });
    expect(Object.keys(rows[1]!)).toEqual(['negated', 'uncertain', 'historical', 'hypothetical', 'family', 'cues']);
    expect(rows[1]).toMatchObject({ negated: true, family: true });
    expect((rows[1]!.cues as string[]).sort()).toEqual(['No', 'family history of']);
    expect(rows[2]).toMatchObject({ negated: false, family: false, cues: [] });
  });

  it('names each bad line on stderr, exits 1, and still answers the good lines', () => {
    const input = [
      '{"text": "Denies aura.", "start": 7, "end": 11}',
      'not json',
      '{"text": "Aura.", "start": 0}',
      '{"text": "Aura.", "start": 3, "end": 99}',
      '',
      '{"text": "Mother with migraines.", "start": 12, "end": 21}',
    ].join('\n');
    const r = cli(['scan', '--assertions'], input);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stdin:2: malformed JSON/);
    expect(r.stderr).toMatch(/stdin:3: "start" and "end" must be whole numbers/);
    expect(r.stderr).toMatch(/stdin:4: span 3-99 is outside the text/);
    expect(jsonLines(r.stdout).map((x) => [x.negated, x.family])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it('reads files too, naming file and line', () => {
    const file = join(dir, 'spans.jsonl');
    writeFileSync(file, '{"text": "No fever.", "start": 3, "end": 8}\n{oops\n');
    const r = cli(['scan', '--assertions', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}:2: malformed JSON`);
    expect(jsonLines(r.stdout)).toHaveLength(1);
  });
});

describe('search', () => {
  it('prints the panel search results as a JSON array, best first', () => {
    const r = cli(['search', '--json', 'migraine with aura']);
    expect(r.status).toBe(0);
    const hits = JSON.parse(r.stdout) as { id: string; title: string; category: string }[];
    expect(Array.isArray(hits)).toBe(true);
    expect(hits[0]).toEqual({ id: 'migraine-with-aura', title: 'Migraine with aura', category: 'diagnosis' });
    for (const h of hits) expect(Object.keys(h)).toEqual(['id', 'title', 'category']);
  });

  it('prints an empty array when nothing matches', () => {
    expect(JSON.parse(cli(['search', '--json', 'qqqqzzzz']).stdout)).toEqual([]);
  });

  it('prints a readable list without --json', () => {
    expect(cli(['search', 'ketamine']).stdout).toMatch(/^ 1\. Ketamine {2}\[ketamine\] {2}ketamine$/m);
  });
});

describe('through npm, as documented', () => {
  it('npm run --silent scan -- --json FILE', () => {
    const r = spawnSync('npm', ['run', '--silent', 'scan', '--', '--json', join(dir, 'note.txt')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CHARTLIGHT_KNOWLEDGE_DIR: MINI },
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(4);
  });
});
