/**
 * DOM → text with a map back to the text nodes. The text is what the engine reads; block elements
 * become line breaks (so "Denies aura" in one paragraph never negates "photophobia" in the next),
 * table cells in one row become tabs (so a flowsheet row "Aura | none" stays one clause), and a
 * checkbox or radio button becomes "[x]" or "[ ]" (so "Aura ( ) Yes (•) No" on a live form reads as
 * the printed form does). Nothing here writes to the DOM.
 */

/** What an element is to the walk, from its tag name alone (bit flags; see `kindOf`). */
/** Never page content: not read. */
const K_SKIP = 1;
/** Starts and ends a line. */
const K_BLOCK = 2;
/** Also a block: a blank line before it (see `isHeading`). */
const K_HEADING = 4;
/** A table cell: a tab between the cells of a row. */
const K_CELL = 8;
/** A table's own parts, where text between the children is never shown. */
const K_TABLE_PART = 16;
/** Keeps its line breaks. */
const K_PRE = 32;
/**
 * May hold a shadow root: the HTML elements attachShadow() accepts, and custom elements (a hyphen
 * in the name, or a customized built-in's "is", which only those may carry). Asking any other
 * element for its shadow root is a crossing into the DOM that cannot find one.
 */
const K_HOST = 64;
/** A frame or a field: met by reading the block an update added it to (see `blockAround`). */
const K_FRAME_OR_FIELD = 128;
/** A custom element (a hyphen in its name): the only kind `exclude` is asked about. */
const K_CUSTOM = 256;
/** On the walk's stack only: the element's shadow tree is being read, not its children. */
const K_IN_SHADOW = 512;

/** The tags of each kind, upper case. */
const KIND_TAGS: [number, string][] = [
  [
    K_SKIP,
    'SCRIPT STYLE NOSCRIPT TEMPLATE TEXTAREA INPUT SELECT OPTION SVG MATH CANVAS IFRAME FRAME OBJECT EMBED HEAD TITLE',
  ],
  [
    K_BLOCK,
    'ADDRESS ARTICLE ASIDE BLOCKQUOTE BODY BR CAPTION DD DETAILS DIALOG DIV DL DT FIELDSET FIGCAPTION FIGURE ' +
      'FOOTER FORM H1 H2 H3 H4 H5 H6 HEADER HR LEGEND LI MAIN NAV OL P PRE SECTION SUMMARY TABLE TBODY TFOOT ' +
      'THEAD TR UL HTML',
  ],
  [K_HEADING, 'H1 H2 H3 H4 H5 H6'],
  [K_CELL, 'TD TH'],
  [K_TABLE_PART, 'TABLE THEAD TBODY TFOOT TR COLGROUP'],
  [K_PRE, 'PRE LISTING XMP PLAINTEXT TEXTAREA'],
  [K_HOST, 'ARTICLE ASIDE BLOCKQUOTE BODY DIV FOOTER H1 H2 H3 H4 H5 H6 HEADER MAIN NAV P SECTION SPAN'],
  [K_FRAME_OR_FIELD, 'IFRAME FRAME TEXTAREA INPUT'],
];

/**
 * Kinds by tag name as `tagName` gives it: upper case for HTML elements in an HTML document, lower
 * case in an XHTML one and for SVG and MathML. Each spelling is worked out once, so the walk pays
 * one lookup per element entering it; leaving it, the kind is on the walk's stack.
 */
const KINDS = new Map<string, number>();
/** Tag names remembered at most: a page of endless distinct custom tags must not grow the table. */
const KINDS_MAX = 1000;

function kindOf(tag: string): number {
  let kind = KINDS.get(tag);
  if (kind !== undefined) return kind;
  const upper = ` ${tag.toUpperCase()} `;
  kind = upper.includes('-') ? K_HOST | K_CUSTOM : 0;
  for (const [k, names] of KIND_TAGS) if (` ${names} `.includes(upper)) kind |= k;
  if (KINDS.size < KINDS_MAX) KINDS.set(tag, kind);
  return kind;
}

