import type { EligibilityBatchCounts, EligibilityOutcome } from '@wintehr/contracts';
import { AppError } from '../../core/errors';
import type { CheckOutcome } from './eligibility.service';
import type { EligibilityRejection } from '@wintehr/contracts';

/**
 * What one check gave, when the check runs inside another workflow (the nightly batch, registration) whose own
 * success must not depend on the payer: the answer, the payer's rejection, or why it was not checked. Pure.
 */
export type BatchOutcome = 'active' | 'inactive' | 'unknown' | 'rejected' | 'failed' | 'noCoverage';

const NOT_CHECKED: Record<string, string> = {
  CLEARINGHOUSE_UNAVAILABLE: 'not checked (clearinghouse unavailable)',
  CLEARINGHOUSE_TIMEOUT: 'not checked (the clearinghouse did not answer in time)',
  CLEARINGHOUSE_ERROR: 'not checked (clearinghouse error)',
  CLEARINGHOUSE_BAD_RESPONSE: 'not checked (unreadable answer from the clearinghouse)',
  CLEARINGHOUSE_REFUSED: 'not checked (the clearinghouse refused the request)',
  CLEARINGHOUSE_REJECTED_X12: 'not checked (the clearinghouse rejected the request)',
  NO_ACTIVE_COVERAGE: 'not checked (no active coverage)',
  ELIGIBILITY_DATA_MISSING: 'not checked (insurance data incomplete)',
  HAPI_UNAVAILABLE: 'not checked (the record store is unavailable)',
};

/** Turns a check's result or error into an outcome; errors that are not about eligibility are rethrown. */
export function outcomeOf(r: { ok: CheckOutcome } | { error: unknown }, coverageId?: string): EligibilityOutcome {
  if ('ok' in r) return { state: 'checked', coverageId: r.ok.result.coverageId, result: r.ok.result };
  const e = r.error;
  if (!(e instanceof AppError)) throw e;
  if (e.code === 'ELIGIBILITY_REJECTED') {
    const d = (e.details ?? {}) as { rejections?: EligibilityRejection[] };
    return {
      state: 'rejected',
      coverageId: coverageId ?? '',
      message: e.message,
      rejections: d.rejections ?? [],
    };
  }
  const message = NOT_CHECKED[e.code] ?? (e.status >= 500 ? 'not checked (service unavailable)' : undefined);
  if (!message) throw e;
  return { state: 'not-checked', ...(coverageId ? { coverageId } : {}), code: e.code, message };
}

export function batchOutcome(o: EligibilityOutcome): BatchOutcome {
  if (o.state === 'checked') return o.result.status;
  if (o.state === 'rejected') return 'rejected';
  return o.code === 'NO_ACTIVE_COVERAGE' ? 'noCoverage' : 'failed';
}

export function emptyCounts(): EligibilityBatchCounts {
  return {
    appointments: 0,
    patients: 0,
    active: 0,
    inactive: 0,
    unknown: 0,
    rejected: 0,
    failed: 0,
    noCoverage: 0,
    skipped: 0,
  };
}

/** Runs `fn` over `items` with at most `limit` at once; a rejection of one item is the caller's to catch in fn. */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
