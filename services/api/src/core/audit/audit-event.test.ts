import { SYSTEMS, auditEventId, classifyAction, toAuditEvent } from './audit-event';
import type { AuditRecord } from './audit-types';

const HASH = 'ab12cd34ef56ab78' + '0'.repeat(48);

function rec(over: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: '123',
    occurredAt: '2025-05-06T07:08:09.010Z',
    prevHash: '0'.repeat(64),
    hash: HASH,
    action: 'patient.read',
    outcome: 'success',
    userId: '6f1c7c1e-0000-4000-8000-000000000001',
    username: 'dr.house',
    role: 'physician',
    resourceType: 'Patient',
    resourceId: 'pat-1',
    patientId: 'pat-1',
    clientIp: '10.1.2.3',
    userAgent: 'Mozilla/5.0',
    requestId: 'req-9',
    purposeOfUse: 'TREAT',
    ...over,
  };
}

describe('classifyAction', () => {
  it.each([
    ['patient.read', 'rest', 'read', 'R'],
    ['fhir.vread', 'rest', 'vread', 'R'],
    ['fhir.search', 'rest', 'search-type', 'E'],
    ['observation.create', 'rest', 'create', 'C'],
    ['medication.prescribe', 'rest', 'create', 'C'],
    ['condition.update', 'rest', 'update', 'U'],
    ['note.patch', 'rest', 'patch', 'U'],
    ['allergy.delete', 'rest', 'delete', 'D'],
    ['auth.login', '110114', '110122', 'E'],
    ['auth.login-failed', '110114', '110122', 'E'],
    ['auth.logout', '110114', '110123', 'E'],
    ['auth.password-change', '110113', '110137', 'E'],
    ['break-glass.open', '110113', '110127', 'E'],
    ['break-glass.close', '110113', '110138', 'E'],
  ])('%s -> type %s, subtype %s, action %s', (action, type, subtype, act) => {
    const c = classifyAction(action, true);
    expect(c.type.code).toBe(type);
    expect(c.subtype?.code).toBe(subtype);
    expect(c.action).toBe(act);
  });

  it('uses the right code systems', () => {
    expect(classifyAction('patient.read', true).type.system).toBe(
      'http://terminology.hl7.org/CodeSystem/audit-event-type',
    );
    expect(classifyAction('patient.read', true).subtype?.system).toBe('http://hl7.org/fhir/restful-interaction');
    expect(classifyAction('auth.login', false).type.system).toBe('http://dicom.nema.org/resources/ontology/DCM');
  });

  it('falls back to DICOM Patient Record (with a patient) or Application Activity', () => {
    expect(classifyAction('chart.print', true)).toMatchObject({
      type: { code: '110110', display: 'Patient Record' },
      action: 'E',
    });
    expect(classifyAction('admin.reindex', false)).toMatchObject({ type: { code: '110100' }, action: 'E' });
    expect(classifyAction('audit.search', false)).toMatchObject({ type: { code: '110101' }, action: 'E' });
  });
});