const BREAKS = /[\n\r\t]/;
const BREAKS_ALL = /[\n\r\t]/g;
const NOT_BLANK = /[^ \n\r\t\f]/;
const KEEPS_BREAKS_STYLE = /white-space\s*:\s*(?:pre|break-spaces)/i;

/**
 * Whether a text node's neighbour `n` puts a line break beside it: a block, or, where there is
 * none, the edge of a block parent ("<span>Denies</span><span> </span>aura" keeps its space).
 */
function breaksBeside(n: Node | null, parent: Element): boolean {
  if (!n) return isBlockTag(parent.tagName);
  return n.nodeType === 1 && isBlockTag((n as Element).tagName);
}

function isBlockTag(tag: string): boolean {
  return (kindOf(tag) & (K_BLOCK | K_CELL)) !== 0;
}

/** Whether an element keeps its line breaks by its own or an ancestor's tag or style attribute. */
function keepsBreaksByMarkup(el: Element): boolean {
  for (let e: Element | null = el; e; e = e.parentElement) {
    if (kindOf(e.tagName) & K_PRE) return true;
    const style = e.getAttribute('style');
    if (style && KEEPS_BREAKS_STYLE.test(style)) return true;
  }
  return false;
}

/**
 * Headings open a new part of the page, known to the section rules or not ("Vitals"): the walk puts
 * a blank line before each, which ends the section above it as a blank line in a typed note does.
 * Without it a family history would run on to the page's end under headings of no known name.
 */
export function isHeading(el: Element): boolean {
  return (kindOf(el.tagName) & K_HEADING) !== 0;
}

export interface Extracted {
  text: string;
  /** The text nodes read, in order (those with text). */
  nodes: Text[];
  /**
   * Offset of each node's first character in the text. Two arrays rather than an object per node:
   * a page of 100,000 text nodes keeps 100,000 fewer objects alive while it is read, for the
   * garbage collector to copy and mark inside the scan's slices.
   */
  starts: number[];
}

export interface ExtractOptions {
  /**
   * Custom elements to leave out entirely (the extension's own hover-card host). The walk asks only
   * about custom elements (a hyphen in the name): asking every element cost a call and a crossing
   * into the DOM each, about a sixth of a cold walk.
   */
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

/**
 * A resumable walk: `run(deadline)` extracts until the clock passes `deadline` and says whether it
 * is done, so a 20,000-node page is read in slices that never block input for long. It keeps a
 * cursor in the tree (first child, next sibling, parent) rather than a stack of pending nodes: a
 * page nested 10,000 deep cannot overflow anything, and an element with 100,000 children costs no
 * more in one step than any other.
 *
 * The text read so far can be used while the walk goes on (`length`, `slice`): the scanner
 * analyses and marks the top of a long page while the rest is still being read.
 */
export class TextExtractor {
  private readonly parts: string[] = [];
  /** Offset of each part in the text, for `slice` (parts are appended in order). */
  private readonly partStarts: number[] = [];
  readonly nodes: Text[] = [];
  readonly starts: number[] = [];
  private textLength = 0;
  private pendingBreak = '';
  /** Text length when the cell being read was entered; -1 outside a cell. */
  private cellAt = -1;
  private readonly roots: readonly Node[];
  private rootIndex = -1;
  private root: Node | null = null;
  /** The next node to read; null between roots. */
  private cursor: Node | null = null;
  /**
   * The elements (and documents) the walk is inside, outermost (the root) first, with their kinds:
   * a shadow tree is entered as its host, marked K_IN_SHADOW, and its end goes on after the host.
   */
  private readonly open: Node[] = [];
  private readonly openKinds: number[] = [];
  private readonly shadow: boolean;
  /** Nodes visited, for the scanner's statistics and tests. */
  visited = 0;

  /** `root` may be several nodes (the blocks a page update added): their texts follow each other. */
  constructor(
    root: Node | readonly Node[],
    private readonly options: ExtractOptions = {},
  ) {
    this.roots = Array.isArray(root) ? (root as readonly Node[]) : [root as Node];
    this.shadow = options.shadowRoots !== false;
    this.nextRoot();
  }

  get done(): boolean {
    return this.cursor === null;
  }

  /** Characters of text read so far. */
  get length(): number {
    return this.textLength;
  }

