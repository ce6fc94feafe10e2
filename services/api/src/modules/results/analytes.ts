/**
 * Result analytes the lab interface may report: LOINC, UCUM unit, adult reference ranges (by sex where they
 * differ) and critical limits. Values strictly beyond a critical limit are LL/HH (the lab must call them in).
 * Ranges follow the demo data catalog (scripts/seed/catalog.ts) and common US adult reference intervals.
 */
export interface Range {
  low?: number;
  high?: number;
  text?: string;
}
export interface Analyte {
  code: string;
  display: string;
  ucum: string;
  range: { female: Range; male: Range };
  criticalLow?: number;
  criticalHigh?: number;
}

const a = (
  code: string,
  display: string,
  ucum: string,
  female: Range,
  male: Range = female,
  critical: { low?: number; high?: number } = {},
): Analyte => ({
  code,
  display,
  ucum,
  range: { female, male },
  ...(critical.low !== undefined ? { criticalLow: critical.low } : {}),
  ...(critical.high !== undefined ? { criticalHigh: critical.high } : {}),
});

export const ANALYTES: readonly Analyte[] = [
  a(
    '718-7',
    'Hemoglobin [Mass/volume] in Blood',
    'g/dL',
    { low: 12.0, high: 15.5 },
    { low: 13.5, high: 17.5 },
    { low: 7.0, high: 20.0 },
  ),
  a(
    '4544-3',
    'Hematocrit [Volume Fraction] of Blood by Automated count',
    '%',
    { low: 36, high: 46 },
    { low: 41, high: 53 },
    { low: 20, high: 60 },
  ),
  a('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', { low: 4.5, high: 11.0 }, undefined, {
    low: 2.0,
    high: 30.0,
  }),
  a('777-3', 'Platelets [#/volume] in Blood by Automated count', '10*3/uL', { low: 150, high: 400 }, undefined, {
    low: 50,
    high: 1000,
  }),
  a('2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'mg/dL', { low: 70, high: 99 }, undefined, {
    low: 50,
    high: 400,
  }),
  a('2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', { low: 136, high: 145 }, undefined, {
    low: 120,
    high: 160,
  }),
  a('2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', { low: 3.5, high: 5.1 }, undefined, {
    low: 2.8,
    high: 6.2,
  }),
  a('2075-0', 'Chloride [Moles/volume] in Serum or Plasma', 'mmol/L', { low: 98, high: 107 }, undefined, {
    low: 80,
    high: 120,
  }),
  a('2028-9', 'Carbon dioxide, total [Moles/volume] in Serum or Plasma', 'mmol/L', { low: 22, high: 29 }, undefined, {
    low: 10,
    high: 40,
  }),
  a('3094-0', 'Urea nitrogen [Mass/volume] in Serum or Plasma', 'mg/dL', { low: 7, high: 20 }, undefined, {
    high: 100,
  }),
  a(
    '2160-0',
    'Creatinine [Mass/volume] in Serum or Plasma',
    'mg/dL',
    { low: 0.59, high: 1.04 },
    { low: 0.74, high: 1.35 },
    { high: 10.0 },
  ),
  a('17861-6', 'Calcium [Mass/volume] in Serum or Plasma', 'mg/dL', { low: 8.6, high: 10.3 }, undefined, {
    low: 6.5,
    high: 13.0,
  }),
  a('19123-9', 'Magnesium [Mass/volume] in Serum or Plasma', 'mg/dL', { low: 1.7, high: 2.2 }, undefined, {
    low: 1.0,
    high: 4.9,
  }),
  a('2777-1', 'Phosphate [Mass/volume] in Serum or Plasma', 'mg/dL', { low: 2.5, high: 4.5 }, undefined, { low: 1.0 }),
  a(
    '98979-8',
    'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)',
    'mL/min/{1.73_m2}',
    { low: 60, text: '>=60 mL/min/1.73m2' },
  ),
  a('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', { low: 4.0, high: 5.6 }),
  a('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', { high: 199, text: '<200 mg/dL' }),
  a('2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 'mg/dL', { high: 149, text: '<150 mg/dL' }),
  a('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'mg/dL', { low: 40, text: '>=40 mg/dL' }),
  a('18262-6', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay', 'mg/dL', {
    high: 99,
    text: '<100 mg/dL',
  }),
  a('3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma', 'm[IU]/L', { low: 0.4, high: 4.0 }, undefined, {
    high: 100,
  }),
  a('3024-7', 'Thyroxine (T4) free [Mass/volume] in Serum or Plasma', 'ng/dL', { low: 0.8, high: 1.8 }),
  a('6301-6', 'INR in Platelet poor plasma by Coagulation assay', '{INR}', { low: 0.8, high: 1.1 }, undefined, {
    high: 4.5,
  }),
  a('5902-2', 'Prothrombin time (PT)', 's', { low: 11, high: 13.5 }),
  a('14979-9', 'aPTT in Platelet poor plasma by Coagulation assay', 's', { low: 25, high: 35 }, undefined, {
    high: 100,
  }),
  a('1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'U/L', { low: 7, high: 56 }),
  a('1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'U/L', {
    low: 10,
    high: 40,
  }),
  a(
    '89579-7',
    'Troponin I.cardiac [Mass/volume] in Serum or Plasma by High sensitivity method',
    'ng/L',
    { high: 34 },
    undefined,
    { high: 1000 },
  ),
  a('33762-6', 'Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma', 'pg/mL', { high: 125 }),
  a('48065-7', 'Fibrin D-dimer FEU [Mass/volume] in Platelet poor plasma', 'ug/mL{FEU}', { high: 0.5 }),
  a('2524-7', 'Lactate [Moles/volume] in Serum or Plasma', 'mmol/L', { low: 0.5, high: 2.2 }, undefined, { high: 4.0 }),
  a('1988-5', 'C reactive protein [Mass/volume] in Serum or Plasma', 'mg/L', { high: 10 }),
  a('2276-4', 'Ferritin [Mass/volume] in Serum or Plasma', 'ng/mL', { low: 12, high: 150 }, { low: 24, high: 336 }),
  a('14959-1', 'Microalbumin/Creatinine [Mass Ratio] in Urine', 'mg/g{creat}', { high: 29, text: '<30 mg/g' }),
  a('2857-1', 'Prostate specific Ag [Mass/volume] in Serum or Plasma', 'ng/mL', { high: 4.0 }),
];

const BY_CODE = new Map(ANALYTES.map((x) => [x.code, x]));

export function analyte(code: string): Analyte | undefined {
  return BY_CODE.get(code);
}

export function rangeFor(x: Analyte, sex: string | undefined): Range {
  return sex === 'male' ? x.range.male : x.range.female;
}
