/**
 * Patient summary and fuzzy patient search through the façade, in process, against the real HAPI and
 * PostgreSQL. A physician assigned to N existing patients drives 16 connections; search terms are those
 * patients' names with one typo. Target p95 < 200 ms.
 *
 *   node --import tsx scripts/benchmarks/clinical-patients.ts [--patients 1000] [--connections 16] [--duration 20]
 *
 * Writes a bench user (and its assignments) to the database named by DATABASE_URL and deletes it afterwards.
 */
import { parseArgs } from 'node:util';
import { benchPhysician, startInProcessApp } from './in-process-app';
import { pickRandom, printTable, run, type BenchResult } from './lib';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '16' },
    duration: { type: 'string', default: '20' },
    patients: { type: 'string', default: '1000' },
  },
});

/** One realistic typo: swap two adjacent letters in the middle of the name (keeps the first letter). */
function typo(name: string): string {
  if (name.length < 5) return name;
  const i = 1 + Math.floor(Math.random() * (name.length - 3));
  return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
}

async function main() {
  const connections = Number(values.connections);
  const durationSec = Number(values.duration);
  const app = await startInProcessApp();
  const { config, deps, url } = app;
  let physician: Awaited<ReturnType<typeof benchPhysician>> | undefined;
  try {
    const bundle = await deps.fhir.search('Patient', { _count: Number(values.patients), _elements: 'id,name' });
    const patients = (bundle.entry ?? []).map((e) => e.resource as fhir4.Patient).filter((p) => p.id);
    if (!patients.length) throw new Error('no patients in HAPI; load demo data first (scripts/demo-data.sh)');
    physician = await benchPhysician(
      deps,
      patients.map((p) => p.id!),
      { username: `bench.${Date.now().toString(36)}`, displayName: 'Bench physician' },
    );
    const headers = { authorization: `Bearer ${physician.token}`, accept: 'application/json' };
    const terms = patients
      .map((p) => `${p.name?.[0]?.given?.[0] ?? ''} ${typo(p.name?.[0]?.family ?? '')}`.trim())
      .filter((s) => s.length >= 2);
    const ids = patients.map((p) => p.id!);
    console.log(
      `façade at ${url} → HAPI ${config.hapi.baseUrl}: ${ids.length} patients, ${connections} connections, ${durationSec}s per scenario`,
    );

    await run(
      { name: 'warm-up', url, headers, path: () => `/api/patients/${pickRandom(ids)}/summary` },
      { connections, durationSec: 5 },
    );
    const rows: BenchResult[] = [];
    rows.push(
      await run(
        {
          name: 'GET /api/patients/{id}/summary',
          url,
          headers,
          path: () => `/api/patients/${pickRandom(ids)}/summary`,
        },
        { connections, durationSec },
      ),
    );
    rows.push(
      await run(
        {
          name: 'GET /api/patients?q={name with typo}',
          url,
          headers,
          path: () => `/api/patients?q=${encodeURIComponent(pickRandom(terms))}`,
        },
        { connections, durationSec },
      ),
    );
    // Baseline: the heaviest of the summary's three HAPI searches, straight at HAPI, to separate HAPI's cost from ours.
    const hapi = new URL(config.hapi.baseUrl);
    const revinclude =
      '_revinclude=Condition:patient&_revinclude=MedicationRequest:patient&_revinclude=AllergyIntolerance:patient&_revinclude=Coverage:beneficiary';
    rows.push(
      await run(
        {
          name: 'HAPI direct: summary revinclude search',
          url: hapi.origin,
          headers: { accept: 'application/fhir+json' },
          path: () => `${hapi.pathname}/Patient?_id=${pickRandom(ids)}&${revinclude}`,
        },
        { connections, durationSec },
      ),
    );
    printTable(rows);
    const failed = rows
      .filter((r) => !r.name.startsWith('HAPI'))
      .filter((r) => r.non2xx > 0 || r.errors > 0 || !(r.p95 < 200));
    if (failed.length)
      console.log(`\nabove target (p95 < 200 ms) or with errors: ${failed.map((r) => r.name).join(', ')}`);
  } finally {
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