  private nextRoot(): void {
    this.rootIndex++;
    this.root = this.roots[this.rootIndex] ?? null;
    this.cursor = this.root;
    this.open.length = 0;
    this.openKinds.length = 0;
    if (this.root && this.rootIndex > 0) this.brk('\n');
  }

  /**
   * Walks until done, until `now()` passes `deadline` (checked every CHECK_EVERY nodes, as reading
   * the clock costs more than visiting a node), until the text is `untilLength` long, or until
   * `maxNodes` nodes were visited in all. Returns true when the walk is complete.
   *
   * Every property read on a node crosses from the script's world into the browser's DOM, and those
   * crossings, not the script, are most of a walk's time. So an element's tag is read once and
   * what the walk needs of it comes from a table (`kindOf`); the elements the walk is inside are
   * kept on a stack, so leaving one asks the DOM for neither its parent nor its tag again; and only
   * elements that can hold a shadow root are asked for one.
   */
  run(
    deadline = Infinity,
    now: () => number = () => performance.now(),
    untilLength = Infinity,
    maxNodes = Infinity,
  ): boolean {
    const options = this.options;
    const open = this.open;
    const openKinds = this.openKinds;
    let sinceCheck = 0;
    while (this.cursor !== null) {
      if (++sinceCheck >= CHECK_EVERY) {
        sinceCheck = 0;
        if (this.textLength >= untilLength || this.visited >= maxNodes || now() >= deadline) return false;
      }
      const node = this.cursor;
      this.visited++;
      const type = node.nodeType;
      if (type === 3) {
        let data = (node as Text).data;
        if (BREAKS.test(data)) data = this.rendered(node as Text, data);
        if (data.length > 0) {
          if (this.pendingBreak) this.push(this.pendingBreak);
          this.pendingBreak = '';
          this.nodes.push(node as Text);
          this.starts.push(this.textLength);
          this.push(data);
        }
      } else if (type === 1) {
        const el = node as Element;
        const tag = el.tagName;
        const kind = kindOf(tag);
        if (kind & K_SKIP) {
          const upper = tag.toUpperCase();
          if ((upper === 'IFRAME' || upper === 'FRAME') && options.onFrame) {
            options.onFrame(el as HTMLIFrameElement);
          } else if (upper === 'SELECT') {
            // A drop-down shows its chosen option: "Aura [No ▾]" is an answer.
            const shown = selectMark(el as HTMLSelectElement);
            if (shown !== null) this.mark(shown);
          } else if (upper === 'TEXTAREA' || upper === 'INPUT') {
            const box = upper === 'INPUT' ? boxMark(el as HTMLInputElement) : null;
            // A box is part of the text; a field's value is read apart from it.
            if (box !== null) this.mark(box);
            else options.onField?.(el as HTMLTextAreaElement);
          }
        } else if (!(kind & K_CUSTOM && options.exclude?.(el)) && !el.hasAttribute('hidden')) {
          if (kind & K_HEADING) this.brk('\n\n');
          else if (kind & K_BLOCK) this.brk('\n');
          else if (kind & K_CELL) {
            this.brk('\t');
            this.cellAt = this.textLength;
          }
          let inside: Node | null;
          let shadowRoot: ShadowRoot | null = null;
          if (this.shadow && kind & K_HOST) shadowRoot = el.shadowRoot;
          if (shadowRoot) {
            // An open shadow root's content is what the user sees; the light children are slotted
            // in or hidden, so read the shadow tree and leave the light DOM to its slots.
            options.onShadowRoot?.(shadowRoot);
            inside = shadowRoot.firstChild;
          } else {
            inside = el.firstChild;
          }
          if (inside) {
            open.push(el);
            openKinds.push(shadowRoot ? kind | K_IN_SHADOW : kind);
            this.cursor = inside;
            continue;
          }
          this.exit(kind);
        }
      } else if (type === 9 || type === 11) {
        const first = node.firstChild;
        if (first) {
          open.push(node);
          openKinds.push(0);
          this.cursor = first;
          continue;
        }
      }
      this.cursor = this.after(node);
      if (this.cursor === null) this.nextRoot();
    }
    return true;
  }

