/**
 * Prescribe end to end through the façade, in process, against the real HAPI, PostgreSQL and Redis:
 * token → permission → patient access → drug-KB validation → safety context from HAPI (5 reads) → safety engine →
 * MedicationRequest create → audit → outbox event. A physician (linked to a bench Practitioner) assigned to N
 * existing patients drives 16 connections with a drug that has no interaction rules (loratadine), so every request
 * writes. Target p95 < 200 ms.
 *
 *   node --import tsx scripts/benchmarks/clinical-orders.ts [--patients 1000] [--connections 16] [--duration 20] [--keep]
 *
 * Writes a bench user, its assignments and a bench Practitioner; the MedicationRequests it creates are retired
 * afterwards (status entered-in-error) unless --keep is given.
 */
import { parseArgs } from 'node:util';
import { benchPhysician, startInProcessApp } from './in-process-app';
import { patientIds, pickRandom, printTable, retireWritten, run, type BenchResult } from './lib';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '16' },
    duration: { type: 'string', default: '20' },
    patients: { type: 'string', default: '1000' },
    keep: { type: 'boolean', default: false },
  },
});

const LORATADINE = '311372';
const body = JSON.stringify({
  medication: { code: LORATADINE },
  dosage: { dose: { value: 1, unit: 'tablet' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
  dispense: { quantity: { value: 30, unit: 'tablet' }, numberOfRepeatsAllowed: 1, expectedSupplyDays: 30 },
  reason: { text: 'Allergic rhinitis' },
});

async function main() {
  const connections = Number(values.connections);
  const durationSec = Number(values.duration);
  const app = await startInProcessApp();
  const { config, deps, url } = app;
  let physician: Awaited<ReturnType<typeof benchPhysician>> | undefined;
  let practitionerId: string | undefined;
  try {
    const ids = await patientIds(config.hapi.baseUrl, Number(values.patients));
    if (!ids.length) throw new Error('no patients in HAPI; load demo data first (scripts/demo-data.sh)');
    const practitioner = await deps.fhir.create<fhir4.Practitioner>({
      resourceType: 'Practitioner',
      active: true,
      name: [{ family: 'Bench', given: ['Prescriber'] }],
      identifier: [{ system: 'urn:wintehr:bench', value: `bench-${Date.now().toString(36)}` }],
    });
    practitionerId = practitioner.id!;
    physician = await benchPhysician(deps, ids, {
      username: `bench.rx.${Date.now().toString(36)}`,
      displayName: 'Bench prescriber',
      fhirPractitionerId: practitionerId,
    });
    const token = physician.token;
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    };
    console.log(
      `façade at ${url} → HAPI ${config.hapi.baseUrl}: ${ids.length} patients, ${connections} connections, ${durationSec}s per scenario`,
    );

    const prescribe = (name: string, d: number) =>
      run(
        {
          name,
          url,
          headers,
          method: 'POST',
          body: () => body,
          path: () => `/api/patients/${pickRandom(ids)}/medications`,
        },
        { connections, durationSec: d },
      );
    await prescribe('warm-up', 5);
    const rows: BenchResult[] = [await prescribe('POST /api/patients/{id}/medications (prescribe)', durationSec)];
    rows.push(
      await run(
        {
          name: 'GET /api/patients/{id}/medications',
          url,
          headers,
          path: () => `/api/patients/${pickRandom(ids)}/medications`,
        },
        { connections, durationSec: Math.min(durationSec, 10) },
      ),
    );
    printTable(rows);
    const failed = rows.filter((r) => r.non2xx > 0 || r.errors > 0 || !(r.p95 < 200));
    if (failed.length)
      console.log(`\nabove target (p95 < 200 ms) or with errors: ${failed.map((r) => r.name).join(', ')}`);
  } finally {
    if (practitionerId && !values.keep) await retireWritten(deps.fhir, practitionerId);
    await physician?.remove();
    await app.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
