/**
 * Baseline: HAPI FHIR JPA answering directly (no façade). Later scenarios print the façade's numbers
 * beside these as ratios.
 */
import { parseArgs } from 'node:util';
import { patientIds, pickRandom, printTable, run, type BenchResult } from './lib';

const { values } = parseArgs({
  options: {
    fhir: { type: 'string', default: process.env.HAPI_BASE_URL ?? 'http://127.0.0.1:8080/fhir' },
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '20' },
    patients: { type: 'string', default: '1000' },
  },
});

async function main() {
  const fhir = values.fhir!;
  const connections = Number(values.connections);
  const durationSec = Number(values.duration);
  const ids = await patientIds(fhir, Number(values.patients));
  if (ids.length === 0) throw new Error('no patients on the server; load demo data first');
  const base = new URL(fhir);
  const prefix = base.pathname.replace(/\/$/, '');
  console.log(
    `HAPI direct at ${fhir}: ${ids.length} patients, ${connections} connections, ${durationSec}s per scenario`,
  );
  const headers = { accept: 'application/fhir+json' };
  const rows: BenchResult[] = [];
  // A short warm-up so JIT and HAPI's caches do not count against the first scenario.
  await run(
    { name: 'warm-up', url: base.origin, headers, path: () => `${prefix}/Patient/${pickRandom(ids)}` },
    { connections, durationSec: 5 },
  );
  rows.push(
    await run(
      { name: 'HAPI GET Patient/{id}', url: base.origin, headers, path: () => `${prefix}/Patient/${pickRandom(ids)}` },
      { connections, durationSec },
    ),
  );
  rows.push(
    await run(
      {
        name: 'HAPI GET Observation?patient&category=laboratory',
        url: base.origin,
        headers,
        path: () => `${prefix}/Observation?patient=${pickRandom(ids)}&category=laboratory`,
      },
      { connections, durationSec },
    ),
  );
  printTable(rows);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
