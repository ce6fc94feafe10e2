import type { EligibilityBatchRun } from '@wintehr/contracts';

/** "40 patients: 38 active, 1 inactive, 1 failed" — the counts that are not zero, in a fixed order. */
export function runSummary(r: EligibilityBatchRun): string {
  const c = r.counts;
  const parts = (
    [
      ['active', c.active],
      ['inactive', c.inactive],
      ['unknown', c.unknown],
      ['rejected by the payer', c.rejected],
      ['failed', c.failed],
      ['without coverage', c.noCoverage],
      ['already checked', c.skipped],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${n} ${label}`);
  return `${c.patients} patient${c.patients === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}
