/**
 * The highlight styles (entrypoints/content/highlights.css), read as the browser would: one rule per
 * contract-2 name, a non-colour cue for every context (the line's style), and ink that stays
 * visible — WCAG 1.4.11 asks 3:1 for graphical marks — on white and on the greys EHRs paint behind
 * their notes.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ASSERTION_PRECEDENCE, HIGHLIGHT_CATEGORIES, type Assertion } from '../../../lib/engine/types';
import { HIGHLIGHT_CSS } from '../../../lib/page/highlight-css';
import { highlightName } from '../../../lib/page/highlight-names';

const CSS_TEXT = readFileSync(resolve(import.meta.dirname, '../../../entrypoints/content/highlights.css'), 'utf8');

/** Page backgrounds seen in EHRs: white and three common greys. */
const BACKGROUNDS = ['#ffffff', '#f3f4f6', '#e8eaed', '#eef1f5'];
/** Dark body text as EHRs set it, for the text-on-tint check. */
const PAGE_TEXT = '#1a1a1a';

type Rgba = [number, number, number, number];

function parseColour(c: string): Rgba {
  const hex = /^#([0-9a-f]{6})$/i.exec(c.trim());
  if (hex) {
    const n = parseInt(hex[1]!, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  }
  const rgba = /^rgba?\(([^)]+)\)$/.exec(c.trim());
  if (rgba) {
    const [r, g, b, a] = rgba[1]!.split(',').map((x) => parseFloat(x));
    return [r!, g!, b!, a ?? 1];
  }
  if (c.trim() === 'transparent') return [0, 0, 0, 0];
  throw new Error(`unknown colour ${c}`);
}

function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i]! * a + bottom[i]! * (1 - a)).concat(1) as Rgba;
}

function luminance([r, g, b]: Rgba): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

interface Style {
  background: Rgba;
  line: string;
  lineStyle: string;
  ink: Rgba;
}

function rules(): Map<string, Style> {
  const out = new Map<string, Style>();
  for (const m of CSS_TEXT.matchAll(/::highlight\(([a-z-]+)\)\s*\{([^}]*)\}/g)) {
    const body = m[2]!;
    const prop = (name: string) => new RegExp(`${name}\\s*:\\s*([^;]+);`).exec(body)?.[1]?.trim();
    const deco = prop('text-decoration');
    if (!deco) continue;
    const [line, lineStyle, ...colour] = deco.split(/\s+/);
    out.set(m[1]!, {
      background: parseColour(prop('background-color') ?? 'transparent'),
      line: line!,
      lineStyle: lineStyle!,
      ink: parseColour(colour.join(' ')),
    });
  }
  return out;
}

const ASSERTIONS: Assertion[] = ['affirmed', ...ASSERTION_PRECEDENCE];
const NAMES = HIGHLIGHT_CATEGORIES.flatMap((c) => ASSERTIONS.map((a) => [c, a, highlightName(c, a)] as const));

describe('highlight styles', () => {
  const styles = rules();

  it('has a rule with a decoration for every contract-2 name', () => {
    for (const [, , name] of NAMES) expect(styles.has(name), name).toBe(true);
  });

  it.each(NAMES)('%s %s: ink at least 3:1 on white and EHR greys, under its own tint', (_c, _a, name) => {
    const s = styles.get(name)!;
    for (const bg of BACKGROUNDS) {
      const page = parseColour(bg);
      const behind = over(s.background, page);
      expect(contrast(s.ink, page), `${name} on ${bg}`).toBeGreaterThanOrEqual(3);
      expect(contrast(s.ink, behind), `${name} on its tint over ${bg}`).toBeGreaterThanOrEqual(3);
      // The tint must not make the page's own text hard to read (WCAG 1.4.3: 4.5:1).
      expect(contrast(parseColour(PAGE_TEXT), behind), `text on ${name} over ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('gives each context its own line, the same in every category, so colour is never the only cue', () => {
    for (const category of HIGHLIGHT_CATEGORIES) {
      const cues = ASSERTIONS.map((a) => {
        const s = styles.get(highlightName(category, a))!;
        return `${s.line} ${s.lineStyle}`;
      });
      expect(new Set(cues).size, category).toBe(ASSERTIONS.length);
      const reference = ASSERTIONS.map((a) => {
        const s = styles.get(highlightName('symptom', a))!;
        return `${s.line} ${s.lineStyle}`;
      });
      expect(cues, category).toEqual(reference);
    }
  });

  it('tells categories apart by ink colour', () => {
    const inks = HIGHLIGHT_CATEGORIES.map((c) => styles.get(highlightName(c, 'affirmed'))!.ink.join(','));
    expect(new Set(inks).size).toBe(HIGHLIGHT_CATEGORIES.length);
  });

  it('computes contrast as WCAG defines it', () => {
    expect(contrast(parseColour('#000000'), parseColour('#ffffff'))).toBeCloseTo(21, 5);
    expect(contrast(parseColour('#777777'), parseColour('#ffffff'))).toBeCloseTo(4.48, 2);
  });
});

/** Each rule of a style sheet's text: selector → its declarations, spaces and number forms normalised. */
function ruleTexts(css: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const plain = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const m of plain.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    const decls = m[2]!
      .split(';')
      .map((d) =>
        d
          .replace(/\s+/g, ' ')
          .replace(/\s*([:,()])\s*/g, '$1')
          .replace(/\b0\./g, '.')
          .trim(),
      )
      .filter(Boolean);
    out.set(m[1]!.trim(), decls);
  }
  return out;
}

describe('the highlight rules adopted into shadow roots and frames', () => {
  it('are the rules of the style sheet, declaration for declaration', () => {
    const sheet = ruleTexts(CSS_TEXT);
    expect(sheet.size).toBe(HIGHLIGHT_CATEGORIES.length * (ASSERTION_PRECEDENCE.length + 1) + 1);
    expect(ruleTexts(HIGHLIGHT_CSS)).toEqual(sheet);
  });
});
