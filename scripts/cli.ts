/**
 * The engine CLI (contract 3 of the architecture), running exactly the code the content script
 * runs: knowledge compiled by scripts/load-knowledge.ts, createEngine/analyze from lib/engine, and
 * HTML text through lib/page/extract.ts on a document parsed by happy-dom.
 *
 *   tsx scripts/cli.ts scan [--json] FILE...        FILE: .html, .htm, .txt, or - for stdin
 *   tsx scripts/cli.ts scan --assertions [FILE...]  JSON Lines {"text","start","end"} (stdin if no FILE)
 *   tsx scripts/cli.ts search [--json] QUERY...
 *
 * Exit status: 0 when every input was read, 1 when any file or line was bad (the others are still
 * processed), 2 for a usage error. Page text is printed only to stdout, never logged elsewhere.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { analyze, classifySpan, createEngine, type Engine, type Finding } from '../lib/engine';
import { createSearcher } from '../lib/knowledge/search';
import { extractText } from '../lib/page/extract';
import { loadKnowledge } from './load-knowledge';
import type { CompiledKnowledge } from '../lib/knowledge/compile';

const USAGE = `usage:
  npm run --silent scan -- [--json] FILE...          FILE: .html, .htm, .txt, or - for stdin
  npm run --silent scan -- --assertions [FILE...]    JSON Lines {"text","start","end"}; stdin if no FILE
  npm run --silent search -- [--json] QUERY`;

class UsageError extends Error {}

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  stdin: () => Buffer;
}

/** The knowledge, compiled once per run; a broken knowledge/ is a clear error, not a stack trace. */
function knowledge(): CompiledKnowledge {
  try {
    return loadKnowledge();
  } catch (e) {
    throw new Error(`cannot load the knowledge base: ${(e as Error).message}`);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes → text, refusing what is not text: a NUL byte or invalid UTF-8 means a binary file. */
function decodeText(bytes: Buffer): string {
  if (bytes.includes(0)) throw new Error('not a text file (contains NUL bytes)');
  try {
    return UTF8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new Error('not a text file (invalid UTF-8)');
  }
}

function readInput(file: string, io: Io): Buffer {
  if (file === '-') return io.stdin();
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error('no such file');
    if (code === 'EISDIR') throw new Error('is a directory');
    if (code === 'EACCES') throw new Error('permission denied');
    throw new Error(`cannot read (${code ?? (e as Error).message})`);
  }
}

function looksLikeHtml(text: string): boolean {
  return /^\s*(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(text);
}

/**
 * The text the content script would see: happy-dom parses the page (no script runs, nothing
 * loads) and lib/page/extract.ts walks it, so block elements break sentences and script and style
 * are skipped.
 */
async function htmlText(html: string): Promise<string> {
  // Loaded on first use: happy-dom takes longer to import than everything else the CLI does.
  const { Window } = await import('happy-dom');
  const win = new Window({
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      disableComputedStyleRendering: true,
      handleDisabledFileLoadingAsSuccess: true,
    },
  });
  try {
    const doc = new win.DOMParser().parseFromString(html, 'text/html');
    return extractText(doc as unknown as Node).text;
  } finally {
    void win.happyDOM.close();
  }
}

/** The text of one input: .txt as is, .html/.htm (or stdin that looks like HTML) through the DOM. */
async function inputText(file: string, io: Io): Promise<string> {
  const ext = extname(file).toLowerCase();
  if (file !== '-' && !['.html', '.htm', '.txt'].includes(ext)) {
    throw new Error(`unsupported file type "${ext || '(none)'}" (expected .html, .htm, .txt or -)`);
  }
  const text = decodeText(readInput(file, io));
  const html = ext === '.html' || ext === '.htm' || (file === '-' && looksLikeHtml(text));
  if (!html) return text;
  try {
    return await htmlText(text);
  } catch (e) {
    throw new Error(`unreadable HTML (${(e as Error).message})`);
  }
}

/** One finding as a JSON Lines record, keys in contract order. */
export function findingRecord(file: string, f: Finding) {
  return {
    file,
    concept: f.concept,
    category: f.category,
    text: f.text,
    start: f.start,
    end: f.end,
    assertion: f.assertion,
    negated: f.negated,
    uncertain: f.uncertain,
    historical: f.historical,
    hypothetical: f.hypothetical,
    family: f.family,
    sentence: f.sentence,
  };
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

function printTable(file: string, findings: Finding[], io: Io): void {
  io.out(`${file}: ${findings.length} finding${findings.length === 1 ? '' : 's'}`);
  if (findings.length === 0) return;
  const rows = findings.map((f) => [
    `${f.start}-${f.end}`,
    f.assertion,
    f.category,
    f.concept,
    oneLine(f.text, 40),
    f.cues.map((c) => `${c.flag}: ${oneLine(c.text, 30)}`).join('; '),
  ]);
  const head = ['span', 'assertion', 'category', 'concept', 'text', 'cues'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    '  ' +
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  io.out(line(head));
  for (const r of rows) io.out(line(r));
}

async function scan(files: string[], json: boolean, io: Io): Promise<number> {
  if (files.length === 0) throw new UsageError('scan needs at least one FILE (or - for stdin)');
  const engine = createEngine(knowledge().lexicon);
  let failed = 0;
  for (const file of files) {
    let text: string;
    try {
      text = await inputText(file, io);
    } catch (e) {
      io.err(`chartlight scan: ${file === '-' ? 'stdin' : file}: ${(e as Error).message}`);
      failed++;
      continue;
    }
    const findings = analyze(engine, text);
    if (json) for (const f of findings) io.out(JSON.stringify(findingRecord(file, f)));
    else printTable(file, findings, io);
  }
  return failed > 0 ? 1 : 0;
}

/** Validates one --assertions record; returns an error message or the span. */
function parseAssertionLine(line: string): { text: string; start: number; end: number } | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return `malformed JSON (${(e as Error).message})`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'expected an object {"text", "start", "end"}';
  const o = v as Record<string, unknown>;
  if (typeof o.text !== 'string') return '"text" must be a string';
  if (!Number.isInteger(o.start) || !Number.isInteger(o.end)) return '"start" and "end" must be whole numbers';
  const start = o.start as number;
  const end = o.end as number;
  if (start < 0 || end < start || end > o.text.length) {
    return `span ${start}-${end} is outside the text (length ${o.text.length})`;
  }
  return { text: o.text, start, end };
}

export function assertionRecord(engine: Engine, text: string, start: number, end: number) {
  const { flags, cues } = classifySpan(engine, text, start, end);
  return {
    negated: flags.negated,
    uncertain: flags.uncertain,
    historical: flags.historical,
    hypothetical: flags.hypothetical,
    family: flags.family,
    cues: cues.map((c) => c.text),
  };
}

function assertions(files: string[], io: Io): number {
  const engine = createEngine(knowledge().lexicon);
  let failed = 0;
  for (const file of files.length ? files : ['-']) {
    const name = file === '-' ? 'stdin' : file;
    let input: string;
    try {
      input = decodeText(readInput(file, io));
    } catch (e) {
      io.err(`chartlight scan --assertions: ${name}: ${(e as Error).message}`);
      failed++;
      continue;
    }
    const lines = input.split(/\r?\n/);
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const parsed = parseAssertionLine(line);
      if (typeof parsed === 'string') {
        io.err(`chartlight scan --assertions: ${name}:${i + 1}: ${parsed}`);
        failed++;
        return;
      }
      io.out(JSON.stringify(assertionRecord(engine, parsed.text, parsed.start, parsed.end)));
    });
  }
  return failed > 0 ? 1 : 0;
}

