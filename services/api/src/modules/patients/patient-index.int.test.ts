import { randomUUID } from 'node:crypto';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { PatientIndex } from './patient-index';

describe('PatientIndex follows HAPI (real HAPI)', () => {
  it('loads every patient, then picks up creates, updates and deletes from the type history', async () => {
    const t = await buildTestApp();
    try {
      const index = new PatientIndex(t.deps.fhir, 0);
      await index.fresh();
      const total = (await t.deps.fhir.search('Patient', { _summary: 'count' })).total ?? 0;
      expect(index.size).toBeGreaterThanOrEqual(Math.min(total, 1)); // others may write concurrently
      const p = await t.deps.fhir.create<fhir4.Patient>({
        resourceType: 'Patient',
        name: [{ family: 'Indexone', given: ['Ida'] }],
        identifier: [{ system: 'urn:wintehr:test', value: `${RUN_ID}-${randomUUID()}` }],
      });
      await index.fresh();
      const find = () => [...index.all()].find((x) => x.id === p.id);
      expect(find()?.tokens.map((k) => k.t)).toEqual(expect.arrayContaining(['ida', 'indexone']));
      await t.deps.fhir.update({ ...p, name: [{ family: 'Indextwo', given: ['Ida'] }] });
      await index.fresh();
      expect(find()?.family).toBe('Indextwo');
      await t.deps.fhir.delete('Patient', p.id!);
      await index.fresh();
      expect(find()).toBeUndefined();
    } finally {
      await t.close();
    }
  }, 60_000);
});