describe('toAuditEvent', () => {
  it('maps a patient read in the BALP shape', () => {
    const ev = toAuditEvent(rec({ details: { params: ['_id'], reason: 'chart' } }));
    expect(ev).toMatchObject({
      resourceType: 'AuditEvent',
      id: 'wintehr-audit-123-ab12cd34ef56ab78',
      type: { system: SYSTEMS.eventType, code: 'rest' },
      subtype: [{ system: SYSTEMS.restful, code: 'read' }],
      action: 'R',
      recorded: '2025-05-06T07:08:09.010Z',
      outcome: '0',
      outcomeDesc: 'Success: chart',
      purposeOfEvent: [{ coding: [{ system: SYSTEMS.actReason, code: 'TREAT', display: 'treatment' }] }],
      source: { observer: { display: 'WintEHR API' }, type: [{ code: '4' }] },
    });
    expect(ev.agent).toEqual([
      {
        who: {
          identifier: { system: 'urn:wintehr:user', value: '6f1c7c1e-0000-4000-8000-000000000001' },
          display: 'dr.house',
        },
        name: 'dr.house',
        role: [{ coding: [{ system: SYSTEMS.role, code: 'physician' }], text: 'physician' }],
        requestor: true,
        network: { address: '10.1.2.3', type: '2' },
        purposeOfUse: [{ coding: [{ system: SYSTEMS.actReason, code: 'TREAT', display: 'treatment' }] }],
      },
    ]);
    const [patient, data, audit] = ev.entity!;
    expect(patient).toMatchObject({
      what: { reference: 'Patient/pat-1' },
      type: { code: '1' },
      role: { code: '1', display: 'Patient' },
    });
    expect(data).toMatchObject({
      what: { reference: 'Patient/pat-1' },
      type: { code: '2' },
      role: { code: '4', display: 'Domain Resource' },
    });
    expect(audit!.what).toEqual({
      identifier: { system: 'urn:wintehr:audit', value: '123' },
      display: 'WintEHR audit record 123',
    });
    expect(audit!.detail).toEqual([
      { type: 'action', valueString: 'patient.read' },
      { type: 'hash', valueString: HASH },
      { type: 'requestId', valueString: 'req-9' },
      { type: 'userAgent', valueString: 'Mozilla/5.0' },
      { type: 'details.params', valueString: '["_id"]' },
      { type: 'details.reason', valueString: 'chart' },
    ]);
  });

  it('maps outcomes to 0 / 4 / 8', () => {
    expect(toAuditEvent(rec({ outcome: 'success' })).outcome).toBe('0');
    expect(toAuditEvent(rec({ outcome: 'denied' }))).toMatchObject({ outcome: '4', outcomeDesc: 'Access denied' });
    expect(toAuditEvent(rec({ outcome: 'failure' }))).toMatchObject({ outcome: '8', outcomeDesc: 'Failure' });
  });

  it('adds the client application as a second agent, and makes it the requestor without a user', () => {
    const withUser = toAuditEvent(rec({ clientId: 'smart-app' }));
    expect(withUser.agent).toHaveLength(2);
    expect(withUser.agent[1]).toEqual({
      type: { coding: [{ system: SYSTEMS.dicom, code: '110150', display: 'Application' }] },
      who: { identifier: { system: 'urn:wintehr:oauth-client', value: 'smart-app' }, display: 'smart-app' },
      requestor: false,
    });
    const backend = toAuditEvent(rec({ clientId: 'backend', userId: undefined, username: undefined, role: undefined }));
    expect(backend.agent).toHaveLength(1);
    expect(backend.agent[0]).toMatchObject({
      requestor: true,
      network: { address: '10.1.2.3' },
      who: { display: 'backend' },
    });
  });

  it('still has a requestor agent for an anonymous failed login', () => {
    const ev = toAuditEvent(
      rec({
        action: 'auth.login',
        outcome: 'denied',
        userId: undefined,
        username: undefined,
        role: undefined,
        resourceType: undefined,
        resourceId: undefined,
        patientId: undefined,
        purposeOfUse: undefined,
      }),
    );
    expect(ev).toMatchObject({
      type: { code: '110114' },
      subtype: [{ code: '110122', display: 'Login' }],
      action: 'E',
      outcome: '4',
    });
    expect(ev.agent).toEqual([
      { who: { display: 'unauthenticated' }, requestor: true, network: { address: '10.1.2.3', type: '2' } },
    ]);
    expect(ev.entity).toHaveLength(1);
    expect(ev.purposeOfEvent).toBeUndefined();
  });

  it('describes a search as a Query entity and a break-the-glass with ETREAT', () => {
    const search = toAuditEvent(rec({ action: 'fhir.search', resourceType: 'Observation', resourceId: undefined }));
    expect(search.entity![1]).toMatchObject({ role: { code: '24', display: 'Query' }, description: 'Observation' });
    const bg = toAuditEvent(
      rec({ action: 'break-glass.open', purposeOfUse: 'ETREAT', resourceType: undefined, resourceId: undefined }),
    );
    expect(bg).toMatchObject({
      type: { code: '110113' },
      subtype: [{ code: '110127' }],
      purposeOfEvent: [{ coding: [{ code: 'ETREAT', display: 'Emergency Treatment' }] }],
    });
  });

  it('can point at targets by identifier instead of reference (target unknown to HAPI, or not a FHIR id)', () => {
    const ev = toAuditEvent(rec({ resourceType: 'Observation', resourceId: 'obs-1' }), { logicalReferences: true });
    expect(ev.entity![0]!.what).toEqual({
      identifier: { system: 'urn:wintehr:fhir:Patient', value: 'pat-1' },
      type: 'Patient',
      display: 'Patient/pat-1',
    });
    expect(ev.entity![1]!.what).toMatchObject({ identifier: { value: 'obs-1' }, type: 'Observation' });
    const onlyResource = toAuditEvent(rec({ resourceType: 'Observation', resourceId: 'obs-1' }), {
      logicalReferences: 'resource',
    });
    expect(onlyResource.entity![0]!.what).toEqual({ reference: 'Patient/pat-1' });
    expect(onlyResource.entity![1]!.what).toMatchObject({ identifier: { value: 'obs-1' }, type: 'Observation' });
    const odd = toAuditEvent(rec({ patientId: 'has space' }));
    expect(odd.entity![0]!.what!.reference).toBeUndefined();
  });

  it('derives a FHIR-valid id from the row id and hash', () => {
    const id = auditEventId({ id: '9223372036854775807', hash: 'f'.repeat(64) });
    expect(id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
  });
});
