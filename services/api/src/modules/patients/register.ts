import type { AppDeps } from '../../core/deps';
import { hapiStatusToError } from '../../core/fhir/fhir-errors';
import { formatMrn, MRN_SYSTEM } from './mrn';
import { AppError, conflict } from '../../core/errors';

/**
 * Creates the Patient with a conditional create on its MRN (If-None-Exist), so HAPI itself refuses a second
 * patient with the same number: it answers 200 with the existing one instead of 201, which becomes 409 here.
 */
export async function createUnlessMrnTaken(
  deps: Pick<AppDeps, 'fhir'>,
  patient: fhir4.Patient,
  mrn: string,
): Promise<fhir4.Patient> {
  const res = await deps.fhir.request('POST', 'Patient', {
    body: patient,
    headers: {
      prefer: 'return=representation',
      'if-none-exist': `identifier=${encodeURIComponent(`${MRN_SYSTEM}|${mrn}`)}`,
    },
    interaction: 'create Patient',
  });
  if (res.status === 200) throw conflict('A patient with this MRN already exists', { field: 'body.mrn' }, 'MRN_EXISTS');
  if (res.status === 412)
    throw conflict('More than one patient already has this MRN', { field: 'body.mrn' }, 'MRN_EXISTS');
  if (res.status >= 300) throw hapiStatusToError(res.status, res.body, 'create Patient');
  return res.body as fhir4.Patient;
}

const GENERATED_MRN_ATTEMPTS = 40;

/**
 * A generated MRN can already be taken when patients were imported with numbers of their own, another system wrote
 * to the same HAPI, or the sequence was reset (a restored or recreated database): take a later number rather than
 * fail the registration. After each taken number the sequence jumps twice as far as before (1, 2, 4, …), so a run of
 * thousands of taken numbers is left behind in a few dozen tries; the gaps cost nothing, uniqueness stays HAPI's.
 */
export async function createWithGeneratedMrn(
  deps: Pick<AppDeps, 'fhir' | 'pg'>,
  build: (mrn: string) => fhir4.Patient,
): Promise<fhir4.Patient> {
  let skip = 0;
  for (let attempt = 1; ; attempt++) {
    const sql =
      skip === 0
        ? "SELECT nextval('patient_mrn_seq')::text AS n"
        : "SELECT setval('patient_mrn_seq', nextval('patient_mrn_seq') + $1)::text AS n";
    const mrn = formatMrn((await deps.pg.query<{ n: string }>(sql, skip === 0 ? [] : [skip])).rows[0]!.n);
    try {
      return await createUnlessMrnTaken(deps, build(mrn), mrn);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'MRN_EXISTS') || attempt >= GENERATED_MRN_ATTEMPTS) throw err;
      skip = skip === 0 ? 1 : skip * 2;
    }
  }
}
