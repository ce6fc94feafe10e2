import { AppError } from '../../core/errors';
import { OrderSelectContext, OrderSignContext, PatientViewContext, parseHookRequest } from './hook-request';

const base = {
  hook: 'order-sign',
  hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
  context: { userId: 'Practitioner/1', patientId: 'p1', draftOrders: { resourceType: 'Bundle', entry: [] } },
};

function fieldsOf(
  body: unknown,
  hook = 'order-sign',
  ctx: Parameters<typeof parseHookRequest>[2] = OrderSignContext,
): string[] {
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
    expect(
      parseHookRequest(
        {
          ...base,
          fhirServer: 'https://ehr.example/fhir',
          fhirAuthorization: {
            access_token: 't',
            token_type: 'Bearer',
            expires_in: 300,
            scope: 'patient/*.read',
            subject: 'cds-service',
          },
          prefetch: { patient: null },
        },
        'order-sign',
        OrderSignContext,
      ).request.context.patientId,
    ).toBe('p1');
  });

  it('ignores members no rule reads when they have the wrong shape (a client shows a 400 as "no cards")', () => {
    const r = parseHookRequest(
      {
        ...base,
        fhirServer: 'https://ehr.example/fhir',
        fhirAuthorization: { access_token: 't', token_type: 'bearer', scope: 7, subject: { x: 1 } },
        context: { ...base.context, userId: 'COREPRACTITIONER1', encounterId: 42 },
      },
      'order-sign',
      OrderSignContext,
    ).request;
    expect(r.fhirAuthorization).toEqual({ access_token: 't', token_type: 'bearer' });
    expect(r.context.userId).toBe('COREPRACTITIONER1');
    expect(r.context.encounterId).toBeUndefined();
  });

  it('leaves prefetch values to be checked per key when they are used (prefetch.ts)', () => {
    expect(
      parseHookRequest({ ...base, prefetch: { patient: 'text' } }, 'order-sign', OrderSignContext).request.prefetch,
    ).toEqual({ patient: 'text' });
  });

  it.each([
    [{ ...base, hookInstance: 'abc' }, 'body.hookInstance'],
    [{ ...base, hook: 'patient-view' }, 'body.hook'],
    [{ ...base, fhirServer: 'ftp://x/fhir' }, 'body.fhirServer'],
    [
      {
        ...base,
        fhirAuthorization: { access_token: 't', token_type: 'Bearer', expires_in: 1, scope: 's', subject: 's' },
      },
      'body.fhirAuthorization',
    ],
    [{ ...base, context: { ...base.context, patientId: '../x' } }, 'body.context.patientId'],
    [
      { ...base, context: { ...base.context, draftOrders: { resourceType: 'Patient' } } },
      'body.context.draftOrders.resourceType',
    ],
    [{ ...base, prefetch: 'text' }, 'body.prefetch'],
    [
      { ...base, fhirAuthorization: { access_token: 't', token_type: 'MAC' }, fhirServer: 'https://ehr.example/fhir' },
      'body.fhirAuthorization.token_type',
    ],
    [
      {
        ...base,
        context: {
          ...base.context,
          draftOrders: { resourceType: 'Bundle', entry: Array.from({ length: 201 }, () => ({})) },
        },
      },
      'body.context.draftOrders.entry',
    ],
    [{ ...base, context: undefined }, 'body.context'],
  ])('rejects %# with a field detail', (body, field) => {
    expect(fieldsOf(body)).toContain(field);
  });

  it('checks each hook context', () => {
    expect(
      fieldsOf(
        { ...base, hook: 'patient-view', context: { userId: 'Practitioner/1' } },
        'patient-view',
        PatientViewContext,
      ),
    ).toContain('body.context.patientId');
    expect(fieldsOf({ ...base, hook: 'order-select' }, 'order-select', OrderSelectContext)).toContain(
      'body.context.selections',
    );
    expect(
      fieldsOf(
        { ...base, hook: 'order-select', context: { ...base.context, selections: ['MedicationRequest/1'] } },
        'order-select',
        OrderSelectContext,
      ),
    ).toEqual([]);
  });
});
