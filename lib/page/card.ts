/**
 * The hover card: the one element Chartlight adds to a page. A single host element appended to
 * <html> (outside the application's roots such as body > #app-root, so the app's own observers and
 * renderers never meet it), holding everything in its own shadow tree. Page text reaches the card
 * only through textContent, never as HTML.
 *
 * WCAG 1.4.13 (content on hover): the card stays while the pointer is over the word or the card
 * (hoverable), until the pointer leaves or Esc is pressed (dismissible), and does not vanish by
 * itself (persistent).
 */
import type { Finding } from '../engine/types';

/** Tag of the card's host; the scanner excludes it from scanning and from mutation handling. */
export const CARD_HOST_TAG = 'chartlight-card';

/**
 * How long the card waits after the pointer left the word before closing, so the pointer can
 * travel from the word onto the card (WCAG 1.4.13 "hoverable") without it vanishing on the way.
 */
export const HIDE_GRACE_MS = 300;

/** What the background adds to a card on demand: the entry's summary and evidence grade. */
export interface EntryBrief {
  summary: string;
  evidence: string;
}

export interface CardOptions {
  doc: Document;
  /** Fetches the entry's summary and evidence level (kept out of the content script's bundle). */
  brief: (entryId: string) => Promise<EntryBrief | null>;
  /** "Open in side panel". */
  onOpen: (entryId: string) => void;
  signal: AbortSignal;
}

const CATEGORY_LABEL: Record<string, string> = {
  'red-flag': 'Red flag',
  diagnosis: 'Diagnosis',
  symptom: 'Symptom',
  aura: 'Aura',
  trigger: 'Trigger',
  drug: 'Drug',
  ketamine: 'Ketamine',
};

const ASSERTION_LABEL: Record<string, string> = {
  affirmed: 'Affirmed',
  negated: 'Negated',
  family: 'Family history',
  hypothetical: 'Hypothetical',
  uncertain: 'Uncertain',
  historical: 'Historical',
};

const EVIDENCE_LABEL: Record<string, string> = {
  established: 'Established',
  guideline: 'Guideline',
  consensus: 'Consensus',
  regulatory: 'Regulatory',
  moderate: 'Moderate evidence',
  mixed: 'Mixed evidence',
  weak: 'Weak evidence',
  negative: 'Negative evidence',
  'not-applicable': 'Reference',
};

/** "negated by 'denies'", "family by section 'Family History'"; empty for an affirmed mention. */
export function cueLine(f: Finding): string {
  if (f.assertion === 'affirmed') return '';
  const cue = f.cues.find((c) => c.flag === f.assertion) ?? f.cues[0];
  const label = ASSERTION_LABEL[f.assertion]!.toLowerCase();
  if (!cue) return label;
  if (cue.kind === 'section') return `${label} by section '${cue.text}'`;
  if (cue.kind === 'column') return `${label} by its column: '${cue.text}' in every row`;
  return `${label} by '${cue.text}'`;
}

/** The sentence around a mention, shortened around it when long. */
export function contextLine(f: Finding, max = 220): string {
  const s = f.sentence.replace(/\s+/g, ' ').trim();
  if (s.length <= max) return s;
  const at = Math.max(0, f.start - f.sentenceStart);
  const from = Math.max(0, at - Math.floor(max / 2));
  return (from > 0 ? '…' : '') + s.slice(from, from + max) + '…';
}

