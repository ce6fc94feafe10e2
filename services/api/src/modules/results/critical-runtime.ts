import type { AppDeps } from '../../core/deps';
import { startResultEscalation, type ResultEscalation } from './escalation';
import { sweepCriticalResults } from './critical-sweep';

const SWEEP_EVERY_MS = 60_000;
/** A slow HAPI must not hold the worklist: after this the rows already recorded are shown. */
const READ_WAIT_MS = 4_000;

export interface CriticalRuntime {
  escalation: ResultEscalation;
  /** Brings the alert table up to date with HAPI (coalesced; never throws). */
  sweep(): Promise<void>;
  /** Waits (a few seconds at most) for a sweep that started after this call: readers share one sweep. */
  fresh(): Promise<void>;
}

const runtimes = new WeakMap<AppDeps, CriticalRuntime>();

/** The results module's background parts for one app: escalation jobs and the sweep that feeds them. */
export function criticalRuntime(deps: AppDeps): CriticalRuntime {
  let rt = runtimes.get(deps);
  if (rt) return rt;
  const escalation = startResultEscalation(deps);
  let running: Promise<void> | undefined;
  /** When the latest successful sweep started: it saw everything HAPI held at that moment. */
  let sawUpTo = 0;
  const sweep = () =>
    (running ??= (async () => {
      const started = Date.now();
      try {
        const o = await sweepCriticalResults(deps);
        sawUpTo = started;
        if (o.inserted) deps.logger.info({ ...o }, 'critical results found by the sweep');
      } catch (err) {
        deps.logger.warn({ err: { message: (err as Error).message } }, 'critical-result sweep failed');
      } finally {
        running = undefined;
      }
    })());
  rt = {
    escalation,
    sweep,
    async fresh() {
      const asked = Date.now();
      // A sweep already running may have started before the result the reader is looking for: then one more.
      const work = (async () => {
        for (let i = 0; i < 2 && sawUpTo < asked; i++) await sweep();
      })();
      let t: NodeJS.Timeout | undefined;
      await Promise.race([work, new Promise<void>((r) => (t = setTimeout(r, READ_WAIT_MS)))]);
      clearTimeout(t);
    },
  };
  runtimes.set(deps, rt);
  deps.onClose(() => escalation.close());
  return rt;
}

/** Module start: the first sweep (a full one on a new database) and one a minute after it. */
export function startCriticalResults(deps: AppDeps): void {
  const rt = criticalRuntime(deps);
  void rt.sweep();
  const timer = setInterval(() => void rt.sweep(), SWEEP_EVERY_MS).unref();
  deps.onClose(async () => clearInterval(timer));
}