  /**
   * A text node's line breaks and tabs as the page shows them. Where white space collapses (the
   * default), a line break written in the page's source is shown as a space: "Patient denies⏎
   * aura" is one line on screen, and read as two its denial would not reach the aura. So they are
   * read as spaces, one for one, and the offsets into the node stay the same. Where the page keeps
   * them (<pre>, a note shown with white-space: pre-wrap) they stay line breaks. Blank text
   * between a table's rows and cells, or beside a block, is not shown at all, and not read: it
   * would split a row into lines, or put blank lines between blocks that the page does not show.
   */
  private rendered(node: Text, data: string): string {
    const parent = node.parentNode;
    if (!parent || parent.nodeType !== 1) return data;
    const el = parent as Element;
    if (!NOT_BLANK.test(data)) {
      if (kindOf(el.tagName) & K_TABLE_PART) return '';
      // Blank beside a block, or first or last in its parent, is not shown (the block breaks the
      // line): not read, so indented markup reads as compact markup does, and no style is asked.
      // It would otherwise add blank lines between blocks, and a blank line ends a section.
      if (breaksBeside(node.previousSibling, el) || breaksBeside(node.nextSibling, el)) return '';
    }
    return this.keepsBreaks(el) ? data : data.replace(BREAKS_ALL, ' ');
  }

  /** Each element's answer, asked once: its text nodes are met apart, between its children's. */
  private readonly breaksOf = new WeakMap<Element, boolean>();

  private keepsBreaks(el: Element): boolean {
    let keeps = this.breaksOf.get(el);
    if (keeps !== undefined) return keeps;
    const view = el.ownerDocument.defaultView;
    const ws = view && typeof view.getComputedStyle === 'function' ? view.getComputedStyle(el).whiteSpace : '';
    // pre, pre-wrap, pre-line and break-spaces keep line breaks. Without a style engine (the CLI's
    // DOM answers '') the element and its ancestors' tags and style attributes tell.
    keeps = ws === 'normal' || ws === 'nowrap' ? false : ws ? true : keepsBreaksByMarkup(el);
    this.breaksOf.set(el, keeps);
    return keeps;
  }

  /**
   * The node after `node` (whose subtree is read): its next sibling, or that of the nearest open
   * element that has one, each element left on the way ending as its kind says. Null past the
   * root: the root is the bottom of the stack, and its siblings are not part of the walk.
   */
  private after(node: Node): Node | null {
    const open = this.open;
    if (open.length === 0) return null;
    let next = node.nextSibling;
    while (next === null) {
      const parent = open.pop()!;
      this.exit(this.openKinds.pop()!);
      if (open.length === 0) return null;
      // A shadow tree's end goes on after its host, which is what the stack holds for it.
      next = parent.nextSibling;
    }
    return next;
  }

  /** The break an element's end makes (by its kind): a line for a block, a tab for a table cell. */
  private exit(kind: number): void {
    if (kind & K_BLOCK) this.brk('\n');
    else if (kind & K_CELL) {
      // An empty cell keeps its tab, so that the cells below a flowsheet's header stay in its
      // columns ("09:00 | | No" is not "09:00 | No"). A nested table's cell ends the outer one's
      // count: the outer cell is then taken as not empty, which only costs a column reading.
      if (this.cellAt === this.textLength && this.textLength > 0) this.pendingBreak += '\t';
      // A block that closes a cell (<td><div>Aura</div></td>) ends the cell, not the row.
      else if (this.cellAt >= 0 && this.pendingBreak.startsWith('\n')) this.pendingBreak = '';
      this.cellAt = -1;
      this.brk('\t');
    }
  }

  /** Text that stands for an element and belongs to no text node (a checkbox's state). */
  private mark(text: string): void {
    if (this.pendingBreak) this.push(this.pendingBreak);
    this.pendingBreak = '';
    this.push(text);
  }

  private push(part: string): void {
    this.partStarts.push(this.textLength);
    this.parts.push(part);
    this.textLength += part.length;
  }

