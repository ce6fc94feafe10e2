import { z } from 'zod';

/**
 * The clearinghouse simulator's configuration. The credentials pair with the API's CLEARINGHOUSE_USER /
 * CLEARINGHOUSE_PASSWORD (CAQH CORE Phase II carries them in the envelope's UserName/Password fields); the
 * defaults are development values only.
 */
const Env = z.object({
  CLEARINGHOUSE_HOST: z.string().default('127.0.0.1'),
  CLEARINGHOUSE_PORT: z.coerce.number().int().min(0).max(65535).default(8092),
  CLEARINGHOUSE_USER: z.string().min(1).default('wintehr-ehr'),
  CLEARINGHOUSE_PASSWORD: z.string().min(8).default('dev-clearinghouse-secret'),
  /** ISA06/ISA08 of the clearinghouse itself. */
  CLEARINGHOUSE_ID: z.string().min(1).max(15).default('CLEARHOUSE'),
  /** How long the "timeout" fault keeps the connection silent before dropping it. */
  CLEARINGHOUSE_TIMEOUT_FAULT_MS: z.coerce.number().int().min(0).max(120_000).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface ClearinghouseConfig {
  host: string;
  port: number;
  credentials: { user: string; password: string };
  clearinghouseId: string;
  timeoutFaultMs: number;
  logLevel: string;
}

export function loadClearinghouseConfig(env: NodeJS.ProcessEnv = process.env): ClearinghouseConfig {
  const r = Env.safeParse(env);
  if (!r.success)
    throw new Error(
      `Invalid clearinghouse configuration: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const e = r.data;
  return {
    host: e.CLEARINGHOUSE_HOST,
    port: e.CLEARINGHOUSE_PORT,
    credentials: { user: e.CLEARINGHOUSE_USER, password: e.CLEARINGHOUSE_PASSWORD },
    clearinghouseId: e.CLEARINGHOUSE_ID,
    timeoutFaultMs: e.CLEARINGHOUSE_TIMEOUT_FAULT_MS,
    logLevel: e.LOG_LEVEL,
  };
}
