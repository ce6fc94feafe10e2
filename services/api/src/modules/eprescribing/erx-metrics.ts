import client from 'prom-client';
import type { AppDeps } from '../../core/deps';

/**
 * The e-prescribing outbox seen from Prometheus: messages waiting for the network (pending) and those that failed
 * for good (error), read at scrape time. Pending that only rises means the network or the worker is down.
 */
const ERX_GAUGE = 'wintehr_erx_outbox_messages';

export function registerErxGauges(deps: Pick<AppDeps, 'metrics' | 'pg'>): void {
  // Once per registry: an app built twice on the same deps (tests) must not register the gauge twice.
  if (deps.metrics.registry.getSingleMetric(ERX_GAUGE)) return;
  new client.Gauge({
    name: ERX_GAUGE,
    help: 'Outbound NCPDP SCRIPT messages by outbox status (pending = not yet answered by the network)',
    labelNames: ['status'],
    registers: [deps.metrics.registry],
    async collect() {
      const rows = await deps.pg
        .query<{ status: string; n: string }>(
          `SELECT status, count(*) AS n FROM erx_messages
            WHERE direction = 'outbound' AND status IN ('pending', 'error') GROUP BY status`,
        )
        .then((r) => r.rows)
        .catch(() => undefined);
      if (!rows) return;
      this.reset();
      for (const status of ['pending', 'error'])
        this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
    },
  });
}
