import { bundleFor } from './batch-safety-context';

describe('bundleFor', () => {
  it("keeps one patient's entries (subject or patient) and every included entry", () => {
    const bundle: fhir4.Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        {
          resource: {
            resourceType: 'MedicationRequest',
            id: 'a',
            status: 'active',
            intent: 'order',
            subject: { reference: 'Patient/p1' },
          } as fhir4.MedicationRequest,
          search: { mode: 'match' },
        },
        {
          resource: {
            resourceType: 'MedicationRequest',
            id: 'b',
            status: 'active',
            intent: 'order',
            subject: { reference: 'Patient/p2' },
          } as fhir4.MedicationRequest,
          search: { mode: 'match' },
        },
        {
          resource: {
            resourceType: 'AllergyIntolerance',
            id: 'c',
            patient: { reference: 'http://x/fhir/Patient/p1' },
          } as fhir4.AllergyIntolerance,
        },
        { resource: { resourceType: 'Medication', id: 'm' }, search: { mode: 'include' } },
      ],
    };
    expect(bundleFor(bundle, 'p1').entry?.map((e) => e.resource?.id)).toEqual(['a', 'c', 'm']);
    expect(bundleFor(bundle, 'p2').entry?.map((e) => e.resource?.id)).toEqual(['b', 'm']);
    expect(bundleFor(bundle, 'p3').entry?.map((e) => e.resource?.id)).toEqual(['m']);
  });
});
