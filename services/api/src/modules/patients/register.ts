import type { AppDeps } from '../../core/deps';
import { hapiStatusToError } from '../../core/fhir/fhir-errors';
import { formatMrn, MRN_SYSTEM } from './mrn';
import { AppError, conflict } from '../../core/errors';

/**
 * Creates the Patient with a conditional create on its MRN (If-None-Exist), so HAPI itself refuses a second
 * patient with the same number: it answers 200 with the existing one instead of 201, which becomes 409 here.
 */
export async function createUnlessMrnTaken(deps: Pick<AppDeps, 'fhir'>, patient: fhir4.Patient, mrn: string): Promise<fhir4.Patient> {
  const res = await deps.fhir.request('POST', 'Patient', {
    body: patient,
    headers: { prefer: 'return=representation', 'if-none-exist': `identifier=${encodeURIComponent(`${MRN_SYSTEM}|${mrn}`)}` },
    interaction: 'create Patient',
  });
  if (res.status === 200) throw conflict('A patient with this MRN already exists', { field: 'body.mrn' }, 'MRN_EXISTS');
  if (res.status === 412) throw conflict('More than one patient already has this MRN', { field: 'body.mrn' }, 'MRN_EXISTS');
  if (res.status >= 300) throw hapiStatusToError(res.status, res.body, 'create Patient');
  return res.body as fhir4.Patient;
}

const GENERATED_MRN_ATTEMPTS = 25;

/**
 * A generated MRN can already be taken when patients were imported with numbers of their own (or another
 * system wrote to the same HAPI): take the next number rather than fail the registration.
 */
export async function createWithGeneratedMrn(deps: Pick<AppDeps, 'fhir' | 'pg'>, build: (mrn: string) => fhir4.Patient): Promise<fhir4.Patient> {
  for (let attempt = 1; ; attempt++) {
    const mrn = formatMrn((await deps.pg.query<{ n: string }>("SELECT nextval('patient_mrn_seq')::text AS n")).rows[0]!.n);
    try {
      return await createUnlessMrnTaken(deps, build(mrn), mrn);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'MRN_EXISTS') || attempt >= GENERATED_MRN_ATTEMPTS) throw err;
    }
  }
}
