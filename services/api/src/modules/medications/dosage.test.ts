import { DosageInput, normaliseUnit, routeOf } from '@wintehr/contracts';
import { dailyDoseProblem, dosesPerDay, sigText, toFhirDosage } from './dosage';

const base = { dose: { value: 10, unit: 'mg' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' as const };

describe('dosage validation', () => {
  it('accepts a structured once-daily oral dose and maps it to FHIR with UCUM and SNOMED', () => {
    const d = DosageInput.parse(base);
    const fhir = toFhirDosage(d);
    expect(fhir.doseAndRate?.[0]?.doseQuantity).toEqual({
      value: 10,
      unit: 'mg',
      system: 'http://unitsofmeasure.org',
      code: 'mg',
    });
    expect(fhir.route?.coding?.[0]).toMatchObject({ system: 'http://snomed.info/sct', code: '26643006' });
    expect(fhir.timing?.repeat).toEqual({ frequency: 1, period: 1, periodUnit: 'd' });
    expect(fhir.text).toBe('10 mg oral, every day');
    expect(fhir.asNeededBoolean).toBeUndefined();
  });

  it('rejects zero and negative doses, unknown units and routes with the field path', () => {
    const bad = DosageInput.safeParse({ ...base, dose: { value: -5, unit: 'spoonful' }, route: 'telepathic' });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['dose.value', 'dose.unit', 'route']));
    expect(DosageInput.safeParse({ ...base, dose: { value: 0, unit: 'mg' } }).success).toBe(false);
    expect(DosageInput.safeParse({ ...base, frequency: 0 }).success).toBe(false);
    expect(DosageInput.safeParse({ ...base, periodUnit: 'fortnight' }).success).toBe(false);
  });

  it('normalises common unit spellings to UCUM and accepts SNOMED route codes', () => {
    expect(normaliseUnit('mcg')).toBe('ug');
    expect(normaliseUnit('tablets')).toBe('{tablet}');
    expect(normaliseUnit('ML')).toBe('mL');
    expect(normaliseUnit('bucket')).toBeUndefined();
    expect(routeOf('47625008')?.display).toBe('Intravenous route');
    expect(routeOf('IV')).toBeUndefined();
  });

  it('encodes PRN with a reason and refuses a reason without asNeeded', () => {
    const prn = toFhirDosage(DosageInput.parse({ ...base, frequency: 4, asNeeded: true, asNeededReason: 'pain' }));
    expect(prn.asNeededCodeableConcept).toEqual({ text: 'pain' });
    expect(sigText(DosageInput.parse({ ...base, frequency: 4, asNeeded: true, asNeededReason: 'pain' }))).toBe(
      '10 mg oral, 4 times per day, as needed for pain',
    );
    const r = DosageInput.safeParse({ ...base, asNeededReason: 'pain' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['asNeededReason']);
  });

  it('computes doses per day and flags a schedule above the stated daily maximum', () => {
    expect(dosesPerDay({ frequency: 1, period: 8, periodUnit: 'h' })).toBeCloseTo(3);
    expect(dosesPerDay({ frequency: 1, period: 1, periodUnit: 'wk' })).toBeCloseTo(1 / 7);
    const over = DosageInput.parse({
      ...base,
      dose: { value: 1000, unit: 'mg' },
      frequency: 1,
      period: 4,
      periodUnit: 'h',
      maxDosePerDay: { value: 4000, unit: 'mg' },
    });
    expect(dailyDoseProblem(over)).toMatchObject({ field: 'body.dosage.maxDosePerDay' });
    const ok = DosageInput.parse({
      ...base,
      dose: { value: 1000, unit: 'mg' },
      frequency: 1,
      period: 6,
      periodUnit: 'h',
      maxDosePerDay: { value: 4000, unit: 'mg' },
    });
    expect(dailyDoseProblem(ok)).toBeUndefined();
    expect(toFhirDosage(ok).maxDosePerPeriod?.numerator?.value).toBe(4000);
  });
});
