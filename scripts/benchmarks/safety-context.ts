/**
 * The patient's safety context (prescribe, CDS, pharmacy) read as ONE batch request against the same six reads in
 * parallel, on the same patients, sequentially (latency) and at 16 at a time (throughput under load).
 *
 *   node --import tsx scripts/benchmarks/safety-context.ts [--patients 200] [--rounds 400]
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../services/api/src/core/config';
import { FhirClient } from '../../services/api/src/core/fhir/fhir-client';
import { createMetrics } from '../../services/api/src/core/metrics';
import {
  contextFromPrefetch,
  loadPatientSafetyContext,
  SAFETY_QUERIES,
} from '../../services/api/src/modules/drug-safety/patient-safety-context';
import { patientIds, percentile } from './lib';

const { values } = parseArgs({
  options: { patients: { type: 'string', default: '200' }, rounds: { type: 'string', default: '400' } },
});

/** The previous shape: six requests in parallel. */
async function sixRequests(fhir: FhirClient, id: string) {
  const [patient, medicationRequests, medicationStatements, allergies, observations, conditions] = await Promise.all([
    fhir.read('Patient', id),
    fhir.search('MedicationRequest', { patient: id, ...SAFETY_QUERIES.medicationRequests }),
    fhir.search('MedicationStatement', { patient: id, ...SAFETY_QUERIES.medicationStatements }),
    fhir.search('AllergyIntolerance', { patient: id, ...SAFETY_QUERIES.allergies }),
    fhir.search('Observation', { patient: id, ...SAFETY_QUERIES.observations }),
    fhir.search('Condition', { patient: id, ...SAFETY_QUERIES.conditions }),
  ]);
  return contextFromPrefetch({
    patient,
    medicationRequests,
    medicationStatements,
    allergies,
    observations,
    conditions,
  });
}

async function measure(
  name: string,
  ids: string[],
  rounds: number,
  concurrency: number,
  f: (id: string) => Promise<unknown>,
) {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < rounds) {
        const id = ids[next++ % ids.length]!;
        const t = performance.now();
        await f(id);
        times.push(performance.now() - t);
      }
    }),
  );
  const secs = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  console.log(
    `| ${name} | ${concurrency} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${(rounds / secs).toFixed(0)} |`,
  );
}

async function main() {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const fhir = new FhirClient({ ...config.hapi, metrics: createMetrics() });
  const ids = await patientIds(config.hapi.baseUrl, Number(values.patients));
  const rounds = Number(values.rounds);
  // Same answers both ways, on a sample, before timing anything.
  for (const id of ids.slice(0, 5)) {
    const a = JSON.stringify(await sixRequests(fhir, id));
    const b = JSON.stringify(await loadPatientSafetyContext(fhir, id));
    if (a !== b) throw new Error(`the batch and the six requests disagree for Patient/${id}`);
  }
  console.log(`${ids.length} patients, ${rounds} contexts per row; HAPI ${config.hapi.baseUrl}`);
  console.log('| safety context | concurrent | p50 ms | p95 ms | contexts/s |');
  console.log('|---|---:|---:|---:|---:|');
  for (const c of [1, 16]) {
    await measure('(warm-up)', ids, Math.min(rounds, 50), c, (id) => sixRequests(fhir, id));
    await measure('six requests in parallel', ids, rounds, c, (id) => sixRequests(fhir, id));
    await measure('one batch request', ids, rounds, c, (id) => loadPatientSafetyContext(fhir, id));
  }
  await fhir.close();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
