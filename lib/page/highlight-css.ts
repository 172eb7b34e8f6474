/**
 * The highlight rules as text, for the places the extension's style sheet does not reach (open
 * shadow roots, frames it was not injected into), where they are adopted as a constructed sheet.
 * Made from this table rather than carried as a second copy of highlights.css: the 42 rules differ
 * only in colour and line, and the copy was the content script's largest string. A unit test
 * holds the two to the same rules, declaration for declaration.
 */
import { HIGHLIGHT_CATEGORIES } from '../engine/types';
import { ASSERTION_SUFFIXES } from './highlight-names';

/** Per category, in HIGHLIGHT_CATEGORIES order: the ink (line) and the fill of an affirmed mention. */
const COLOURS = [
  ['#b3261e', 'rgba(179,38,30,.16)'],
  ['#5b3cc4', 'rgba(91,60,196,.14)'],
  ['#0b6e99', 'rgba(11,110,153,.14)'],
  ['#7a4f01', 'rgba(196,140,0,.2)'],
  ['#2e6b30', 'rgba(46,107,48,.15)'],
  ['#8a3b8f', 'rgba(138,59,143,.13)'],
  ['#a34700', 'rgba(230,120,0,.2)'],
] as const;

/** The line of each context, in ASSERTION_SUFFIXES order (affirmed: a solid underline). */
const LINES = ['line-through solid', 'underline dotted', 'underline dashed', 'underline wavy', 'underline double'];

const rule = (name: string, fill: string, line: string, ink: string) =>
  `::highlight(chartlight-${name}){background-color:${fill};text-decoration:${line} ${ink};` +
  'text-decoration-thickness:2px;text-underline-offset:2px}';

export const HIGHLIGHT_CSS =
  HIGHLIGHT_CATEGORIES.map((c, i) => {
    const [ink, fill] = COLOURS[i]!;
    return (
      rule(c, fill, 'underline solid', ink) +
      ASSERTION_SUFFIXES.map((a, k) => rule(`${c}-${a}`, 'transparent', LINES[k]!, ink)).join('')
    );
  }).join('') + '::highlight(chartlight-focus){background-color:#ffd54a;color:#000}';