const CARD_CSS = `
:host{all:initial}
.card{position:fixed;z-index:2147483647;box-sizing:border-box;max-width:380px;min-width:240px;background:#ffffff;color:#1b1f24;border:1px solid #8a919c;border-radius:6px;box-shadow:0 4px 16px rgba(0, 0, 0, 0.18);padding:10px 12px;font:13px/1.45 system-ui, sans-serif}
.card[hidden]{display:none}
.head{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin-bottom:4px}
.tag,.badge{font-size:11px;border-radius:3px;padding:1px 6px;border:1px solid #5f6670;color:#1b1f24}
.badge{background:#eef1f5}
.title{font-size:14px;font-weight:600;margin:2px 0}
.brief{margin:4px 0}
.brief:empty{display:none}
.assert{margin:4px 0;font-weight:600;color:#5a2a00}
.assert:empty{display:none}
.context{margin:6px 0;padding-left:8px;border-left:3px solid #8a919c;color:#2b3138}
button{font:inherit;margin-top:4px;padding:4px 10px;border:1px solid #1f4f8a;border-radius:4px;background:#1f4f8a;color:#ffffff;cursor:pointer}
button:focus-visible{outline:3px solid #c26a00;outline-offset:2px}
`;

export class HoverCard {
  private host: HTMLElement | null = null;
  private box: HTMLElement | null = null;
  private els: Record<'tag' | 'badge' | 'title' | 'brief' | 'assert' | 'context', HTMLElement> | null = null;
  private button: HTMLButtonElement | null = null;
  private hideTimer: ReturnType<typeof setTimeout> | null = null;
  private shown: Finding | null = null;
  private returnFocus: HTMLElement | null = null;
  private hovered = false;
  private serial = 0;
  /** Whether the card was opened from the keyboard (then only Esc or another step closes it). */
  keyboard = false;

  constructor(private readonly opts: CardOptions) {
    opts.signal.addEventListener('abort', () => this.destroy(), { once: true });
  }

  get finding(): Finding | null {
    return this.shown;
  }

  get isOpen(): boolean {
    return this.shown !== null;
  }

  /** Whether an event target is the card (its host; the shadow tree retargets to it). */
  owns(target: EventTarget | null): boolean {
    return !!target && target === this.host;
  }

