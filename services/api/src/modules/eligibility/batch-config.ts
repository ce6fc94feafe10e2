import { z } from 'zod';

/**
 * The nightly batch's settings, read from the environment when the module starts (a bad value stops the start):
 * `ELIGIBILITY_BATCH_CRON` (default 02:00 every day, in `CLINIC_TIME_ZONE`), `ELIGIBILITY_BATCH_CONCURRENCY`
 * (checks at once; the clearinghouse is a shared partner, so a few), `ELIGIBILITY_BATCH` (schedule the job here;
 * default yes, except under NODE_ENV=test where tests run it themselves).
 */
const CRON = /^(\S+\s+){4}\S+$/;
const Env = z.object({
  ELIGIBILITY_BATCH_CRON: z
    .string()
    .trim()
    .regex(CRON, 'a five-field cron expression such as "0 2 * * *"')
    .default('0 2 * * *'),
  ELIGIBILITY_BATCH_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(4),
  ELIGIBILITY_BATCH: z.enum(['true', 'false']).optional(),
  NODE_ENV: z.string().optional(),
});

export interface BatchConfig {
  cron: string;
  concurrency: number;
  enabled: boolean;
}

export function batchConfig(env: NodeJS.ProcessEnv = process.env): BatchConfig {
  const r = Env.safeParse(env);
  if (!r.success)
    throw new Error(
      `Invalid configuration: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const e = r.data;
  return {
    cron: e.ELIGIBILITY_BATCH_CRON,
    concurrency: e.ELIGIBILITY_BATCH_CONCURRENCY,
    enabled: e.ELIGIBILITY_BATCH ? e.ELIGIBILITY_BATCH === 'true' : e.NODE_ENV !== 'test',
  };
}
