/**
 * Synthetic imaging for the demo and the browser tests, made in Node with dcmjs (services/api imaging module).
 *
 *   node --import tsx scripts/seed/imaging-demo.ts load  [--fhir URL]
 *       a 20-slice CT phantom and a 2-view chest X-ray for each of the two fixed demo patients (Maria Garcia, John
 *       Smith), each with an imaging ServiceRequest, stored through the API's own upload code (PACS + ImagingStudy);
 *       idempotent (an existing study is left as it is).
 *   node --import tsx scripts/seed/imaging-demo.ts write --out DIR --mrn MRN [--name 'Family^Given'] [--seed S]
 *        [--kind ct|xr] [--slices N]
 *       writes one study's DICOM files to DIR (for uploading by hand or from a browser test).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../../services/api/src/core/config';
import { FhirClient } from '../../services/api/src/core/fhir/fhir-client';
import { OrthancClient } from '../../services/api/src/modules/imaging/orthanc-client';
import { studyByUid, uploadStudy } from '../../services/api/src/modules/imaging/imaging.service';
import { chestXrayStudy, ctPhantomStudy, derivedUid } from '../../services/api/src/modules/imaging/synthetic-dicom';

const DEMO = 'urn:wintehr:demo';

interface DemoStudy {
  key: string;
  kind: 'ct' | 'xr';
  loinc: string;
  display: string;
  date: string;
}

const STUDIES: readonly DemoStudy[] = [
  { key: 'ct-chest', kind: 'ct', loinc: '24627-2', display: 'CT Chest', date: '20260110' },
  { key: 'xr-chest', kind: 'xr', loinc: '36643-5', display: 'XR Chest 2 Views', date: '20251120' },
];
const PATIENTS = [
  { demoId: 'fixed-0-patient', mrn: 'MRN-000001' },
  { demoId: 'fixed-1-patient', mrn: 'MRN-000002' },
];

export function studyFiles(
  kind: 'ct' | 'xr',
  o: { seed: string; mrn: string; name: string; date?: string; slices?: number },
) {
  const opts = { seed: o.seed, patient: { id: o.mrn, name: o.name }, studyDate: o.date };
  return kind === 'ct' ? ctPhantomStudy(opts, o.slices ?? 20) : chestXrayStudy(opts);
}

async function load(fhirBase: string): Promise<void> {
  const config = loadConfig({ ...process.env, HAPI_BASE_URL: fhirBase });
  const fhir = new FhirClient({ baseUrl: fhirBase, timeoutMs: 30_000, retries: 2, connections: 4 });
  const orthanc = new OrthancClient(config.imaging);
  const deps = { fhir, orthanc, config, logger: pino({ level: 'warn' }) };
  try {
    for (const p of PATIENTS) {
      const [patient] = await fhir.searchResources('Patient', { identifier: `${DEMO}|${p.demoId}` });
      if (!patient?.id) {
        console.log(`imaging demo: patient ${p.demoId} not loaded, skipped`);
        continue;
      }
      const name = `${patient.name?.[0]?.family ?? ''}^${patient.name?.[0]?.given?.join(' ') ?? ''}`;
      for (const s of STUDIES) {
        const seed = `demo|${p.demoId}|${s.key}`;
        if (await studyByUid(deps, derivedUid(seed, 'study'))) continue;
        const order = await fhir.create<fhir4.ServiceRequest>(
          {
            resourceType: 'ServiceRequest',
            identifier: [{ system: DEMO, value: `imaging-order-${p.demoId}-${s.key}` }],
            status: 'completed',
            intent: 'order',
            category: [{ coding: [{ system: 'http://snomed.info/sct', code: '363679005', display: 'Imaging' }] }],
            code: { coding: [{ system: 'http://loinc.org', code: s.loinc, display: s.display }], text: s.display },
            subject: { reference: `Patient/${patient.id}` },
            authoredOn: `${s.date.slice(0, 4)}-${s.date.slice(4, 6)}-${s.date.slice(6, 8)}`,
          },
          { ifNoneExist: `identifier=${DEMO}|imaging-order-${p.demoId}-${s.key}` },
        );
        const files = studyFiles(s.kind, { seed, mrn: p.mrn, name, date: s.date });
        const t0 = performance.now();
        const r = await uploadStudy(deps, {
          patientId: patient.id,
          files: files.map((data, i) => ({ name: `${s.key}-${i + 1}.dcm`, data })),
          relabel: false,
          serviceRequestId: order.id,
        });
        console.log(
          `imaging demo: ${s.display} for ${p.mrn}: ${r.stored} images in ${Math.round(performance.now() - t0)} ms`,
        );
      }
    }
  } finally {
    await orthanc.close();
    await fhir.close();
  }
}

/** Loads the demo studies; a PACS that is not running is reported and skipped (the rest of the demo is unaffected). */
export async function loadDemoImaging(fhirBase: string): Promise<void> {
  try {
    await load(fhirBase);
  } catch (err) {
    process.stderr.write(`  imaging demo skipped: ${(err as Error).message}\n`);
  }
}

function write(args: Record<string, string | undefined>): void {
  if (!args.out || !args.mrn) throw new Error('write needs --out DIR and --mrn MRN');
  const kind = args.kind === 'xr' ? 'xr' : 'ct';
  const files = studyFiles(kind, {
    seed: args.seed ?? `manual-${Date.now()}`,
    mrn: args.mrn,
    name: args.name ?? 'Demo^Patient',
    slices: args.slices ? Number(args.slices) : undefined,
  });
  mkdirSync(args.out, { recursive: true });
  files.forEach((f, i) => writeFileSync(path.join(args.out!, `${kind}-${String(i + 1).padStart(3, '0')}.dcm`), f));
  console.log(`${files.length} files in ${args.out}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      fhir: { type: 'string' },
      out: { type: 'string' },
      mrn: { type: 'string' },
      name: { type: 'string' },
      seed: { type: 'string' },
      kind: { type: 'string' },
      slices: { type: 'string' },
    },
  });
  const cmd = positionals[0];
  if (cmd === 'load') void loadDemoImaging(values.fhir ?? process.env.FHIR_BASE_URL ?? 'http://127.0.0.1:8080/fhir');
  else if (cmd === 'write') write(values);
  else {
    console.error('usage: imaging-demo.ts load [--fhir URL] | write --out DIR --mrn MRN [--kind ct|xr] [--slices N]');
    process.exit(2);
  }
}
