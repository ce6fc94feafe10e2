import { ANALYTES, analyte, rangeFor } from './analytes';
import { interpret, interpretationOf, isCritical } from './interpretation';
import {
  buildResultTransaction,
  observationProblems,
  withAcknowledgement,
  acknowledgementOf,
  EXT_ACKNOWLEDGED,
} from './result-bundle';
import { IngestBody } from '@wintehr/contracts';
import { slopePerDay, trendDirection } from './trend';

describe('interpretation', () => {
  const k = analyte('2823-3')!;
  const at = (v: number) => interpret(v, rangeFor(k, 'female'), { low: k.criticalLow, high: k.criticalHigh });
  it('grades potassium against the reference range and the critical limits (strictly beyond)', () => {
    expect([2.7, 2.8, 3.4, 3.5, 4.2, 5.1, 5.2, 6.2, 6.3].map(at)).toEqual([
      'LL',
      'L',
      'L',
      'N',
      'N',
      'N',
      'H',
      'H',
      'HH',
    ]);
    expect(isCritical(at(6.8))).toBe(true);
    expect(isCritical(at(5.5))).toBe(false);
  });
  it('one-sided ranges never fire on the missing side', () => {
    expect(interpret(30, { low: 40 })).toBe('L');
    expect(interpret(400, { low: 40 })).toBe('N');
    expect(interpret(250, { high: 199 })).toBe('H');
  });
  it('uses sex-specific ranges', () => {
    const hb = analyte('718-7')!;
    expect(interpret(13, rangeFor(hb, 'male'))).toBe('L');
    expect(interpret(13, rangeFor(hb, 'female'))).toBe('N');
  });
  it('every analyte has a UCUM unit and critical limits outside the reference range', () => {
    for (const a of ANALYTES) {
      expect(a.ucum.length).toBeGreaterThan(0);
      for (const r of [a.range.female, a.range.male]) {
        if (a.criticalHigh !== undefined && r.high !== undefined) expect(a.criticalHigh).toBeGreaterThan(r.high);
        if (a.criticalLow !== undefined && r.low !== undefined) expect(a.criticalLow).toBeLessThan(r.low);
      }
    }
  });
});

describe('trend', () => {
  const pts = (values: number[]) =>
    values.map((value, i) => ({ at: new Date(Date.UTC(2026, 0, 1 + i * 30)).toISOString(), value }));
  it('fits a least-squares slope per day', () => {
    expect(slopePerDay(pts([1, 2, 3]))).toBeCloseTo(1 / 30);
    expect(slopePerDay(pts([5]))).toBeUndefined();
    expect(
      slopePerDay([
        { at: '2026-01-01T00:00:00Z', value: 1 },
        { at: '2026-01-01T00:00:00Z', value: 2 },
      ]),
    ).toBeUndefined();
  });
  it('says rising, falling or stable, ignoring noise within tolerance', () => {
    expect(trendDirection(pts([6.5, 7.2, 8.1])).direction).toBe('rising');
    expect(trendDirection(pts([195, 190, 185])).direction).toBe('falling');
    expect(trendDirection(pts([4.1, 4.2, 4.1, 4.15]), { low: 3.5, high: 5.1 }).direction).toBe('stable');
    expect(trendDirection(pts([4.0]))).toEqual({ direction: 'insufficient-data' });
  });
});

describe('result transaction', () => {
  const order: fhir4.ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: 'sr1',
    meta: { versionId: '3' },
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    requester: { reference: 'Practitioner/dr1' },
    code: { coding: [{ system: 'http://loinc.org', code: '51990-0' }] },
  };
  const patient: fhir4.Patient = { resourceType: 'Patient', id: 'p1', gender: 'male' };
  const body = IngestBody.parse({
    serviceRequestId: 'sr1',
    observations: [
      { code: '2823-3', value: 6.8, unit: 'mmol/L' },
      { code: '2951-2', value: 140, unit: 'mmol/L' },
    ],
  });

  it('files Observations, the report basedOn the order, completes the order with If-Match, and alerts on critical values', () => {
    const tx = buildResultTransaction(body, { order, patient, now: new Date('2026-03-01T12:00:00Z') });
    const types = tx.bundle.entry!.map((e) => `${e.request!.method} ${e.resource!.resourceType}`);
    expect(types).toEqual([
      'POST Observation',
      'POST Observation',
      'POST DiagnosticReport',
      'PUT ServiceRequest',
      'POST Flag',
      'POST Communication',
    ]);
    expect(tx.critical.map((c) => c.code)).toEqual(['2823-3']);
    expect(interpretationOf(tx.observations[0]!.resource)).toBe('HH');
    expect(tx.observations[1]!.interpretation).toBe('N');
    const sr = tx.bundle.entry![3]!;
    expect(sr.request!.ifMatch).toBe('W/"3"');
    expect((sr.resource as fhir4.ServiceRequest).status).toBe('completed');
    const report = tx.bundle.entry![2]!.resource as fhir4.DiagnosticReport;
    expect(report.basedOn).toEqual([{ reference: 'ServiceRequest/sr1' }]);
    expect(report.result!.map((r) => r.reference)).toEqual(tx.observations.map((o) => o.fullUrl));
    const comm = tx.bundle.entry![5]!.resource as fhir4.Communication;
    expect(comm.recipient).toEqual([{ reference: 'Practitioner/dr1' }]);
  });

  it('has no alert entries when nothing is critical, and rejects unknown codes and wrong units', () => {
    const normal = IngestBody.parse({
      serviceRequestId: 'sr1',
      observations: [{ code: '2823-3', value: 4.0, unit: 'mmol/L' }],
    });
    expect(buildResultTransaction(normal, { order, patient, now: new Date() }).bundle.entry).toHaveLength(3);
    const bad = IngestBody.parse({
      serviceRequestId: 'sr1',
      observations: [
        { code: '9999-9', value: 1, unit: 'mg' },
        { code: '2823-3', value: 4, unit: 'mg/dL' },
      ],
    });
    expect(observationProblems(bad).map((p) => p.field)).toEqual([
      'body.observations.0.code',
      'body.observations.1.unit',
    ]);
  });

  it('refuses future dates, duplicate codes and malformed LOINC in the schema', () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const r = IngestBody.safeParse({
      serviceRequestId: 'sr1',
      report: { issued: future },
      observations: [
        { code: '2823-3', value: 1, unit: 'mmol/L' },
        { code: '2823-3', value: 2, unit: 'mmol/L' },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['report.issued', 'observations']),
    );
    expect(
      IngestBody.safeParse({ serviceRequestId: 'sr1', observations: [{ code: 'K+', value: 1, unit: 'mmol/L' }] })
        .success,
    ).toBe(false);
  });

  it('writes and reads the acknowledged extension', () => {
    const at = new Date('2026-03-01T12:30:00Z');
    const obs: fhir4.Observation = { resourceType: 'Observation', status: 'final', code: {} };
    const acked = withAcknowledgement(obs, { reference: 'Practitioner/dr1' }, at);
    expect(acked.extension![0]!.url).toBe(EXT_ACKNOWLEDGED);
    expect(acknowledgementOf(acked)).toEqual({ by: 'Practitioner/dr1', at: at.toISOString() });
  });
});
