import client from 'prom-client';

/** One Prometheus registry for the process; modules register their own metrics here. */
export interface Metrics {
  registry: client.Registry;
  httpDuration: client.Histogram<'method' | 'route' | 'status'>;
  fhirDuration: client.Histogram<'method' | 'interaction' | 'outcome'>;
}

export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'wintehr_' });
  const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    httpDuration: new client.Histogram({
      name: 'wintehr_http_request_duration_seconds',
      help: 'HTTP requests served by the API, by route pattern',
      labelNames: ['method', 'route', 'status'],
      buckets,
      registers: [registry],
    }),
    fhirDuration: new client.Histogram({
      name: 'wintehr_hapi_request_duration_seconds',
      help: 'Requests from the API to HAPI FHIR',
      labelNames: ['method', 'interaction', 'outcome'],
      buckets,
      registers: [registry],
    }),
  };
}

/**
 * Gauges read at scrape time for what waits instead of failing: audit records buffered while PostgreSQL is away
 * (and any dropped past the bound), and domain events not yet relayed to Redis. A rising value is the early sign of an
 * outage the requests themselves ride out.
 */
export function addBacklogGauges(
  metrics: Metrics,
  sources: {
    audit: () => { buffered: number; dropped: number };
    pendingEvents: () => Promise<number>;
  },
): void {
  new client.Gauge({
    name: 'wintehr_audit_buffered_records',
    help: 'Audit records accepted but not yet in PostgreSQL (buffered through an outage)',
    registers: [metrics.registry],
    collect() {
      this.set(sources.audit().buffered);
    },
  });
  new client.Gauge({
    name: 'wintehr_audit_dropped_records',
    help: 'Audit records dropped since start because the bounded buffer overflowed (must stay 0)',
    registers: [metrics.registry],
    collect() {
      this.set(sources.audit().dropped);
    },
  });
  new client.Gauge({
    name: 'wintehr_event_outbox_pending',
    help: 'Domain events in the PostgreSQL outbox not yet relayed to Redis',
    registers: [metrics.registry],
    async collect() {
      // An unreachable database must not fail the whole scrape: the gauge is left out of this one.
      const n = await sources.pendingEvents().catch(() => undefined);
      if (n !== undefined) this.set(n);
    },
  });
}
