/**
 * Faults under load (issue 18): prescribers sign prescriptions routed to an outside pharmacy (so each one is a
 * MedicationRequest in HAPI, an audit record in PostgreSQL and a NewRx through the outbox to the Surescripts
 * simulator) while HAPI, Redis and PostgreSQL are killed (SIGKILL / immediate shutdown) and started again in turn.
 * The API is never restarted. At the end every prescription the API confirmed (201) is looked for:
 *
 *   lost       = confirmed but missing in HAPI, without its audit record, or never sent to the network
 *   duplicated = one order written twice in HAPI, or sent to the network as two NewRx messages
 *
 * and every answer during the outages is classified (503 is the clear answer; a 500 or a hang is not).
 *
 *   node --import tsx scripts/benchmarks/fault-run.ts [--workers 8] [--phase 15] [--outage 8]
 *
 * Runs on a stack of its own (PostgreSQL, Redis, HAPI on free ports under .data/fault-run/), so it never touches a
 * running `npm start` or test stack; that stack is stopped and removed at the end.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createApp } from '../../services/api/src/app';
import { buildDeps } from '../../services/api/src/core/bootstrap';
import { loadConfig } from '../../services/api/src/core/config';
import { migrate } from '../../services/api/src/core/db/migrate';
import {
  createErxPatient,
  createPharmacy,
  createPrescriber,
} from '../../services/api/src/modules/eprescribing/erx-fixtures.test-util';
import { startSimulatorChild, stopSimulatorChild } from '../../services/api/src/test-support/simulator-child';
import { benchPhysician } from './in-process-app';
import { benchEntry, freePort, forkApp, serveApp } from './lib';
import { countOutcomes, type Sent } from './fault/outcomes';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '8' },
    phase: { type: 'string', default: '15' },
    outage: { type: 'string', default: '8' },
    serve: { type: 'boolean', default: false },
  },
});
const ROOT = resolve(import.meta.dirname, '../..');
const DATA = join(ROOT, '.data/fault-run');
const SIM = {
  user: 'fault-run-ehr',
  password: 'fault-run-secret',
  inUser: 'fault-run-net',
  inPassword: 'fault-run-inbound',
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serve(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const deps = await buildDeps(config, pino({ level: 'silent' }));
  await deps.redis.connect().catch(() => undefined);
  await migrate(deps.pg);
  const server = createApp(deps).listen(config.port, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  serveApp({ port: config.port }, async () => {
    server.close();
    await deps.close();
  });
}

async function main() {
  const [pg, redis, hapi, api] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const stackEnv = {
    ...process.env,
    WINTEHR_DATA_DIR: DATA,
    WINTEHR_PG_PORT: String(pg),
    WINTEHR_REDIS_PORT: String(redis),
    HAPI_PORT: String(hapi),
    HAPI_DB_URL: `jdbc:postgresql://127.0.0.1:${pg}/hapi`,
    HAPI_STOP_TIMEOUT: '5',
  };
  const sh = (script: string) =>
    execFileSync('bash', ['-c', `source "${ROOT}/scripts/lib.sh"; ${script}`], { env: stackEnv, stdio: 'inherit' });
  const stack = {
    up: () => sh('bash "$ROOT/scripts/infra.sh" up'),
    hapiUp: () => sh('bash "$ROOT/scripts/hapi.sh" start'),
    kill: {
      hapi: () => sh('kill -9 "$(cat "$DATA_DIR/hapi/hapi.pid")"; rm -f "$DATA_DIR/hapi/hapi.pid"'),
      redis: () => sh('kill -9 "$(cat "$RUN_DIR/redis.pid")"; rm -f "$RUN_DIR/redis.pid"'),
      // Immediate shutdown: no checkpoint, crash recovery at the next start — what a killed server leaves.
      postgres: () =>
        sh(
          'pgctl=("$(pg_bin_dir)/pg_ctl" -D "$DATA_DIR/postgres" -m immediate -w stop); if is_root; then runuser -u postgres -- "${pgctl[@]}"; else "${pgctl[@]}"; fi',
        ),
    },
    restart: {
      hapi: () => sh('bash "$ROOT/scripts/hapi.sh" start'),
      redis: () => sh('bash "$ROOT/scripts/infra.sh" up'),
      postgres: () => sh('bash "$ROOT/scripts/infra.sh" up'),
    },
    down: () => sh('bash "$ROOT/scripts/hapi.sh" stop; bash "$ROOT/scripts/infra.sh" down'),
  };
  console.log(`fault run: own stack under ${DATA} (PostgreSQL :${pg}, Redis :${redis}, HAPI :${hapi}, API :${api})`);
  rmSync(DATA, { recursive: true, force: true });
  stack.up();
  stack.hapiUp();

  const apiUrl = `http://127.0.0.1:${api}`;
  const sim = await startSimulatorChild('simulator', 'services/simulators/src/surescripts/main.ts', {
    SIMULATOR_PORT: '0',
    SIMULATOR_HOST: '127.0.0.1',
    SURESCRIPTS_USER: SIM.user,
    SURESCRIPTS_PASSWORD: SIM.password,
    EHR_INBOUND_URL: `${apiUrl}/api/erx/inbound`,
    ERX_INBOUND_USER: SIM.inUser,
    ERX_INBOUND_PASSWORD: SIM.inPassword,
  });
  const appEnv = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    PORT: String(api),
    PUBLIC_BASE_URL: apiUrl,
    DATABASE_URL: `postgres://wintehr:wintehr@127.0.0.1:${pg}/wintehr`,
    REDIS_URL: `redis://127.0.0.1:${redis}/0`,
    HAPI_BASE_URL: `http://127.0.0.1:${hapi}/fhir`,
    SURESCRIPTS_URL: `http://127.0.0.1:${sim.port}`,
    SURESCRIPTS_USER: SIM.user,
    SURESCRIPTS_PASSWORD: SIM.password,
    ERX_INBOUND_USER: SIM.inUser,
    ERX_INBOUND_PASSWORD: SIM.inPassword,
    ERX_WORKER: 'true',
    ELIGIBILITY_BATCH: 'false',
    KEYS_DIR: join(DATA, 'keys'),
  };
  const app = await forkApp<{ port: number }>([], appEnv);
  const config = loadConfig({ ...process.env, ...appEnv });
  const deps = await buildDeps(config, pino({ level: 'silent' }));
  await deps.redis.connect().catch(() => undefined);
  try {
    const pharmacyId = await createPharmacy(deps);
    const practitionerId = await createPrescriber(deps);
    const patients = await Promise.all([1, 2, 3, 4, 5].map((i) => createErxPatient(deps, { family: `Faultrun${i}` })));
    const physician = await benchPhysician(deps, patients, {
      username: `fault.rx.${Date.now().toString(36)}`,
      displayName: 'Fault-run prescriber',
      fhirPractitionerId: practitionerId,
    });

    const sent: Sent[] = [];
    let phase = 'steady';
    let stop = false;
    const worker = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const marker = `fault-run w${w} #${n}`;
        const started = Date.now();
        const entry: Sent = { marker, phase, status: 0, ms: 0 };
        try {
          const res = await fetch(`${apiUrl}/api/patients/${patients[n % patients.length]}/medications`, {
            method: 'POST',
            signal: AbortSignal.timeout(30_000),
            headers: { authorization: `Bearer ${physician.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              medication: { code: '311372' },
              dosage: { dose: { value: 1, unit: 'tablet' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
              dispense: { quantity: { value: 30, unit: 'tablet' }, expectedSupplyDays: 30, pharmacyId },
              reason: { text: marker },
            }),
          });
          entry.status = res.status;
          const body = (await res.json().catch(() => ({}))) as { medicationRequest?: { id?: string } };
          entry.id = body.medicationRequest?.id;
          entry.ms = Date.now() - started;
          // Then "Send to pharmacy", as the chart does; a user retries it while the answer is 503 or nothing.
          for (
            let attempt = 0;
            entry.id && attempt < 8 && !(entry.sendStatus! >= 200 && entry.sendStatus! < 500);
            attempt++
          ) {
            if (attempt) await sleep(1000);
            entry.sendStatus = await fetch(`${apiUrl}/api/erx/prescriptions/${entry.id}/send`, {
              method: 'POST',
              signal: AbortSignal.timeout(30_000),
              headers: { authorization: `Bearer ${physician.token}`, 'content-type': 'application/json' },
              body: '{}',
            }).then(
              (r) => r.status,
              () => -1,
            );
          }
        } catch (e) {
          entry.status = -1;
          entry.error = (e as Error).name;
        }
        entry.ms ||= Date.now() - started;
        sent.push(entry);
        // A failed request is not hammered in a tight loop (a user would wait before trying again).
        if (entry.status !== 201) await sleep(250);
      }
    };
    const phaseSec = Number(values.phase);
    const outageSec = Number(values.outage);
    const workers = Array.from({ length: Number(values.workers) }, (_, w) => worker(w));
    await sleep(phaseSec * 1000);
    for (const target of ['hapi', 'redis', 'postgres'] as const) {
      phase = `${target} down`;
      console.log(`killing ${target} under load`);
      stack.kill[target]();
      await sleep(outageSec * 1000);
      phase = `${target} restarting`;
      stack.restart[target]();
      phase = `after ${target}`;
      await sleep(phaseSec * 1000);
    }
    stop = true;
    await Promise.all(workers);
    console.log(`load stopped: ${sent.length} requests; waiting for the outbox to drain`);
    for (let i = 0; i < 120; i++) {
      const open = await deps.pg.query<{ n: string }>(
        `SELECT count(*) AS n FROM erx_messages WHERE direction = 'outbound' AND status = 'pending'`,
      );
      if (Number(open.rows[0]!.n) === 0) break;
      await sleep(1000);
    }
    // The audit writer of the API buffers while PostgreSQL is away; give it a moment to flush after the last write.
    await sleep(3000);
    const report = await countOutcomes(deps, practitionerId, sent, {
      simulatorUrl: `http://127.0.0.1:${sim.port}`,
      auth: `Basic ${Buffer.from(`${SIM.user}:${SIM.password}`).toString('base64')}`,
    });
    console.log(report.text);
    await physician.remove().catch(() => undefined);
    if (report.lost || report.duplicated) process.exitCode = 1;
  } finally {
    await app.stop().catch(() => undefined);
    await deps.close().catch(() => undefined);
    await stopSimulatorChild(sim.child);
    stack.down();
    rmSync(DATA, { recursive: true, force: true });
  }
}

benchEntry(values.serve, serve, main);