  private build(): void {
    const { doc, signal } = this.opts;
    const host = doc.createElement(CARD_HOST_TAG);
    const root = host.attachShadow({ mode: 'open' });
    const win = doc.defaultView as (Window & typeof globalThis) | null;
    let styled = false;
    try {
      // A constructed sheet is not subject to the page's style-src policy the way a <style> is.
      const sheet = new win!.CSSStyleSheet();
      sheet.replaceSync(CARD_CSS);
      root.adoptedStyleSheets = [sheet];
      styled = true;
    } catch {
      styled = false;
    }
    if (!styled) {
      const style = doc.createElement('style');
      style.textContent = CARD_CSS;
      root.append(style);
    }
    const box = doc.createElement('div');
    box.className = 'card';
    box.setAttribute('role', 'dialog');
    box.hidden = true;
    const make = (tag: string, cls: string) => {
      const el = doc.createElement(tag);
      el.className = cls;
      return el;
    };
    const head = make('div', 'head');
    const els = {
      tag: make('span', 'tag'),
      badge: make('span', 'badge'),
      title: make('div', 'title'),
      brief: make('p', 'brief'),
      assert: make('p', 'assert'),
      context: make('blockquote', 'context'),
    };
    head.append(els.tag, els.badge);
    const button = doc.createElement('button');
    button.type = 'button';
    button.textContent = 'Open in side panel';
    button.addEventListener(
      'click',
      () => {
        if (this.shown) this.opts.onOpen(this.shown.concept);
      },
      { signal },
    );
    box.append(head, els.title, els.brief, els.assert, els.context, button);
    root.append(box);
    box.addEventListener('pointerenter', () => this.enter(), { signal });
    box.addEventListener('pointerleave', () => this.leave(), { signal });
    box.addEventListener(
      'keydown',
      (e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          this.hide();
        }
      },
      { signal },
    );
    // Outside the app's roots: <html> holds <head> and <body>, and now this host after them.
    doc.documentElement.append(host);
    this.host = host;
    this.box = box;
    this.els = els;
    this.button = button;
  }

  /**
   * Shows the card for `f` beside `rect` (viewport coordinates of the card's document).
   * `focus` (keyboard) moves focus to the card's button so Enter opens the panel.
   */
  show(f: Finding, rect: { left: number; top: number; bottom: number }, focus: boolean): void {
    if (this.opts.signal.aborted) return;
    if (!this.host) this.build();
    this.cancelHide();
    const els = this.els!;
    const box = this.box!;
    const same = this.shown === f;
    this.shown = f;
    this.keyboard = focus;
    if (!same) {
      const serial = ++this.serial;
      els.tag.textContent = CATEGORY_LABEL[f.category] ?? f.category;
      els.badge.textContent = '';
      els.badge.hidden = true;
      els.title.textContent = f.title;
      els.brief.textContent = '';
      els.assert.textContent = cueLine(f) ? `${ASSERTION_LABEL[f.assertion]}: ${cueLine(f)}` : '';
      els.context.textContent = contextLine(f);
      box.setAttribute('aria-label', `Chartlight: ${f.title}`);
      void this.opts.brief(f.concept).then((b) => {
        if (!b || serial !== this.serial) return;
        els.brief.textContent = b.summary;
        els.badge.textContent = EVIDENCE_LABEL[b.evidence] ?? b.evidence;
        els.badge.hidden = false;
      });
    }
    box.hidden = false;
    this.place(rect);
    if (focus) {
      const active = this.opts.doc.activeElement;
      if (!this.returnFocus && active instanceof this.opts.doc.defaultView!.HTMLElement && active !== this.host) {
        this.returnFocus = active;
      }
      this.button!.focus({ preventScroll: true });
    }
  }

  private place(rect: { left: number; top: number; bottom: number }): void {
    const box = this.box!;
    const view = this.opts.doc.documentElement;
    const vw = view.clientWidth || 800;
    const vh = view.clientHeight || 600;
    const w = box.offsetWidth || 320;
    const h = box.offsetHeight || 160;
    const GAP = 6;
    let top = rect.bottom + GAP;
    if (top + h > vh && rect.top - GAP - h >= 0) top = rect.top - GAP - h;
    const left = Math.max(4, Math.min(rect.left, vw - w - 4));
    box.style.left = `${Math.round(left)}px`;
    box.style.top = `${Math.round(Math.max(4, top))}px`;
  }

  /** The shown mention was found again by a later pass (a re-render): keep the card as it is. */
  rebind(f: Finding): void {
    if (this.shown) this.shown = f;
  }

  /** The pointer is over the word or the card: keep the card. */
  enter(): void {
    this.hovered = true;
    this.cancelHide();
  }

  /** The pointer left the word or the card: close after the grace period unless it comes back. */
  leave(): void {
    this.hovered = false;
    if (!this.shown || this.keyboard || this.hideTimer !== null) return;
    this.hideTimer = setTimeout(() => {
      this.hideTimer = null;
      if (!this.hovered) this.hide();
    }, HIDE_GRACE_MS);
  }

  private cancelHide(): void {
    if (this.hideTimer !== null) clearTimeout(this.hideTimer);
    this.hideTimer = null;
  }

  hide(): void {
    this.cancelHide();
    if (!this.shown) return;
    this.shown = null;
    this.keyboard = false;
    this.serial++;
    if (this.box) this.box.hidden = true;
    const back = this.returnFocus;
    this.returnFocus = null;
    if (back && back.isConnected) back.focus({ preventScroll: true });
    // <body> (the usual place focus came from) takes no focus, and the browser only moves focus
    // off a hidden element at its next frame: until then keys would still go to the closed card.
    if (this.button && this.host?.shadowRoot?.activeElement === this.button) this.button.blur();
  }

  private destroy(): void {
    this.cancelHide();
    this.host?.remove();
    this.host = null;
    this.box = null;
    this.els = null;
    this.button = null;
    this.shown = null;
  }
}
