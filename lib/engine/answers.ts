/**
 * Answers laid out apart from what they answer: below a flowsheet's header, or on the line below
 * a label.
 *
 * Flowsheet columns. A flowsheet often names its findings once, in a header row, and answers them
 * row by row below ("Time | Dissociation | Hallucinations", then "09:00 | No | No"). The header's
 * words are not an assertion about the patient; the column is. Read as prose, every header would
 * be listed as present, so a column answered "No" in every row listed hallucinations as present.
 *
 * The reading is deliberately narrow, because a wrong denial hides a finding: a header is read as
 * denied only when its column is answered and every answer is a plain no. One yes, one other value
 * ("mild", "5/10"), a row with a different number of cells (a cell spanning two columns, or a row
 * whose cells hold lines of their own, so its columns may not line up) or a table whose end is not
 * in the text leaves the reading as it was. The page's text puts a tab between the cells of a row
 * (an empty cell keeps its tab) and a line break after each row.
 *
 * Labels with their answer on the next line. A definition list ("<dt>Aura</dt><dd>No</dd>"), a
 * form laid out in blocks side by side, or a typed "Aura:" with "No" below it put the answer on a
 * line of its own. A finding that is its line's only words (a bullet, a colon or a question mark
 * aside), followed by a line that is only a plain no, is denied by it; nothing else is read so.
 */

/** How many rows below a header are read; a longer table is left as it is. */
export const COLUMN_MAX_ROWS = 200;

/** The first no of a column that says no in every row: the cue shown for the denial. */
export interface ColumnDenial {
  start: number;
  end: number;
  /** Rows answered. */
  rows: number;
}

const NO = 1;
const YES = 2;
const OTHER = 3;

const NO_WORDS = new Set(['no', 'n', 'none', 'neg', 'negative', 'absent', 'denies', 'denied', 'nil']);
const YES_WORDS = new Set(['yes', 'y', 'present', 'positive', 'pos', '+', 'x', '✓', '✔']);

/**
 * What a cell says: 0 for an empty one. A dash counts as empty: in a flowsheet it often means
 * "not assessed", and a column of dashes denies nothing.
 */
function answerOf(cell: string): number {
  const t = cell
    .trim()
    .replace(/[.:;!]+$/, '')
    .toLowerCase();
  if (t === '' || t === '-' || t === '−' || t === '–' || t === '—') return 0;
  if (NO_WORDS.has(t)) return NO;
  if (YES_WORDS.has(t)) return YES;
  return OTHER;
}

function isBlankOrSpace(c: number): boolean {
  return c === 32 || c === 160 || c === 13;
}

/**
 * Whether [start, end) is a whole cell of a row: only spaces (and a closing colon, question mark
 * or asterisk) between it and the tab or line end on either side, and the line has a tab.
 * Cheap enough to ask of every mention.
 */
export function isWholeCell(text: string, start: number, end: number): boolean {
  let a = start - 1;
  while (a >= 0 && isBlankOrSpace(text.charCodeAt(a))) a--;
  const before = a < 0 ? 10 : text.charCodeAt(a);
  if (before !== 9 && before !== 10) return false;
  let b = end;
  while (b < text.length) {
    const c = text.charCodeAt(b);
    if (isBlankOrSpace(c) || c === 58 /* : */ || c === 63 /* ? */ || c === 42 /* * */) b++;
    else break;
  }
  const after = b >= text.length ? 10 : text.charCodeAt(b);
  if (after !== 9 && after !== 10) return false;
  // A row has a tab somewhere on its line.
  return before === 9 || after === 9 || lineHasTab(text, start);
}

function lineHasTab(text: string, at: number): boolean {
  const s = text.lastIndexOf('\n', at - 1) + 1;
  let e = text.indexOf('\n', at);
  if (e < 0) e = text.length;
  const t = text.indexOf('\t', s);
  return t >= 0 && t < e;
}

/**
 * The denial a header cell at [start, end) gets from its column, or null. `complete`: the text
 * ends where the page's text ends (a table that runs to the end of a chunk may go on in the next).
 */
export function columnDenial(text: string, start: number, end: number, complete: boolean): ColumnDenial | null {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  const header = text.slice(lineStart, lineEnd).split('\t');
  // A row that answers itself ("Aura | No") is read as a row.
  for (const cell of header) if (answerOf(cell) === NO || answerOf(cell) === YES) return null;
  let column = 0;
  for (let k = text.indexOf('\t', lineStart); k >= 0 && k < start; k = text.indexOf('\t', k + 1)) column++;
  let first: ColumnDenial | null = null;
  let rows = 0;
  let pos = lineEnd + 1;
  // Where the text runs out, the table has ended only if the page's text ends there too.
  let ended = complete;
  while (pos < text.length) {
    let e = text.indexOf('\n', pos);
    if (e < 0) e = text.length;
    const line = text.slice(pos, e);
    if (line.trim() === '') {
      pos = e + 1;
      continue;
    }
    if (!line.includes('\t')) {
      ended = true;
      break;
    }
    const cells = line.split('\t');
    if (cells.length !== header.length) return null;
    if (++rows > COLUMN_MAX_ROWS) return null;
    const cell = cells[column]!;
    const answer = answerOf(cell);
    if (answer === YES || answer === OTHER) return null;
    if (answer === NO && !first) {
      let cellStart = pos;
      for (let c = 0; c < column; c++) cellStart = text.indexOf('\t', cellStart) + 1;
      const lead = cell.length - cell.trimStart().length;
      const word = cell.trim();
      first = { start: cellStart + lead, end: cellStart + lead + word.length, rows: 0 };
    }
    pos = e + 1;
  }
  if (!ended || !first) return null;
  first.rows = rows;
  return first;
}

/** How many blank lines may stand between a label and its answer (indented markup leaves some). */
const ANSWER_MAX_BLANK_LINES = 2;

/**
 * The plain no on the line below a finding that is alone on its line, or null. The finding's line
 * may hold a bullet before it and a colon or question mark after it, and no tab (a row is read by
 * its cells).
 */
export function answerBelow(text: string, start: number, end: number): { start: number; end: number } | null {
  let a = start - 1;
  while (a >= 0 && isBlankOrSpace(text.charCodeAt(a))) a--;
  if (a >= 0 && isBullet(text.charCodeAt(a))) {
    a--;
    while (a >= 0 && isBlankOrSpace(text.charCodeAt(a))) a--;
  }
  if (a >= 0 && text.charCodeAt(a) !== 10) return null;
  let b = end;
  while (b < text.length && isBlankOrSpace(text.charCodeAt(b))) b++;
  if (b < text.length && (text.charCodeAt(b) === 58 /* : */ || text.charCodeAt(b) === 63) /* ? */) b++;
  while (b < text.length && isBlankOrSpace(text.charCodeAt(b))) b++;
  if (b >= text.length || text.charCodeAt(b) !== 10) return null;
  for (let pos = b + 1, blank = 0; pos < text.length && blank <= ANSWER_MAX_BLANK_LINES; blank++) {
    let e = text.indexOf('\n', pos);
    if (e < 0) e = text.length;
    const line = text.slice(pos, e);
    const word = line.trim();
    if (word !== '') {
      if (line.includes('\t') || answerOf(word) !== NO) return null;
      const from = pos + line.indexOf(word);
      return { start: from, end: from + word.replace(/[.:;!]+$/, '').length };
    }
    pos = e + 1;
  }
  return null;
}

function isBullet(c: number): boolean {
  return c === 45 /* - */ || c === 42 /* * */ || c === 8226 /* • */ || c === 183; /* · */
}
