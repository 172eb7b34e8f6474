import { describe, expect, it } from 'vitest';
import { cueText, groupFindings, markSentence, sentenceParts } from '../../../lib/panel/findings';
import { data, findingsOf, tabOf } from './fixtures';

const byId = new Map(data.entries.map((e) => [e.id, e]));
const groupsOf = (text: string) =>
  Object.fromEntries(groupFindings(tabOf([text]), byId).map((g) => [g.id, g.rows.map((r) => r.concept)]));

describe('page findings grouped by clinical weight', () => {
  it.each([
    ['Worst headache of life.', 'red-flags', 'thunderclap-headache'],
    ['Denies aura.', 'absent', 'aura'],
    ['No fever.', 'absent', 'fever'],
    ['Mother with migraines.', 'family', 'migraine'],
    ['No family history of migraine.', 'family', 'migraine'],
    ['Pt has photophobia.', 'present', 'photophobia'],
    ['Chronic migraine.', 'diagnoses', 'chronic-migraine'],
    ['Return if thunderclap headache.', 'hypothetical', 'thunderclap-headache'],
    ['History of hypertension.', 'cautions', 'hypertension'],
    ['Migraines improved during her last pregnancy.', 'past', 'pregnancy'],
    ['Ketamine infusion started.', 'medications', 'ketamine'],
  ])('%s → %s', (text, group, concept) => {
    expect(groupsOf(text)[group]).toContain(concept);
  });

  it('keeps a denied family history out of what the patient is documented not to have', () => {
    const g = groupsOf('Migraine. No family history of migraine.');
    expect(g.diagnoses).toEqual(['migraine']);
    expect(g.absent).toBeUndefined();
    expect(g.family).toEqual(['migraine']);
  });

  it('never counts a negated symptom as present', () => {
    const g = groupsOf('Photophobia. No phonophobia.');
    expect(g.present).toEqual(['photophobia']);
    expect(g.absent).toEqual(['phonophobia']);
  });

  it('orders groups red flags first and counts repeated mentions in one row', () => {
    const groups = groupFindings(tabOf(['Photophobia today. Worst headache of life. Photophobia again.']), byId);
    expect(groups.map((g) => g.id)).toEqual(['red-flags', 'present']);
    expect(groups[1]!.rows[0]!.occurrences).toHaveLength(2);
  });

  it('keeps the frame and index for reveal, and none for text fields', () => {
    const tab = tabOf(['Nausea.', 'Mild nausea and photophobia.'], [{ label: 'Note', text: 'Photophobia.' }]);
    const rows = groupFindings(tab, byId).flatMap((g) => g.rows);
    const photo = rows.find((r) => r.concept === 'photophobia')!;
    expect(photo.occurrences.map((o) => [o.frameId, o.index])).toEqual([
      [0, null],
      [1, 1],
    ]);
  });
});

describe('basis of a finding', () => {
  it('marks exactly the matched words of the sentence', () => {
    const [f] = findingsOf('First sentence. Pt reports photophobia today.').filter((x) => x.concept === 'photophobia');
    expect(markSentence(f!)).toEqual({ before: 'Pt reports ', match: 'photophobia', after: ' today.' });
  });

  it('leaves the sentence unmarked when offsets fall outside it', () => {
    const [f] = findingsOf('Photophobia.');
    expect(markSentence({ ...f!, start: 500, end: 510 }).match).toBe('');
  });

  it('names the cue that set the context', () => {
    expect(cueText(findingsOf('Denies aura.')[0]!)).toEqual(["denied: 'Denies'"]);
    const sheet = 'Time\tAura\n09:00\tNo\n09:30\tNo\nEnd of flowsheet.';
    const header = findingsOf(sheet).find((x) => x.text === 'Aura')!;
    expect(cueText(header)).toEqual(["denied: column 'No' in every row"]);
  });
});

describe('sentence parts', () => {
  it('marks the match and the cue phrase in place', () => {
    const f = findingsOf('Pt denies aura today.').find((x) => x.concept === 'aura')!;
    expect(sentenceParts(f)).toEqual([
      { text: 'Pt ', kind: 'plain' },
      { text: 'denies', kind: 'cue' },
      { text: ' ', kind: 'plain' },
      { text: 'aura', kind: 'match' },
      { text: ' today.', kind: 'plain' },
    ]);
  });

  it('ignores cues outside the sentence (a section header) and keeps all the text', () => {
    const f = findingsOf('Photophobia.')[0]!;
    const withSection = {
      ...f,
      cues: [{ flag: 'family' as const, text: 'Family History', start: 0, end: 500, kind: 'section' as const }],
    };
    expect(
      sentenceParts(withSection)
        .map((p) => p.text)
        .join(''),
    ).toBe(f.sentence);
    expect(sentenceParts(withSection).some((p) => p.kind === 'cue')).toBe(false);
  });
});
