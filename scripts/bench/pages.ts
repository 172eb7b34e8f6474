/**
 * Synthetic EHR pages for the benchmark: flowsheets, progress notes, problem lists with ICD-10-CM
 * codes and medication lists, generated from a seed so every run measures the same page. The text
 * is invented (no patient ever wrote or was described by it); its density of migraine language is
 * set to look like a headache clinic's chart: most sentences say nothing about migraine, some name
 * a symptom, a drug or a diagnosis, some deny one.
 */

/** A small, fast, seedable generator (mulberry32); the same seed gives the same page. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedPage {
  html: string;
  /** Element and text nodes under <body>, counted as they are written. */
  nodes: number;
  textNodes: number;
  /** Characters of text content under <body>. */
  textChars: number;
}

export interface PageOptions {
  /** Stop adding sections once the page has about this many nodes. */
  targetNodes: number;
  seed: number;
  title?: string;
}

/** Sentences that mention migraine language (the kind a neurology note is made of). */
const CLINICAL = [
  'Patient reports migraine with aura, visual zigzags lasting 20 minutes before the headache.',
  'Denies aura, photophobia or phonophobia today.',
  'Headache is throbbing, unilateral, with nausea and photophobia.',
  'Mother with migraines since her twenties.',
  'History of chronic migraine, now 10 headache days per month.',
  'Started ketamine infusion at the infusion center; tolerated well.',
  'No fever, no neck stiffness, no thunderclap headache.',
  'Reports pins and needles in the left hand during the aura.',
  'Migraine without aura, episodic, responds to sumatriptan.',
  'Possible medication overuse headache; counselled on limiting triptans.',
  'Nausea and vomiting with the last two attacks.',
  'If the headache recurs, return for reassessment.',
  'Photophobia improved on the second day.',
  'She had a worst headache of life episode in 2019, imaging was normal.',
  'CM with frequent migraine attacks despite topiramate.',
  'Family history of migraine in a sister.',
];

/** Sentences that say nothing the lexicon knows (most of a chart). */
const PLAIN = [
  'Vital signs were reviewed and are within normal limits for age.',
  'The patient arrived on time, accompanied by her partner.',
  'Blood pressure rechecked after five minutes of rest.',
  'Follow up in the clinic in three months, sooner if needed.',
  'Medication reconciliation completed with the pharmacist.',
  'Discussed sleep hygiene, regular meals and hydration.',
  'Labs from last week: complete blood count and metabolic panel unremarkable.',
  'Lungs clear to auscultation bilaterally, heart regular rate and rhythm.',
  'She works as a teacher and exercises twice a week.',
  'Allergies reviewed, no changes since the previous visit.',
  'Cranial nerves II through XII intact, strength full in all extremities.',
  'Gait steady, tandem walk normal, Romberg negative.',
  'Patient education materials were provided in print.',
  'Insurance authorisation requested for the next appointment.',
];

const PROBLEMS: [string, string][] = [
  ['Migraine without aura, not intractable', 'G43.009'],
  ['Migraine with aura, not intractable', 'G43.109'],
  ['Chronic migraine without aura, intractable', 'G43.719'],
  ['Menstrual migraine, not intractable', 'G43.829'],
  ['Tension-type headache, episodic', 'G44.219'],
  ['Essential hypertension', 'I10'],
  ['Hypothyroidism, unspecified', 'E03.9'],
  ['Generalized anxiety disorder', 'F41.1'],
  ['Vitamin D deficiency', 'E55.9'],
];

const MEDICATIONS = [
  'sumatriptan 50 mg tablet',
  'topiramate 25 mg tablet',
  'propranolol 40 mg tablet',
  'ondansetron 4 mg tablet',
  'levothyroxine 75 mcg tablet',
  'lisinopril 10 mg tablet',
  'ibuprofen 400 mg tablet',
  'erenumab 70 mg/mL autoinjector',
];

/** Builds HTML while counting the nodes and characters it writes. */
class PageWriter {
  private readonly parts: string[] = [];
  nodes = 0;
  textNodes = 0;
  textChars = 0;

  open(tag: string, attrs = ''): void {
    this.parts.push(attrs ? `<${tag} ${attrs}>` : `<${tag}>`);
    this.nodes++;
  }

  close(tag: string): void {
    this.parts.push(`</${tag}>`);
  }

  text(s: string): void {
    this.parts.push(escapeHtml(s));
    this.nodes++;
    this.textNodes++;
    this.textChars += s.length;
  }

  /** `<tag>text</tag>`: two nodes. */
  leaf(tag: string, s: string, attrs = ''): void {
    this.open(tag, attrs);
    this.text(s);
    this.close(tag);
  }

  raw(s: string): void {
    this.parts.push(s);
  }

