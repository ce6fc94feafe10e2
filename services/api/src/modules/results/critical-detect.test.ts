import { ANALYTES, analyte } from './analytes';
import { alertsFrom, criticalFlagOf, criticalValueSearches } from './critical-detect';
import { testName, worklistItem } from './critical-view';
import { EXT_ACKNOWLEDGED } from './result-bundle';

const LOINC = 'http://loinc.org';
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const obs = (id: string, code: string, value: number, extra: Partial<fhir4.Observation> = {}): fhir4.Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: LOINC, code }] },
  subject: { reference: 'Patient/p1' },
  valueQuantity: { value, unit: 'mmol/L' },
  ...extra,
});
const flagged = (code: string) => ({ interpretation: [{ coding: [{ system: V3, code }] }] });

describe('criticalFlagOf', () => {
  it("trusts the sender's critical flag, v3 or v2", () => {
    expect(criticalFlagOf(obs('a', '9999-9', 1, flagged('HH')))).toBe('HH');
    expect(criticalFlagOf(obs('a', '9999-9', 1, flagged('AA')))).toBe('AA');
    expect(
      criticalFlagOf(
        obs('a', '9999-9', 1, {
          interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0078', code: 'LL' }] }],
        }),
      ),
    ).toBe('LL');
    expect(criticalFlagOf(obs('a', '9999-9', 1, flagged('H')))).toBeUndefined();
  });
  it('finds an unflagged value beyond our critical limits (K+ 6.8, glucose 35), not one inside them', () => {
    expect(criticalFlagOf(obs('a', '2823-3', 6.8))).toBe('HH');
    expect(criticalFlagOf(obs('a', '2345-7', 35))).toBe('LL');
    expect(criticalFlagOf(obs('a', '2823-3', 5.4))).toBeUndefined();
    expect(criticalFlagOf(obs('a', '12345-6', 9999))).toBeUndefined();
  });
  it('never counts a withdrawn result', () => {
    expect(criticalFlagOf(obs('a', '2823-3', 6.8, { status: 'entered-in-error', ...flagged('HH') }))).toBeUndefined();
    expect(criticalFlagOf(obs('a', '2823-3', 6.8, { status: 'cancelled' }))).toBeUndefined();
  });
  it('searches every critical limit of the catalog as a value filter', () => {
    const searches = criticalValueSearches();
    const k = analyte('2823-3')!;
    const glucose = analyte('2345-7')!;
    expect(searches).toContainEqual({ code: `${LOINC}|2823-3`, 'value-quantity': `gt${k.criticalHigh}` });
    expect(searches).toContainEqual({ code: `${LOINC}|2345-7`, 'value-quantity': `lt${glucose.criticalLow}` });
    expect(searches).toHaveLength(
      ANALYTES.reduce((n, x) => n + Number(x.criticalHigh !== undefined) + Number(x.criticalLow !== undefined), 0),
    );
  });
});

describe('alertsFrom', () => {
  const report = (
    id: string,
    results: string[],
    extra: Partial<fhir4.DiagnosticReport> = {},
  ): fhir4.DiagnosticReport => ({
    resourceType: 'DiagnosticReport',
    id,
    status: 'final',
    code: { text: 'BMP' },
    issued: '2026-12-01T10:00:00Z',
    result: results.map((r) => ({ reference: `Observation/${r}` })),
    ...extra,
  });

  it('groups critical values under their report, with the orderer as the one responsible', () => {
    const alerts = alertsFrom(
      [obs('k', '2823-3', 6.8), obs('na', '2951-2', 139), obs('g', '2345-7', 30)],
      [
        report('r1', ['k', 'na', 'g'], {
          basedOn: [{ reference: 'ServiceRequest/sr1' }],
          resultsInterpreter: [{ reference: 'Practitioner/interp' }],
        }),
      ],
      new Map([['sr1', 'orderer']]),
    );
    expect(alerts).toEqual([
      {
        focusType: 'DiagnosticReport',
        focusId: 'r1',
        patientId: 'p1',
        serviceRequestId: 'sr1',
        observationIds: ['k', 'g'],
        codes: ['2823-3', '2345-7'],
        filedAt: '2026-12-01T10:00:00Z',
        responsiblePractitionerId: 'orderer',
      },
    ]);
  });

  it('falls back to the interpreter, keeps lone Observations, and drops acknowledged ones', () => {
    const ack = { extension: [{ url: EXT_ACKNOWLEDGED, extension: [] }] };
    const alerts = alertsFrom(
      [
        obs('k', '2823-3', 6.8),
        obs('lone', '2823-3', 7.0, { issued: '2026-12-02T00:00:00Z' }),
        obs('done', '2823-3', 7.1, ack),
      ],
      [report('r1', ['k'], { resultsInterpreter: [{ reference: 'Practitioner/interp' }] }), report('r2', ['x'], ack)],
      new Map(),
    );
    expect(alerts.map((a) => [a.focusType, a.focusId, a.responsiblePractitionerId])).toEqual([
      ['DiagnosticReport', 'r1', 'interp'],
      ['Observation', 'lone', undefined],
    ]);
    expect(alertsFrom([obs('k', '2823-3', 6.8)], [report('r3', ['k'], ack)], new Map())).toEqual([]);
  });
});

describe('worklist view', () => {
  it('names tests from LOINC display, text, then our catalog — never a bare code', () => {
    expect(testName(obs('a', '2823-3', 1))).toBe('Potassium [Moles/volume] in Serum or Plasma');
    expect(
      testName({ ...obs('a', '2823-3', 1), code: { text: 'K+', coding: [{ system: LOINC, code: '2823-3' }] } }),
    ).toBe('K+');
    expect(
      testName({ ...obs('a', '1', 1), code: { coding: [{ system: LOINC, code: '1', display: 'Lab name' }] } }),
    ).toBe('Lab name');
  });

  it('shows the patient name, value, flag and deadline, dropping a value withdrawn since', () => {
    const row = {
      report_id: 'r1',
      focus_type: 'DiagnosticReport' as const,
      patient_id: 'p1',
      service_request_id: null,
      observation_ids: ['k', 'gone'],
      critical_codes: ['2823-3', '2823-3'],
      created_at: new Date('2026-12-01T10:00:00Z'),
      deadline_at: new Date('2026-12-01T11:00:00Z'),
      escalation_level: 0,
      ordering_practitioner_id: null,
    };
    const item = worklistItem(
      row,
      new Map([
        [
          'k',
          obs('k', '2823-3', 6.8, { referenceRange: [{ low: { value: 3.5, unit: 'mmol/L' }, high: { value: 5.1 } }] }),
        ],
        ['gone', obs('gone', '2823-3', 7.5, { status: 'entered-in-error' })],
      ]),
      { resourceType: 'Patient', name: [{ given: ['Maria'], family: 'Garcia' }], birthDate: '1950-02-03' },
      Date.parse('2026-12-01T12:00:00Z'),
    );
    expect(item).toMatchObject({ patientName: 'Maria Garcia', patientBirthDate: '1950-02-03', overdue: true });
    expect(item.tests).toEqual([
      {
        observationId: 'k',
        code: '2823-3',
        display: 'Potassium [Moles/volume] in Serum or Plasma',
        value: 6.8,
        unit: 'mmol/L',
        flag: 'HH',
        referenceRange: '3.5–5.1 mmol/L',
      },
    ]);
  });
});
