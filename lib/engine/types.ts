import type { PrebuiltTrie } from './tokens';

/** Categories the page matcher marks; each has its own highlight style (contract 2). */
export const HIGHLIGHT_CATEGORIES = [
  'red-flag',
  'diagnosis',
  'symptom',
  'aura',
  'trigger',
  'drug',
  'ketamine',
] as const;
export type HighlightCategory = (typeof HIGHLIGHT_CATEGORIES)[number];

/**
 * Assertion values in the precedence order of contract 2: where several context flags apply, the
 * first in this list names the highlight.
 */
export const ASSERTION_PRECEDENCE = ['negated', 'family', 'hypothetical', 'uncertain', 'historical'] as const;
export type ContextFlag = (typeof ASSERTION_PRECEDENCE)[number];
export type Assertion = 'affirmed' | ContextFlag;

/** One concept the matcher can report: an entry of the knowledge base that has surface forms. */
export interface LexiconConcept {
  id: string;
  category: HighlightCategory;
  title: string;
}

/**
 * A surface form as compiled at build time. `text` is already normalised (see normalize.ts);
 * `caseSensitive` forms are compared against the page's original letters ("HA" never matches "ha").
 * `requires`, when present, is a regular expression that the sentence must also contain for an
 * ambiguous abbreviation to count ("CM" only near headache words, never "3 cm").
 */
export interface LexiconForm {
  text: string;
  concept: number;
  caseSensitive?: boolean;
  requires?: string;
  /** Found so that the shorter forms inside it are not, and never a mention itself ("headache clinic"). */
  stop?: boolean;
  /** Says its concept is absent ("afebrile", "neck supple"): the finding is negated by its own words. */
  absent?: boolean;
}

export interface CompiledLexicon {
  version: string;
  hash: string;
  concepts: LexiconConcept[];
  forms: LexiconForm[];
  /** ICD-10-CM codes without the dot, upper case, mapped to a concept index. */
  codes: Record<string, number>;
  context: CompiledContextRules;
  /** The engine's tries as data, made with the lexicon at build time: see `prebuildEngine`. */
  prebuilt?: PrebuiltEngine;
}

/**
 * What `createEngine` would otherwise work out from the lexicon's text on every start, in every
 * frame: the tries of the forms, the literal context rules and the section headers, and the
 * capturing groups of each pattern rule (counting them compiles the pattern).
 */
export interface PrebuiltEngine {
  /** The hash of the lexicon it was made from: with any other lexicon it is not used. */
  hash: string;
  forms: PrebuiltTrie;
  /** The context rules without a pattern, in order. */
  rules: PrebuiltTrie;
  sections: PrebuiltTrie;
  /** Capturing groups of each pattern rule, in order. */
  groups: number[];
}

export type ContextDirection = 'forward' | 'backward' | 'both' | 'terminate' | 'pseudo';

/**
 * A context (ConText) trigger as data; see knowledge/context/rules.json. A rule with a context
 * flag as category opens a scope in its direction; category "pseudo" blocks the triggers it
 * overlaps; category "terminate" ends every scope, while a flag with direction "terminate" ends
 * only that flag's scopes (", has" ends a negation, not a relative's).
 */
export interface ContextRule {
  literal: string;
  category: ContextFlag | 'terminate' | 'pseudo';
  direction: ContextDirection;
  /** Optional regular expression (case-insensitive) used instead of the literal. */
  pattern?: string;
  /** How many words the cue reaches; default DEFAULT_SCOPE_WORDS. */
  maxScope?: number;
  /**
   * Sections (by the context their header gives) where this cue is no cue: in a plan a hyphen
   * before a word is a bullet ("Plan: -sumatriptan prn"), in a review of systems it is "absent".
   */
  notInSection?: ContextFlag[];
}

export interface SectionRule {
  /** Header text as written, without the colon: "Family History". */
  literal: string;
  /** Context the section gives to everything in it, or null for a section that resets context. */
  category: ContextFlag | null;
  /**
   * A header written with its content on its own line heads that line only: "Allergies: sulfa"
   * in a banner says nothing of the note below it. Alone on its line it heads the lines after it,
   * as any header does.
   */
  lineOnly?: boolean;
  /**
   * A header written with its content beside it heads that line and the lines that carry it on
   * (starting in lower case, with a bullet or a number), not the next line that starts anew with a
   * capital: "FHx: negative for migraine." then "Headache worse today" is the patient's headache.
   * Alone on its line it heads the lines after it, as any header does.
   */
  inlineEndsWithLine?: boolean;
}

export interface CompiledContextRules {
  rules: ContextRule[];
  sections: SectionRule[];
}

/** The cue that set a finding's context, kept so the interface can show the basis. */
export interface Cue {
  flag: ContextFlag;
  text: string;
  start: number;
  end: number;
  /**
   * 'section' when a header ("Family History:") set it rather than a phrase in the sentence;
   * 'column' when a flowsheet header's column set it (the text is the column's first answer).
   */
  kind: 'phrase' | 'section' | 'column';
}

export interface ContextFlags {
  negated: boolean;
  uncertain: boolean;
  historical: boolean;
  hypothetical: boolean;
  family: boolean;
}

export interface Mention {
  concept: number;
  /** Offsets in the original text. */
  start: number;
  end: number;
  /** Token range in the folded text, for context classification. */
  firstToken: number;
  lastToken: number;
  /** An ICD-10-CM code ("G43.909") rather than words of the lexicon. */
  code?: boolean;
  /** Words that say the concept is absent ("afebrile"): see LexiconForm.absent. */
  absent?: boolean;
}

export interface Finding extends ContextFlags {
  concept: string;
  category: HighlightCategory;
  title: string;
  /** The page's own words, exactly as extracted. */
  text: string;
  start: number;
  end: number;
  assertion: Assertion;
  sentence: string;
  sentenceStart: number;
  cues: Cue[];
}