  html(): string {
    return this.parts.join('');
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}

/** A note paragraph: about one sentence in three carries migraine language. */
export function noteParagraph(rnd: () => number): string {
  const n = 3 + Math.floor(rnd() * 6);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(rnd() < 0.33 ? pick(rnd, CLINICAL) : pick(rnd, PLAIN));
  return out.join(' ');
}

function flowsheet(w: PageWriter, rnd: () => number, rows: number, day: number): void {
  w.open('section', 'class="flowsheet"');
  w.leaf('h3', `Flowsheet, day ${day}`);
  w.open('table');
  w.open('thead');
  w.open('tr');
  for (const h of ['Time', 'BP', 'HR', 'Pain (0-10)', 'Symptoms', 'Comment']) w.leaf('th', h);
  w.close('tr');
  w.close('thead');
  w.open('tbody');
  for (let r = 0; r < rows; r++) {
    const hour = String(6 + ((r * 2) % 18)).padStart(2, '0');
    w.open('tr');
    w.leaf('td', `${hour}:00`);
    w.leaf('td', `${105 + Math.floor(rnd() * 40)}/${60 + Math.floor(rnd() * 30)}`);
    w.leaf('td', String(55 + Math.floor(rnd() * 45)));
    w.leaf('td', String(Math.floor(rnd() * 11)));
    const s = rnd();
    w.leaf('td', s < 0.15 ? 'Photophobia: yes' : s < 0.25 ? 'Aura: none' : s < 0.32 ? 'Nausea' : 'None reported');
    w.leaf('td', rnd() < 0.2 ? 'Headache unchanged after fluids' : 'Resting comfortably');
    w.close('tr');
  }
  w.close('tbody');
  w.close('table');
  w.close('section');
}

function note(w: PageWriter, rnd: () => number, paragraphs: number, day: number): void {
  w.open('article', 'class="note"');
  w.leaf('h3', `Progress note, day ${day}`);
  const headers = ['Chief complaint', 'History of present illness', 'Past medical history', 'Family history', 'Plan'];
  for (let p = 0; p < paragraphs; p++) {
    if (p % 2 === 0) w.leaf('h4', `${headers[(p / 2) % headers.length]}:`);
    w.open('p');
    // A sentence set in bold now and then splits the text over several nodes, as charts do.
    if (rnd() < 0.25) {
      w.text(noteParagraph(rnd) + ' ');
      w.leaf('b', pick(rnd, CLINICAL));
      w.text(' ' + pick(rnd, PLAIN));
    } else {
      w.text(noteParagraph(rnd));
    }
    w.close('p');
  }
  w.close('article');
}

function problemList(w: PageWriter, rnd: () => number): void {
  w.open('section', 'class="problems"');
  w.leaf('h3', 'Problem list');
  w.open('ul');
  const n = 4 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const [name, code] = pick(rnd, PROBLEMS);
    w.open('li');
    w.text(`${name} `);
    w.leaf('span', `(${code})`, 'class="code"');
    w.close('li');
  }
  w.close('ul');
  w.close('section');
}

function medicationList(w: PageWriter, rnd: () => number): void {
  w.open('section', 'class="medications"');
  w.leaf('h3', 'Medications');
  w.open('ul');
  const n = 3 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) w.leaf('li', pick(rnd, MEDICATIONS));
  w.close('ul');
  w.close('section');
}

/**
 * One chart page: a patient banner, then encounters (flowsheet, note, problem list, medications)
 * until the node budget is spent. About 30 characters of text per node, as on real EHR pages
 * (tables of short cells, notes of long paragraphs).
 */
export function generatePage(opts: PageOptions): GeneratedPage {
  const rnd = createRandom(opts.seed);
  const w = new PageWriter();
  w.raw('<!doctype html><html lang="en"><head><meta charset="utf-8">');
  w.raw(`<title>${escapeHtml(opts.title ?? 'Synthetic chart')}</title>`);
  w.raw(
    '<style>body{font:14px/1.4 sans-serif;margin:0 16px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}</style>',
  );
  w.raw('</head><body>');
  w.nodes = 1; // <body>
  w.open('header', 'class="banner"');
  w.leaf('h1', 'Synthetic Patient, DOB 01/01/1980 (test data)');
  w.leaf('p', 'Neurology headache clinic. Chief complaint: migraine follow-up with photophobia.');
  w.close('header');
  w.open('main');
  let day = 1;
  while (w.nodes < opts.targetNodes) {
    w.open('div', `class="encounter" data-day="${day}"`);
    note(w, rnd, 10 + Math.floor(rnd() * 8), day);
    flowsheet(w, rnd, 3 + Math.floor(rnd() * 5), day);
    problemList(w, rnd);
    medicationList(w, rnd);
    w.close('div');
    day++;
  }
  w.close('main');
  w.raw('</body></html>');
  return { html: w.html(), nodes: w.nodes, textNodes: w.textNodes, textChars: w.textChars };
}

/** Text for appended nodes in the page-update measurement: one clinical sentence each. */
export function updateSentences(seed: number, count: number): string[] {
  const rnd = createRandom(seed);
  return Array.from({ length: count }, () => pick(rnd, CLINICAL));
}

/** Every phrase the generator writes, for the peer's term list sanity checks. */
export const GENERATOR_SENTENCES = { clinical: CLINICAL, plain: PLAIN };
