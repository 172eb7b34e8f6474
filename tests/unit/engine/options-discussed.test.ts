/**
 * A treatment talked about as an option, or one the patient wants to think about, is not a
 * treatment given: it reads hypothetical, as "Discussed ketamine infusion as an option" did.
 */
import { describe, expect, it } from 'vitest';
import { read } from './read-findings';

describe('a treatment discussed after its name', () => {
  it('is hypothetical when discussed as an option or while the patient decides', () => {
    expect(read('Ketamine was discussed as an option.')).toEqual(['Ketamine hypothetical']);
    expect(read('Ketamine as an alternative to DHE.')).toEqual(['Ketamine hypothetical', 'DHE affirmed']);
    expect(read('Ketamine discussed, patient prefers to wait.')).toEqual(['Ketamine hypothetical']);
    expect(read('Ketamine discussed, pt would like to think about it.')).toEqual(['Ketamine hypothetical']);
  });

  it('is given when it was only discussed with a colleague', () => {
    expect(read('Ketamine discussed with pharmacy; infusion started at 14:00.')).toEqual(['Ketamine affirmed']);
  });
});

describe('a treatment the patient may use or take', () => {
  it('is advice, not a medication taken', () => {
    expect(read('Avoid NSAIDs; may use acetaminophen.')).toEqual(['NSAIDs hypothetical', 'acetaminophen hypothetical']);
    expect(read('May repeat sumatriptan after 2 hours.')).toEqual(['sumatriptan hypothetical']);
  });
});
