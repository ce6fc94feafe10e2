import { FhirClient } from './fhir-client';
import { RUN_ID, testEnv } from '../../test-support/test-env';
import { AppError } from '../errors';

const client = new FhirClient({ baseUrl: testEnv().hapiBaseUrl, timeoutMs: 15_000, retries: 2, connections: 8 });
const IDENT = 'urn:wintehr:test';

afterAll(() => client.close());

function patient(family: string): fhir4.Patient {
  return {
    resourceType: 'Patient',
    identifier: [{ system: IDENT, value: `${RUN_ID}-${family}` }],
    name: [{ family, given: ['Test'] }],
    gender: 'female',
    birthDate: '1980-05-17',
  };
}

describe('FhirClient against the real HAPI FHIR JPA server', () => {
  it('reads the capability statement of an R4 server', async () => {
    const cs = await client.capabilities();
    expect(cs.fhirVersion).toBe('4.0.1');
    expect(cs.software?.name).toMatch(/HAPI/i);
  });

  it('creates, reads, searches and updates a Patient with optimistic locking', async () => {
    const created = await client.create(patient(`Lovelace${RUN_ID}`));
    expect(created.id).toBeTruthy();
    expect(created.meta?.versionId).toBe('1');

    const read = await client.read('Patient', created.id!);
    expect(read.name?.[0]?.family).toBe(`Lovelace${RUN_ID}`);

    // HAPI's search cache is off: a search straight after the create finds it.
    const found = await client.searchResources('Patient', { identifier: `${IDENT}|${RUN_ID}-Lovelace${RUN_ID}` });
    expect(found.map((p) => p.id)).toEqual([created.id]);

    const updated = await client.update({ ...read, gender: 'other' }, { ifMatch: '1' });
    expect(updated.meta?.versionId).toBe('2');
    expect(updated.gender).toBe('other');

    // A writer holding the old version loses: 412 from HAPI becomes our 409 VERSION_CONFLICT.
    await expect(client.update({ ...read, gender: 'male' }, { ifMatch: '1' })).rejects.toMatchObject({
      status: 409,
      code: 'VERSION_CONFLICT',
    });

    const history = await client.history('Patient', created.id!);
    expect(history.entry?.length).toBe(2);
    const v1 = await client.vread('Patient', created.id!, '1');
    expect(v1.gender).toBe('female');
  });

  it('runs a transaction with urn:uuid references and conditional creates, idempotently', async () => {
    const pid = `${RUN_ID}-tx`;
    const bundle: fhir4.Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:1d0c9a4e-0000-4000-8000-000000000001',
          resource: { ...patient(`Turing${RUN_ID}`), identifier: [{ system: IDENT, value: pid }] },
          request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${IDENT}|${pid}` },
        },
        {
          fullUrl: 'urn:uuid:1d0c9a4e-0000-4000-8000-000000000002',
          resource: {
            resourceType: 'Observation',
            identifier: [{ system: IDENT, value: `${pid}-k` }],
            status: 'final',
            category: [
              {
                coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }],
              },
            ],
            code: { coding: [{ system: 'http://loinc.org', code: '2823-3', display: 'Potassium' }] },
            subject: { reference: 'urn:uuid:1d0c9a4e-0000-4000-8000-000000000001' },
            valueQuantity: { value: 4.1, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
          },
          request: { method: 'POST', url: 'Observation', ifNoneExist: `identifier=${IDENT}|${pid}-k` },
        },
      ],
    };
    const first = await client.transaction(bundle);
    expect(first.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created']);
    const second = await client.transaction(bundle);
    expect(second.entry?.map((e) => e.response?.status)).toEqual(['200 OK', '200 OK']);

    const patientId = first.entry?.[0]?.response?.location?.split('/')[1];
    const labs = await client.search('Observation', {
      patient: patientId,
      category: 'laboratory',
      _include: 'Observation:subject',
    });
    expect(labs.entry?.filter((e) => e.search?.mode === 'match')).toHaveLength(1);
    expect(labs.entry?.find((e) => e.search?.mode === 'include')?.resource?.resourceType).toBe('Patient');

    const chained = await client.searchResources('Observation', { 'subject:Patient.identifier': `${IDENT}|${pid}` });
    expect(chained).toHaveLength(1);

    const everything = await client.operation<fhir4.Bundle>(`Patient/${patientId}/$everything`);
    expect(everything.entry?.map((e) => e.resource?.resourceType).sort()).toEqual(['Observation', 'Patient']);
  });

  it('reads many resources by id in chunks, leaving out ids HAPI does not have', async () => {
    const created = await Promise.all(
      ['Ann', 'Ben', 'Cy'].map((given) =>
        client.create<fhir4.Patient>({ resourceType: 'Patient', name: [{ family: 'ReadMany', given: [given] }] }),
      ),
    );
    const ids = created.map((p) => p.id!);
    const found = await client.readMany('Patient', [...ids, ids[0]!, 'no-such-patient-0'], {
      chunk: 2,
      elements: 'name',
    });
    expect([...found.keys()].sort()).toEqual([...ids].sort());
    expect(found.get(ids[1]!)?.name?.[0]?.given).toEqual(['Ben']);
    expect((await client.readMany('Patient', [])).size).toBe(0);
  });

  it('answers a batch of reads and searches in order, and a refused entry throws as its own request would', async () => {
    const p = await client.create(patient('Batch'));
    const [read, search] = await client.batchGet([
      `Patient/${p.id}`,
      `Patient?identifier=${encodeURIComponent(`${IDENT}|${RUN_ID}-Batch`)}`,
    ]);
    expect(read).toMatchObject({ resourceType: 'Patient', id: p.id });
    expect(search).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect((search as fhir4.Bundle).entry?.map((e) => e.resource?.id)).toEqual([p.id]);
    await expect(client.batchGet([`Patient/${p.id}`, `Patient/missing-${RUN_ID}`])).rejects.toMatchObject({
      status: 404,
      code: 'RESOURCE_NOT_FOUND',
    });
  });

  it('maps HAPI rejections to typed errors', async () => {
    await expect(client.read('Patient', `missing-${RUN_ID}`)).rejects.toMatchObject({
      status: 404,
      code: 'RESOURCE_NOT_FOUND',
    });
    const invalid = { resourceType: 'Patient', birthDate: 'not-a-date' } as unknown as fhir4.Patient;
    const err = await client.create(invalid).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 422, code: 'FHIR_VALIDATION_ERROR' });
    expect((err as AppError).details).toHaveProperty('issues');
  });

  it('answers 503 HAPI_UNAVAILABLE when nothing listens', async () => {
    const dead = new FhirClient({ baseUrl: 'http://127.0.0.1:9/fhir', timeoutMs: 1_000, retries: 1, connections: 1 });
    await expect(dead.read('Patient', 'x')).rejects.toMatchObject({ status: 503, code: 'HAPI_UNAVAILABLE' });
    await dead.close();
  });
});
