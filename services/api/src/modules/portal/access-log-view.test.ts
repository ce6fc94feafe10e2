import { accessEntryOf, accessKind } from './access-log-view';

const row = (o: Partial<Parameters<typeof accessEntryOf>[0]> = {}) => ({
  occurredAt: '2026-12-04T10:00:00.000Z',
  displayName: 'Dr. James Wilson',
  role: 'physician',
  action: 'medication.list',
  resourceType: 'MedicationRequest',
  purposeOfUse: 'TREAT',
  ...o,
});

describe('who opened my chart', () => {
  it('names the person and role, the time, the kind of access and what, without internal ids', () => {
    expect(accessEntryOf(row())).toEqual({
      at: '2026-12-04T10:00:00.000Z',
      who: 'Dr. James Wilson',
      role: 'Physician',
      kind: 'read',
      what: 'Medications',
    });
  });

  it('tells reads, writes and break-the-glass apart', () => {
    expect(accessKind('patient.read', 'TREAT')).toBe('read');
    expect(accessKind('fhir.search', null)).toBe('read');
    expect(accessKind('patient.everything', 'TREAT')).toBe('read');
    expect(accessKind('medication.prescribe', 'TREAT')).toBe('write');
    expect(accessKind('vitals.record-set', 'TREAT')).toBe('write');
    expect(accessKind('patient.read', 'ETREAT')).toBe('break-glass');
    expect(accessKind('break-glass.open', null)).toBe('break-glass');
  });

  it('falls back to the action, then to the role, when the resource or name is missing', () => {
    const e = accessEntryOf(
      row({ displayName: null, role: 'lab_technician', action: 'result.ingest', resourceType: null }),
    );
    expect(e).toMatchObject({ who: 'A lab technician', role: 'Lab technician', kind: 'write', what: 'Results' });
    expect(accessEntryOf(row({ role: null, displayName: null, action: 'x.y', resourceType: null }))).toMatchObject({
      who: 'WintEHR system',
      what: 'Your record',
    });
  });

  it('names a proxy by relationship and name, so the patient sees their parent/guardian read the chart', () => {
    const e = accessEntryOf(row({ displayName: 'Elena Rivera', role: 'patient', proxyRelationship: 'parent' }));
    expect(e).toMatchObject({ who: 'Your parent/guardian Elena Rivera', role: 'Proxy (parent/guardian)' });
    expect(accessEntryOf(row({ displayName: null, role: 'patient', proxyRelationship: 'caregiver' }))).toMatchObject({
      who: 'Your caregiver',
    });
  });
});
