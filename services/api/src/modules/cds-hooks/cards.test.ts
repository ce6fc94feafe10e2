import { SUMMARY_MAX, clampSummary, dataUnavailableCard, issueCards, source } from './cards';
import type { CardDraft } from './cds-types';

const seq = () => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};

describe('clampSummary', () => {
  it.each([
    ['short', 'short'],
    ['  spaced\n out  ', 'spaced out'],
  ])('%j → %j', (input, out) => expect(clampSummary(input)).toBe(out));

  it('cuts long summaries under 140 characters at a word boundary', () => {
    const s = clampSummary(`Contraindicated interaction: ${'verylongword '.repeat(20)}end`);
    expect(s.length).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(s.endsWith('…')).toBe(true);
    expect(s).not.toMatch(/ …$/);
  });
});

describe('issueCards', () => {
  const draft = (extra: Partial<CardDraft> = {}): CardDraft => ({
    ruleId: 'r1',
    summary: 'S',
    indicator: 'warning',
    source: source('r1', 'Rule one'),
    ...extra,
  });

  it('assigns card and suggestion uuids, sets at-most-one only with suggestions, keeps rule ids aside', () => {
    const { cards, issued } = issueCards(
      [
        draft({
          suggestions: [
            {
              label: 'Remove',
              actions: [{ type: 'delete', description: 'Remove', resourceId: 'MedicationRequest/1' }],
            },
          ],
        }),
        draft({ ruleId: 'r2' }),
      ],
      seq(),
    );
    expect(cards[0]).toEqual({
      uuid: '00000000-0000-4000-8000-000000000001',
      summary: 'S',
      indicator: 'warning',
      source: source('r1', 'Rule one'),
      suggestions: [
        {
          label: 'Remove',
          uuid: '00000000-0000-4000-8000-000000000002',
          actions: [{ type: 'delete', description: 'Remove', resourceId: 'MedicationRequest/1' }],
        },
      ],
      selectionBehavior: 'at-most-one',
    });
    expect(cards[1]).not.toHaveProperty('selectionBehavior');
    expect(cards[1]).not.toHaveProperty('suggestions');
    expect(JSON.stringify(cards)).not.toContain('ruleId');
    expect(issued).toEqual([
      {
        uuid: cards[0]!.uuid,
        ruleId: 'r1',
        indicator: 'warning',
        suggestionUuids: ['00000000-0000-4000-8000-000000000002'],
      },
      { uuid: cards[1]!.uuid, ruleId: 'r2', indicator: 'warning', suggestionUuids: [] },
    ]);
  });

  it('returns no cards for no drafts', () => {
    expect(issueCards([], seq())).toEqual({ cards: [], issued: [] });
  });
});

describe('dataUnavailableCard', () => {
  it('explains that nothing was checked, and why', () => {
    const c = dataUnavailableCard('Medication safety check', ['allergies'], ['timeout']);
    expect(c).toMatchObject({
      ruleId: 'data-unavailable',
      indicator: 'warning',
      summary: 'Medication safety check could not run: the FHIR server did not answer in time',
    });
    expect(c.detail).toContain('**Nothing was checked**');
    expect(JSON.stringify(c)).not.toContain('null');
  });
});
