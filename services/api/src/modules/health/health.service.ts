import type { AppDeps } from '../../core/deps';
import { pingOrthanc } from '../imaging/orthanc-client';

export type DependencyName = 'hapi' | 'postgres' | 'redis' | 'orthanc';
export interface DependencyStatus {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}
export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: Record<DependencyName, DependencyStatus>;
}

async function timed(check: () => Promise<unknown>, timeoutMs: number): Promise<DependencyStatus> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Each dependency is probed in parallel with its own timeout, so one hung dependency cannot hang the probe. */
export async function checkReadiness(
  deps: Pick<AppDeps, 'fhir' | 'pg' | 'redis' | 'config'>,
  timeoutMs = 3_000,
): Promise<Readiness> {
  const [hapi, postgres, redis, orthanc] = await Promise.all([
    timed(() => deps.fhir.ping(timeoutMs), timeoutMs),
    timed(() => deps.pg.query('SELECT 1'), timeoutMs),
    timed(async () => {
      if (deps.redis.status === 'wait' || deps.redis.status === 'end')
        await deps.redis.connect().catch(() => undefined);
      return deps.redis.ping();
    }, timeoutMs),
    // The PACS behind /dicomweb (modules/imaging).
    timed(() => pingOrthanc(deps.config.imaging, timeoutMs), timeoutMs),
  ]);
  const checks = { hapi, postgres, redis, orthanc };
  // The PACS is reported, not required: without it only imaging fails (503 PACS_UNAVAILABLE); the chart keeps working.
  const required = [hapi, postgres, redis];
  return { status: required.every((c) => c.status === 'up') ? 'ready' : 'not_ready', checks };
}
