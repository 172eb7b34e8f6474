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
  /** Told of each open shadow root walked into (the scanner observes and styles them). */
  onShadowRoot?: (root: ShadowRoot) => void;
  /** Told of each <iframe>/<frame> met (its document is a separate text, scanned on its own). */
  onFrame?: (frame: HTMLIFrameElement | HTMLFrameElement) => void;
  /** Told of each <textarea>/<input> met (their values are scanned apart from the page text). */
  onField?: (field: HTMLTextAreaElement | HTMLInputElement) => void;
}

type Frame = { node: Node; exit: string } | { node: null; exit: string };

/**
 * A resumable walk: `run(deadline)` extracts until the clock passes `deadline` and says whether it
 * is done, so a 20,000-node page is read in slices that never block input for long. Iterative (an
 * explicit stack), so a page nested 10,000 deep cannot overflow the call stack.
 */
export class TextExtractor {
  private readonly parts: string[] = [];
  private readonly segments: Segment[] = [];
  private length = 0;
  private pendingBreak = '';
  private readonly stack: Frame[];
  private readonly shadow: boolean;
  /** Nodes visited, for the scanner's statistics and tests. */
  visited = 0;

  constructor(
    root: Node,
    private readonly options: ExtractOptions = {},
  ) {
    this.stack = [{ node: root, exit: '' }];
    this.shadow = options.shadowRoots !== false;
  }

  get done(): boolean {
    return this.stack.length === 0;
  }

  /**
   * Walks until done or until `now()` passes `deadline` (checked every CHECK_EVERY nodes, as
   * reading the clock costs more than visiting a node). Returns true when the walk is complete.
   */
  run(deadline = Infinity, now: () => number = () => performance.now()): boolean {
    const { stack, options } = this;
    let sinceCheck = 0;
    while (stack.length > 0) {
      if (++sinceCheck >= CHECK_EVERY) {
        sinceCheck = 0;
        if (now() >= deadline) return false;
      }
      const frame = stack.pop()!;
      this.visited++;
      if (frame.node === null) {
        this.brk(frame.exit);
        continue;
      }
      const node = frame.node;
      if (node.nodeType === 3) {
        const data = (node as Text).data;
        if (data.length === 0) continue;
        if (this.pendingBreak) {
          this.parts.push(this.pendingBreak);
          this.length += this.pendingBreak.length;
          this.pendingBreak = '';
        }
        this.segments.push({ node: node as Text, start: this.length });
        this.parts.push(data);
        this.length += data.length;
        continue;
      }
      let children: Node | null = null;
      let exit = '';
      if (node.nodeType === 1) {
        const el = node as Element;
        const tag = el.tagName.toUpperCase();
        if (SKIP.has(tag)) {
          if ((tag === 'IFRAME' || tag === 'FRAME') && options.onFrame) {
            options.onFrame(el as HTMLIFrameElement);
          } else if ((tag === 'TEXTAREA' || tag === 'INPUT') && options.onField) {
            options.onField(el as HTMLTextAreaElement);
          }
          continue;
        }
        if ((options.exclude && options.exclude(el)) || el.hasAttribute('hidden')) continue;
        if (BLOCK.has(tag)) {
          this.brk('\n');
          exit = '\n';
        } else if (CELL.has(tag)) {
          this.brk('\t');
          exit = '\t';
        }
        if (this.shadow && el.shadowRoot) {
          // An open shadow root's content is what the user sees; the light children are slotted in
          // or hidden, so read the shadow tree and leave the light DOM to its slots.
          options.onShadowRoot?.(el.shadowRoot);
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
      // Children are pushed in reverse so the first child is processed first; lastChild →
      // previousSibling avoids building a temporary array per element.
      for (let c = children ? node.lastChild : null; c; c = c.previousSibling) stack.push({ node: c, exit: '' });
    }
    return true;
  }

  private brk(ch: string): void {
    if (this.length === 0) return;
    if (ch === '\n' || this.pendingBreak === '') this.pendingBreak = ch;
  }

  result(): Extracted {
    return { text: this.parts.join(''), segments: this.segments };
  }
}

/** How many nodes the walk visits between two looks at the clock. */
const CHECK_EVERY = 64;

/** Extracts the text under `root` in one go (the CLI, tests and small subtrees). */
export function extractText(root: Node, options: ExtractOptions = {}): Extracted {
  const ex = new TextExtractor(root, options);
  ex.run();
  return ex.result();
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
