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
