import { AppError, ServiceUnavailableError } from '../../core/errors';
import { batchOutcome, forEachLimited, outcomeOf } from './batch-outcome';

const result = (status: 'active' | 'inactive' | 'unknown') => ({
  ok: {
    result: {
      status,
      payer: { name: 'P', id: '60054' },
      memberId: 'M1',
      serviceDate: '2026-12-05',
      checkedAt: '2026-12-04T02:00:00Z',
      benefits: [],
      coverageId: 'c1',
      requestId: 'r1',
      responseId: 's1',
    },
    audit: {},
  },
});

describe('eligibility outcome inside another workflow', () => {
  it('an answer is checked, with the payer status as the batch outcome', () => {
    const o = outcomeOf(result('inactive'));
    expect(o).toMatchObject({ state: 'checked', coverageId: 'c1' });
    expect(batchOutcome(o)).toBe('inactive');
  });

  it('a payer rejection keeps its AAA details', () => {
    const e = new AppError(422, 'ELIGIBILITY_REJECTED', 'The payer could not confirm eligibility: x', {
      rejections: [{ loop: 'subscriber', reasonCode: '75', followUpCode: 'N', message: 'x' }],
    });
    const o = outcomeOf({ error: e }, 'c9');
    expect(o).toMatchObject({ state: 'rejected', coverageId: 'c9', rejections: [{ reasonCode: '75' }] });
    expect(batchOutcome(o)).toBe('rejected');
  });

  it('transport failures and missing coverage are "not checked" with words for the desk', () => {
    const down = outcomeOf({ error: new ServiceUnavailableError('CLEARINGHOUSE_UNAVAILABLE', 'down') });
    expect(down).toEqual({
      state: 'not-checked',
      code: 'CLEARINGHOUSE_UNAVAILABLE',
      message: 'not checked (clearinghouse unavailable)',
    });
    expect(batchOutcome(down)).toBe('failed');
    const none = outcomeOf({ error: new AppError(422, 'NO_ACTIVE_COVERAGE', 'none') });
    expect(batchOutcome(none)).toBe('noCoverage');
  });

  it('errors that are not about eligibility (bugs, bad input) are rethrown', () => {
    expect(() => outcomeOf({ error: new TypeError('bug') })).toThrow(TypeError);
    expect(() => outcomeOf({ error: new AppError(400, 'VALIDATION_ERROR', 'bad') })).toThrow(AppError);
  });
});

describe('forEachLimited', () => {
  it('never runs more than the limit at once and visits every item once', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      seen.push(n);
      running--;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
