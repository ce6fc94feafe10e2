import { AppError } from '../../core/errors';
import { OrderSelectContext, OrderSignContext, PatientViewContext, parseHookRequest } from './hook-request';

const base = { hook: 'order-sign', hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea', context: { userId: 'Practitioner/1', patientId: 'p1', draftOrders: { resourceType: 'Bundle', entry: [] } } };

function fieldsOf(body: unknown, hook = 'order-sign', ctx: Parameters<typeof parseHookRequest>[2] = OrderSignContext): string[] {
  try {
    parseHookRequest(body, hook, ctx);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    return ((err as AppError).details as { field: string }[]).map((d) => d.field);
  }
}

describe('parseHookRequest', () => {
  it('accepts the spec example shape', () => {
    expect(parseHookRequest({ ...base, fhirServer: 'https://ehr.example/fhir', fhirAuthorization: { access_token: 't', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'cds-service' }, prefetch: { patient: null } }, 'order-sign', OrderSignContext).context.patientId).toBe('p1');
  });

  it.each([
    [{ ...base, hookInstance: 'abc' }, 'body.hookInstance'],
    [{ ...base, hook: 'patient-view' }, 'body.hook'],
    [{ ...base, fhirServer: 'ftp://x/fhir' }, 'body.fhirServer'],
    [{ ...base, fhirAuthorization: { access_token: 't', token_type: 'Bearer', expires_in: 1, scope: 's', subject: 's' } }, 'body.fhirAuthorization'],
    [{ ...base, context: { ...base.context, userId: 'Device/1' } }, 'body.context.userId'],
    [{ ...base, context: { ...base.context, patientId: '../x' } }, 'body.context.patientId'],
    [{ ...base, context: { ...base.context, draftOrders: { resourceType: 'Patient' } } }, 'body.context.draftOrders.resourceType'],
    [{ ...base, prefetch: { patient: 'text' } }, 'body.prefetch.patient'],
    [{ ...base, prefetch: { patient: { resourceType: 'not a type' } } }, 'body.prefetch.patient.resourceType'],
    [{ ...base, context: undefined }, 'body.context'],
  ])('rejects %# with a field detail', (body, field) => {
    expect(fieldsOf(body)).toContain(field);
  });

  it('checks each hook context', () => {
    expect(fieldsOf({ ...base, hook: 'patient-view', context: { userId: 'Practitioner/1' } }, 'patient-view', PatientViewContext)).toContain('body.context.patientId');
    expect(fieldsOf({ ...base, hook: 'order-select' }, 'order-select', OrderSelectContext)).toContain('body.context.selections');
    expect(fieldsOf({ ...base, hook: 'order-select', context: { ...base.context, selections: ['MedicationRequest/1'] } }, 'order-select', OrderSelectContext)).toEqual([]);
  });
});
