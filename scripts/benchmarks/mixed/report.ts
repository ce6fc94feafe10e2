/** One step of the mixed workload: time to first byte (ms) and how many of its requests failed (4xx/5xx/errors). */
export interface Step {
  name: string;
  p50: number;
  p95: number;
  count: number;
  failed: number;
}

const fmt = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n.toFixed(0) : '-');

/** The façade beside the HAPI reference, step by step, in the order of the loop (names start with their number). */
export function stepRows(facade: Map<string, Step>, hapi: Map<string, Step>): string[] {
  const names = [...new Set([...facade.keys(), ...hapi.keys()])].sort();
  const rows = [
    '| step | façade p50 ms | façade p95 ms | requests | failed | HAPI p50 ms | HAPI p95 ms | p95 × HAPI |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const n of names) {
    const f = facade.get(n);
    const h = hapi.get(n);
    const ratio = f && h && h.p95 > 0 ? `${(f.p95 / h.p95).toFixed(1)}×` : '-';
    rows.push(
      `| ${n} | ${fmt(f?.p50)} | ${fmt(f?.p95)} | ${f?.count ?? 0} | ${f?.failed ?? 0} | ${fmt(h?.p50)} | ${fmt(h?.p95)} | ${ratio} |`,
    );
  }
  const over = names.filter((n) => (facade.get(n)?.p95 ?? 0) >= 200);
  rows.push(
    '',
    over.length ? `façade steps at or above p95 200 ms: ${over.join(', ')}` : 'every façade step under p95 200 ms',
  );
  return rows;
}

export function stepTable(facade: Map<string, Step>, hapi: Map<string, Step>): void {
  console.log(['', ...stepRows(facade, hapi)].join('\n'));
}