  private brk(ch: string): void {
    if (this.textLength === 0) return;
    const pending = this.pendingBreak;
    if (ch === '\t') {
      if (pending === '') this.pendingBreak = ch;
      return;
    }
    // Most breaks come after text or after the same break: nothing to weigh (and no string made).
    if (pending === '' || pending === ch) {
      this.pendingBreak = ch;
      return;
    }
    // A block that opens a cell (<td><div>No</div></td>) does not start a line: the row goes on.
    if (this.cellAt === this.textLength && pending.startsWith('\t')) return;
    // The strongest line break wins, a blank line over a line. Tabs before it are this row's: the
    // empty cells at its end stay on it (all but the tab that would have parted the next cell),
    // so the row keeps as many cells as its header. Tabs after it (a next row's empty first
    // cells, with nothing after them) go.
    let tabs = 0;
    while (tabs < pending.length && pending.charCodeAt(tabs) === 9) tabs++;
    const rest = pending.slice(tabs);
    const lines = rest.startsWith('\n\n') ? 2 : rest.startsWith('\n') ? 1 : 0;
    const keep = lines > 0 ? tabs : Math.max(0, tabs - 1);
    this.pendingBreak = '\t'.repeat(keep) + (ch.length > lines ? ch : rest.slice(0, lines));
  }

  /** The text read so far between offsets a and b (as `result().text.slice(a, b)`). */
  slice(a: number, b: number): string {
    a = Math.max(0, a);
    b = Math.min(this.textLength, b);
    if (b <= a) return '';
    const starts = this.partStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= a) lo = mid;
      else hi = mid - 1;
    }
    const first = this.parts[lo]!;
    const from = a - starts[lo]!;
    if (b <= starts[lo]! + first.length) return first.slice(from, b - starts[lo]!);
    const out = [first.slice(from)];
    for (let k = lo + 1; k < this.parts.length && starts[k]! < b; k++) {
      const part = this.parts[k]!;
      out.push(b >= starts[k]! + part.length ? part : part.slice(0, b - starts[k]!));
    }
    return out.join('');
  }

  result(): Extracted {
    return { text: this.parts.join(''), nodes: this.nodes, starts: this.starts };
  }
}

/**
 * What a checkbox or radio button says, written as a chart prints a smart form ("Aura: [ ] Yes
 * [x] No"), so the context rules that read printed boxes read live ones the same way. Its state
 * as the user sees it now (the property, not the attribute); null for any other input.
 */
export function boxMark(input: HTMLInputElement): string | null {
  const type = (input.getAttribute('type') ?? '').toLowerCase();
  if (type !== 'checkbox' && type !== 'radio') return null;
  const checked = typeof input.checked === 'boolean' ? input.checked : input.hasAttribute('checked');
  return checked ? ' [x] ' : ' [ ] ';
}

/** Longest chosen option read from a drop-down. */
const SELECT_MARK_MAX = 200;

/**
 * The text a single-choice drop-down shows (its chosen option), set off by spaces, as it is now;
 * null for a list of several choices, or where nothing is shown.
 */
export function selectMark(select: HTMLSelectElement): string | null {
  if (select.multiple || select.hasAttribute('multiple')) return null;
  const options = select.querySelectorAll('option');
  const index = typeof select.selectedIndex === 'number' ? select.selectedIndex : -1;
  let chosen: Element | null = index >= 0 ? (options[index] ?? null) : null;
  if (!chosen) chosen = select.querySelector('option[selected]') ?? options[0] ?? null;
  const text = (chosen?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, SELECT_MARK_MAX);
  return text ? ` ${text} ` : null;
}

/** How many nodes the walk visits between two looks at the clock. */
const CHECK_EVERY = 64;

/** Extracts the text under `root` in one go (the CLI, tests and small subtrees). */
export function extractText(root: Node, options: ExtractOptions = {}): Extracted {
  const ex = new TextExtractor(root, options);
  ex.run();
  return ex.result();
}

/**
 * The last text node whose length was read, and its length: placing a run of findings in text
 * order asks each node once, where each finding's start and end asked it again (a crossing into
 * the DOM each, most of the cost of placing). Made for one run, as a node's text may change after.
 */
export interface NodeLengthMemo {
  node: Text | null;
  length: number;
}

