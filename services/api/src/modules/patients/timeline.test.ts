import { eventDate, mergeTimeline } from './timeline';

const res: fhir4.FhirResource[] = [
  {
    resourceType: 'Encounter',
    id: 'e1',
    status: 'finished',
    class: { code: 'AMB' },
    period: { start: '2024-01-10T09:00:00Z' },
  },
  {
    resourceType: 'Condition',
    id: 'c1',
    subject: { reference: 'Patient/1' },
    code: { text: 'Hypertension' },
    clinicalStatus: { coding: [{ code: 'active' }] },
    recordedDate: '2024-01-10T09:30:00Z',
  },
  {
    resourceType: 'Observation',
    id: 'o1',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    effectiveDateTime: '2024-03-01T08:00:00Z',
  },
  {
    resourceType: 'MedicationRequest',
    id: 'm1',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/1' },
    medicationCodeableConcept: { text: 'Lisinopril 10 mg' },
    authoredOn: '2024-02-01',
  },
  {
    resourceType: 'Immunization',
    id: 'i1',
    status: 'completed',
    patient: { reference: 'Patient/1' },
    vaccineCode: { text: 'Influenza' },
    occurrenceDateTime: '2023-10-01',
  },
  { resourceType: 'Procedure', id: 'p1', status: 'completed', subject: { reference: 'Patient/1' } },
];

describe('timeline merge', () => {
  it('sorts all types newest first and labels them from their codes', () => {
    const { events, nextBefore } = mergeTimeline(res, 10);
    expect(events.map((e) => e.id)).toEqual(['o1', 'm1', 'c1', 'e1', 'i1']);
    expect(events[0]).toMatchObject({ title: 'Heart rate', code: { code: '8867-4' }, status: 'final' });
    expect(events.find((e) => e.id === 'c1')!.status).toBe('active');
    expect(nextBefore).toBeUndefined();
  });
  it('leaves out undated resources', () => {
    expect(eventDate(res[5]!)).toBeUndefined();
  });
  it('pages with a before cursor without repeating or skipping', () => {
    const first = mergeTimeline(res, 2);
    expect(first.events.map((e) => e.id)).toEqual(['o1', 'm1']);
    expect(first.nextBefore).toBe('2024-02-01T00:00:00.000Z');
    const second = mergeTimeline(res, 2, first.nextBefore);
    expect(second.events.map((e) => e.id)).toEqual(['c1', 'e1']);
  });
  it('drops duplicates that came from two searches', () => {
    expect(mergeTimeline([...res, res[0]!], 10).events).toHaveLength(5);
  });
});
