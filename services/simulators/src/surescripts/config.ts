import { z } from 'zod';

/**
 * The simulator's configuration, from the environment with local-stack defaults. The credentials pair with the
 * API's SURESCRIPTS_USER / SURESCRIPTS_PASSWORD (EHR → network) and ERX_INBOUND_USER / ERX_INBOUND_PASSWORD
 * (network → EHR); the defaults are development values only.
 */
const Env = z.object({
  SIMULATOR_HOST: z.string().default('127.0.0.1'),
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(8091),
  SURESCRIPTS_USER: z.string().min(1).default('wintehr-ehr'),
  SURESCRIPTS_PASSWORD: z.string().min(8).default('dev-surescripts-secret'),
  EHR_INBOUND_URL: z.url().default('http://127.0.0.1:8000/api/erx/inbound'),
  ERX_INBOUND_USER: z.string().min(1).default('surescripts-network'),
  ERX_INBOUND_PASSWORD: z.string().min(8).default('dev-inbound-secret'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface SimulatorConfig {
  host: string;
  port: number;
  /** What the EHR must present (HTTP basic) on /script, /directory and /admin. */
  credentials: { user: string; password: string };
  /** Where pharmacy-originated messages are delivered, and the credentials presented there. */
  ehr: { inboundUrl: string; user: string; password: string };
  logLevel: string;
}

export function loadSimulatorConfig(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const r = Env.safeParse(env);
  if (!r.success)
    throw new Error(
      `Invalid simulator configuration: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const e = r.data;
  return {
    host: e.SIMULATOR_HOST,
    port: e.SIMULATOR_PORT,
    credentials: { user: e.SURESCRIPTS_USER, password: e.SURESCRIPTS_PASSWORD },
    ehr: { inboundUrl: e.EHR_INBOUND_URL, user: e.ERX_INBOUND_USER, password: e.ERX_INBOUND_PASSWORD },
    logLevel: e.LOG_LEVEL,
  };
}