function search(words: string[], json: boolean, io: Io): number {
  const query = words.join(' ').trim();
  if (!query) throw new UsageError('search needs a QUERY');
  const hits = createSearcher(knowledge().panel).search(query);
  const results = hits.map((h) => ({ id: h.id, title: h.title, category: h.category }));
  if (json) io.out(JSON.stringify(results));
  else if (results.length === 0) io.out(`no results for "${query}"`);
  else results.forEach((r, i) => io.out(`${String(i + 1).padStart(2)}. ${r.title}  [${r.category}]  ${r.id}`));
  return 0;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const args = rest.filter((a) => !a.startsWith('--'));
  const known = new Set(['--json', '--assertions', '--help']);
  try {
    if (command === '--help' || flags.has('--help')) {
      io.out(USAGE);
      return 0;
    }
    for (const f of flags) if (!known.has(f)) throw new UsageError(`unknown option ${f}`);
    if (command === 'scan') {
      return flags.has('--assertions') ? assertions(args, io) : await scan(args, flags.has('--json'), io);
    }
    if (command === 'search') return search(args, flags.has('--json'), io);
    throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`chartlight: ${e.message}\n${USAGE}`);
      return 2;
    }
    io.err(`chartlight: ${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.filename && process.argv[1].endsWith('cli.ts')) {
  const outLines: string[] = [];
  const io: Io = {
    // Buffered and written once: a pipe that closes early (| head) must not lose the exit status.
    out: (line) => outLines.push(line),
    err: (line) => process.stderr.write(line + '\n'),
    stdin: () => readFileSync(0),
  };
  const code = await run(process.argv.slice(2), io);
  const text = outLines.length ? outLines.join('\n') + '\n' : '';
  process.stdout.on('error', () => process.exit(code));
  process.stdout.write(text, () => process.exit(code));
}
