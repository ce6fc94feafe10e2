/**
 * OpenTelemetry tracing, switched on by the standard environment variables and nothing else: an OTLP endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; headers, timeouts and OTEL_SERVICE_NAME as the
 * SDK reads them) or OTEL_TRACES_EXPORTER=console; OTEL_SDK_DISABLED=true wins. Off, nothing is loaded.
 *
 * It must run before express, pg, ioredis and http are first required (their instrumentations patch them on load):
 * main.ts imports this module first. It reads only OTEL_* variables, the SDK's own contract, which is why it is not
 * part of core/config.
 *
 * Spans name routes and statuses, never PHI: query strings (patient names in searches, ids in FHIR queries) are cut
 * from every URL attribute, SQL is recorded with its $n placeholders only, Redis commands by name only.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

type Env = Readonly<Record<string, string | undefined>>;

/** Which exporter the environment asks for, if any. */
export function telemetryExporter(env: Env): 'otlp' | 'console' | undefined {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return undefined;
  const named = env.OTEL_TRACES_EXPORTER?.toLowerCase();
  if (named === 'none') return undefined;
  if (named === 'console') return 'console';
  if (named === 'otlp' || env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return 'otlp';
  return undefined;
}

const URL_ATTRIBUTES = ['url.full', 'url.query', 'http.url', 'http.target', 'url.path', 'http.route'];

/** The attribute without its query string (`?q=Garcia` → nothing; `url.query` is dropped whole). */
export function scrubAttributes(attrs: Record<string, unknown>): void {
  for (const key of URL_ATTRIBUTES) {
    const v = attrs[key];
    if (typeof v !== 'string') continue;
    if (key === 'url.query') delete attrs[key];
    else attrs[key] = v.split('?')[0];
  }
}

/** Runs before the exporting processor on the same span object, so what leaves the process is already scrubbed. */
const scrubber: SpanProcessor = {
  onStart: () => undefined,
  onEnd: (span: ReadableSpan) => scrubAttributes(span.attributes as Record<string, unknown>),
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

function start(env: Env): NodeSDK | undefined {
  const exporter = telemetryExporter(env);
  if (!exporter) return undefined;
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? 'wintehr-api',
    spanProcessors: [
      scrubber,
      new BatchSpanProcessor({
        exporter: exporter === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter(),
      }),
    ],
    instrumentations: [
      new HttpInstrumentation(),
      new ExpressInstrumentation(),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      new IORedisInstrumentation({ dbStatementSerializer: (cmd) => cmd }),
      // Outgoing calls to HAPI, Orthanc and the simulators go through fetch (undici).
      new UndiciInstrumentation(),
    ],
  });
  sdk.start();
  const stop = () => void sdk.shutdown().catch(() => undefined);
  process.once('SIGTERM', stop);
  process.once('beforeExit', stop);
  return sdk;
}

export const telemetry = start(process.env);