/** The text node and offset for a position in the extracted text (binary search). */
export function locate(
  ex: Pick<Extracted, 'nodes' | 'starts'>,
  offset: number,
  preferEnd = false,
  memo: NodeLengthMemo = { node: null, length: 0 },
): { node: Text; offset: number } | null {
  const starts = ex.starts;
  if (starts.length === 0) return null;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const start = starts[mid]!;
    if (start < offset || (!preferEnd && start === offset)) lo = mid;
    else hi = mid - 1;
  }
  const node = ex.nodes[lo]!;
  const within = offset - starts[lo]!;
  if (within <= 0) return { node, offset: 0 };
  if (memo.node !== node) {
    memo.node = node;
    memo.length = node.data.length;
  }
  return { node, offset: Math.min(within, memo.length) };
}

/** Where a page update lands, for the scanner's incremental rescans (see `blockAround`). */
export type UpdateRegion = { block: Element } | { block: null; content: boolean };

/**
 * The nearest block element (or table cell) at or above `node`, inside `root`: the smallest piece
 * of the page whose text can be read again on its own when `node` was added or changed. `content:
 * false` when the node is no page content at all (inside a script, a style, a hidden or excluded
 * element); `block: null, content: true` when only the whole document will do (text added straight
 * into <body>, or into a shadow tree).
 */
export function blockAround(node: Node, root: Node, exclude?: (el: Element) => boolean): UpdateRegion {
  let block: Element | null = null;
  for (let n: Node | null = node; n; n = n.parentNode) {
    if (n === root) return block ? { block } : { block: null, content: true };
    if (n.nodeType !== 1) {
      if (n.nodeType === 3) continue;
      return { block: null, content: true }; // a shadow root or a detached fragment
    }
    const el = n as Element;
    const tag = el.tagName.toUpperCase();
    const kind = kindOf(tag);
    // A frame or a field added by the update is met by reading its block (it is no text itself).
    const opaque = kind & K_SKIP && !(n === node && kind & K_FRAME_OR_FIELD);
    if (opaque || el.hasAttribute('hidden') || exclude?.(el)) return { block: null, content: false };
    if (!block && kind & (K_BLOCK | K_CELL) && tag !== 'BODY' && tag !== 'HTML') block = el;
  }
  return { block: null, content: true }; // not in the document any more
}

/**
 * The page text just before `start` (as the walk would read it, line breaks between blocks), at
 * least `minChars` of it when there is that much, then on to the nearest short line (a section
 * header, perhaps) but never more than `maxChars`. Read backwards through the text nodes, so a
 * long page costs no more than a short one.
 */
export function textBefore(
  start: Node,
  root: Node,
  minChars: number,
  maxChars: number,
  shortLine: number,
  exclude?: (el: Element) => boolean,
): string {
  const doc = start.ownerDocument ?? (start as Document);
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  walker.currentNode = start;
  const parts: string[] = [];
  let total = 0;
  let line = 0;
  let sawShortLine = false;
  let laterBlock: Node | null = null;
  for (let n = walker.previousNode(); n; n = walker.previousNode()) {
    const data = (n as Text).data;
    if (data.length === 0) continue;
    const where = blockAround(n, root, exclude);
    if (where.block === null && !where.content) continue;
    const block = where.block;
    if (laterBlock !== null && block !== laterBlock) {
      // A line ends here (reading backwards): was it short enough to be a header?
      if (line > 0 && line <= shortLine) sawShortLine = true;
      if (total >= maxChars || (total >= minChars && sawShortLine)) break;
      const gap = laterBlock.nodeType === 1 && isHeading(laterBlock as Element) ? '\n\n' : '\n';
      parts.push(gap);
      total += gap.length;
      line = 0;
    }
    laterBlock = block ?? root;
    // Only the end of a huge text node can matter (a 10 MB node must not be copied whole).
    const piece = data.length > maxChars ? data.slice(data.length - maxChars) : data;
    parts.push(piece);
    total += piece.length;
    line += piece.trim().length;
  }
  parts.reverse();
  const text = parts.join('');
  return text.length > maxChars ? text.slice(text.length - maxChars) : text;
}
