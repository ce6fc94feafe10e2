/**
 * The real app (buildDeps + createApp) on an ephemeral loopback port inside the benchmark process, and a physician
 * assigned to the benchmarked patients so every request passes the patient-access check as in real use.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../../services/api/src/app';
import { buildDeps } from '../../services/api/src/core/bootstrap';
import { loadConfig, type AppConfig } from '../../services/api/src/core/config';
import type { AppDeps } from '../../services/api/src/core/deps';
import { principalOf } from '../../services/api/src/modules/auth/auth.service';
import { usersRepository } from '../../services/api/src/core/auth/users.repository';

export interface InProcessApp {
  config: AppConfig;
  deps: AppDeps;
  url: string;
  close(): Promise<void>;
}

export async function startInProcessApp(): Promise<InProcessApp> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const deps = await buildDeps(config, pino({ level: 'silent' }));
  await deps.redis.connect().catch(() => undefined);
  const server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    config,
    deps,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.close();
      await deps.close();
    },
  };
}

/** A physician account assigned to `patientIds`, with an access token; `remove()` deletes the account again. */
export async function benchPhysician(
  deps: AppDeps,
  patientIds: readonly string[],
  o: { username: string; displayName: string; fhirPractitionerId?: string },
) {
  const user = await usersRepository.insert(deps.pg, {
    username: o.username,
    displayName: o.displayName,
    role: 'physician',
    passwordHash: 'x',
    ...(o.fhirPractitionerId ? { fhirPractitionerId: o.fhirPractitionerId } : {}),
  });
  await deps.pg.query(
    `INSERT INTO patient_assignments (user_id, patient_id, reason) SELECT $1, unnest($2::text[]), 'benchmark'`,
    [user.id, patientIds],
  );
  const { token } = await deps.tokens.issueAccessToken(principalOf(user));
  return {
    user,
    token,
    remove: () => deps.pg.query('DELETE FROM users WHERE id = $1', [user.id]).then(() => undefined),
  };
}
