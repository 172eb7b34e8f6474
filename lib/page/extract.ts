/**
 * DOM → text with a map back to the text nodes. The text is what the engine reads; block elements
 * become line breaks (so "Denies aura" in one paragraph never negates "photophobia" in the next),
 * table cells in one row become tabs (so a flowsheet row "Aura | none" stays one clause).
 * Nothing here writes to the DOM.
 */

/** Elements whose text is never page content. */
const SKIP = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'TEXTAREA',
  'INPUT',
  'SELECT',
  'OPTION',
  'SVG',
  'MATH',
  'CANVAS',
  'IFRAME',
  'FRAME',
  'OBJECT',
  'EMBED',
  'HEAD',
  'TITLE',
]);

const BLOCK = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'BODY',
  'BR',
  'CAPTION',
  'DD',
  'DETAILS',
  'DIALOG',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LEGEND',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TBODY',
  'TFOOT',
  'THEAD',
  'TR',
  'UL',
  'HTML',
]);
const CELL = new Set(['TD', 'TH']);

export interface Segment {
  node: Text;
  /** Offset of the node's first character in the extracted text. */
  start: number;
}

export interface Extracted {
  text: string;
  segments: Segment[];
}

export interface ExtractOptions {
  /** Elements to leave out entirely (the extension's own hover-card host). */
  exclude?: (el: Element) => boolean;
  /** Walk into open shadow roots (default true). */
  shadowRoots?: boolean;
}

/**
 * Extracts the text under `root`. Iterative (an explicit stack), so a page nested 10,000 deep
 * cannot overflow the call stack.
 */
export function extractText(root: Node, options: ExtractOptions = {}): Extracted {
  const parts: string[] = [];
  const segments: Segment[] = [];
  let length = 0;
  let pendingBreak = '';
  const shadow = options.shadowRoots !== false;
  const brk = (ch: string) => {
    if (length === 0) return;
    if (ch === '\n' || pendingBreak === '') pendingBreak = ch;
  };
  type Frame = { node: Node; exit: string } | { node: null; exit: string };
  const stack: Frame[] = [{ node: root, exit: '' }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.node === null) {
      brk(frame.exit);
      continue;
    }
    const node = frame.node;
    if (node.nodeType === 3) {
      const data = (node as Text).data;
      if (data.length === 0) continue;
      if (pendingBreak) {
        parts.push(pendingBreak);
        length += pendingBreak.length;
        pendingBreak = '';
      }
      segments.push({ node: node as Text, start: length });
      parts.push(data);
      length += data.length;
      continue;
    }
    let children: Node | null = null;
    let exit = '';
    if (node.nodeType === 1) {
      const el = node as Element;
      const tag = el.tagName.toUpperCase();
      if (SKIP.has(tag) || (options.exclude && options.exclude(el)) || el.hasAttribute('hidden')) continue;
      if (BLOCK.has(tag)) {
        brk('\n');
        exit = '\n';
      } else if (CELL.has(tag)) {
        brk('\t');
        exit = '\t';
      }
      if (shadow && el.shadowRoot) {
        // An open shadow root's content is what the user sees; the light children are slotted in
        // or hidden, so read the shadow tree and leave the light DOM to its slots.
        stack.push({ node: null, exit });
        stack.push({ node: el.shadowRoot, exit: '' });
        continue;
      }
      children = el.firstChild;
    } else if (node.nodeType === 9 || node.nodeType === 11) {
      children = node.firstChild;
    } else {
      continue;
    }
    if (exit) stack.push({ node: null, exit });
    // Push children in reverse so the first child is processed first.
    const kids: Node[] = [];
    for (let c = children; c; c = c.nextSibling) kids.push(c);
    for (let k = kids.length - 1; k >= 0; k--) stack.push({ node: kids[k]!, exit: '' });
  }
  return { text: parts.join(''), segments };
}

/** The text node and offset for a position in the extracted text (binary search). */
export function locate(ex: Extracted, offset: number, preferEnd = false): { node: Text; offset: number } | null {
  const segs = ex.segments;
  if (segs.length === 0) return null;
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const s = segs[mid]!;
    if (s.start < offset || (!preferEnd && s.start === offset)) lo = mid;
    else hi = mid - 1;
  }
  const seg = segs[lo]!;
  const within = offset - seg.start;
  if (within < 0) return { node: seg.node, offset: 0 };
  return { node: seg.node, offset: Math.min(within, seg.node.data.length) };
}
