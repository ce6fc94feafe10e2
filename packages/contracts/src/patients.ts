/** /api/patients: registration, fuzzy search, demographics, chart summary, timeline and $everything. */
import { z } from 'zod';
import { FhirId, PastDate, fhirBundle, fhirElement, fhirResource } from './fhir';
import { EligibilityOutcome, RegistrationInsurance } from './eligibility';
import { ALLERGY_RECORD_STATES } from './chart';

/**
 * US Social Security number "123-45-6789" or "123456789" → "123-45-6789"; undefined for something that is not a
 * possible SSN (area 000, 666 or 9xx, group 00, serial 0000 are never issued). Demo data uses the 999 range on
 * purpose, so `allowTestRange` lets callers accept it.
 */
export function normalizeSsn(input: string, allowTestRange = false): string | undefined {
  const m = /^(\d{3})-?(\d{2})-?(\d{4})$/.exec(input.trim());
  if (!m) return undefined;
  const [, area, group, serial] = m as unknown as [string, string, string, string];
  if (area === '000' || area === '666' || group === '00' || serial === '0000') return undefined;
  if (area.startsWith('9') && !allowTestRange) return undefined;
  return `${area}-${group}-${serial}`;
}

const NamePart = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\p{L}\p{M}'’.\- ]+$/u, 'letters, spaces, apostrophes, dots and hyphens only');

export const PatientName = z
  .object({
    family: NamePart,
    given: z.array(NamePart).min(1).max(5),
    prefix: z.array(z.string().trim().min(1).max(20)).max(3).optional(),
    suffix: z.array(z.string().trim().min(1).max(20)).max(3).optional(),
  })
  .strict();

/** E.164-ish: 10–15 digits once formatting is removed (US numbers have 10). */
export const PatientPhone = z
  .string()
  .trim()
  .max(30)
  .regex(/^\+?[\d\s().-]+$/, 'digits, spaces, + ( ) . - only')
  .refine((s) => {
    const n = s.replace(/\D/g, '').length;
    return n >= 10 && n <= 15;
  }, '10 to 15 digits');

export const PatientAddress = z
  .object({
    line: z.array(z.string().trim().min(1).max(200)).min(1).max(3),
    city: z.string().trim().min(1).max(100),
    state: z
      .string()
      .trim()
      .regex(/^[A-Z]{2}$/, 'a two-letter state code'),
    postalCode: z
      .string()
      .trim()
      .regex(/^\d{5}(-\d{4})?$/, 'a ZIP code: 12345 or 12345-6789'),
    country: z
      .string()
      .trim()
      .regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2')
      .default('US'),
  })
  .strict();

const Ssn = z.string().transform((s, ctx) => {
  const n = normalizeSsn(s);
  if (!n) {
    ctx.addIssue({ code: 'custom', message: 'a valid SSN (###-##-####, not 000/666/9xx area)' });
    return z.NEVER;
  }
  return n;
});

export const PatientDemographics = z
  .object({
    name: PatientName,
    birthDate: PastDate,
    gender: z.enum(['male', 'female', 'other', 'unknown']),
    phone: PatientPhone.optional(),
    email: z.email().max(200).optional(),
    address: PatientAddress.optional(),
    /** Stored only as an identifier; every response shows it masked. */
    ssn: Ssn.optional(),
    preferredLanguage: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a BCP-47 tag like en or en-US')
      .optional(),
  })
  .strict();

export const RegisterPatientBody = PatientDemographics.extend({
  /** Given by another system; generated when absent. */
  mrn: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,32}$/, '4–32 letters, digits or hyphens')
    .optional(),
  /** Insurance from the card: a Coverage is created and checked with the payer at once (issue 17). */
  insurance: RegistrationInsurance.optional(),
}).strict();
export type RegisterPatientBody = z.input<typeof RegisterPatientBody>;

/** Full replacement of the demographics; the MRN never changes, the SSN only when given. */
export const UpdatePatientBody = PatientDemographics.extend({ active: z.boolean().optional() }).strict();
export type UpdatePatientBody = z.input<typeof UpdatePatientBody>;

export const PatientParams = z.object({ patientId: FhirId }).strict();

export const PatientSearchQuery = z
  .object({
    q: z.string().trim().min(2).max(100).optional(),
    name: z.string().trim().min(2).max(100).optional(),
    birthDate: PastDate.optional(),
    mrn: z.string().trim().min(3).max(40).optional(),
    phone: z
      .string()
      .trim()
      .max(30)
      .refine((s) => s.replace(/\D/g, '').length >= 4, 'at least 4 digits')
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z
      .string()
      .regex(/^\d{1,6}$/, 'an opaque cursor from a previous page')
      .optional(),
  })
  .strict()
  .refine((s) => s.q || s.name || s.birthDate || s.mrn || s.phone, {
    message: 'give at least one of q, name, birthDate, mrn, phone',
    path: ['q'],
  });

export const TimelineQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export const EverythingQuery = z.object({ _count: z.coerce.number().int().min(1).max(1000).optional() }).strict();

/** Why a user may open a chart (see the API's patient-access). */
export const PatientAccessBasis = z.enum([
  'self',
  'assignment',
  'break-glass',
  'care-team',
  'encounter',
  'appointment',
  'pharmacy-queue',
  'imaging-worklist',
]);
export type PatientAccessBasis = z.infer<typeof PatientAccessBasis>;

export const NameMatchKind = z.enum(['exact', 'prefix', 'phonetic', 'typo', 'none']);
export type NameMatchKind = z.infer<typeof NameMatchKind>;

export const PatientHit = z
  .object({
    id: z.string(),
    name: z.object({ family: z.string().optional(), given: z.array(z.string()) }).strict(),
    birthDate: z.string().optional(),
    gender: z.string().optional(),
    mrn: z.string().optional(),
    active: z.boolean(),
    score: z.number(),
    match: z.array(NameMatchKind),
    /** Related patients open directly; for the others the UI offers break-the-glass at `breakGlass`. */
    access: z
      .object({ related: z.boolean(), basis: PatientAccessBasis.optional(), breakGlass: z.string().optional() })
      .strict(),
  })
  .strict();
export type PatientHit = z.infer<typeof PatientHit>;

export const PatientSearchResult = z
  .object({ total: z.number().int(), results: z.array(PatientHit), nextCursor: z.string().optional() })
  .strict();
export type PatientSearchResult = z.infer<typeof PatientSearchResult>;

/** What the API returns for a Patient: flat demographics plus the resource, SSN masked in both. */
export const PatientView = z
  .object({
    id: z.string(),
    version: z.string().optional(),
    active: z.boolean(),
    mrn: z.string().optional(),
    name: z.object({ family: z.string().optional(), given: z.array(z.string()), text: z.string() }).strict(),
    birthDate: z.string().optional(),
    age: z.number().int().optional(),
    gender: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
    address: fhirElement<fhir4.Address>().optional(),
    /** Masked: ***-**-1234. */
    ssn: z
      .string()
      .regex(/^\*\*\*-\*\*-(\d{4}|\*{4})$/)
      .optional(),
    resource: fhirResource('Patient'),
  })
  .strict();
export type PatientView = z.infer<typeof PatientView>;

/** The registration answer: the patient, and when insurance was given, what the payer said (never a failure). */
export const RegisteredPatient = PatientView.extend({ eligibility: EligibilityOutcome.optional() }).strict();
export type RegisteredPatient = z.infer<typeof RegisteredPatient>;

export const VitalSummary = z
  .object({
    id: z.string(),
    code: z.string(),
    display: z.string().optional(),
    effective: z.string().optional(),
    value: z.number().optional(),
    unit: z.string().optional(),
    components: z
      .array(z.object({ code: z.string(), value: z.number().optional(), unit: z.string().optional() }).strict())
      .optional(),
  })
  .strict();
export type VitalSummary = z.infer<typeof VitalSummary>;

export const PatientSummary = z
  .object({
    patient: PatientView,
    problems: z.array(fhirResource('Condition')),
    medications: z.array(fhirResource('MedicationRequest')),
    /** Allergies still asserted (not NKA entries, not withdrawn, refuted or inactive). */
    allergies: z.array(fhirResource('AllergyIntolerance')),
    allergyState: z.enum(ALLERGY_RECORD_STATES),
    /** Latest Observation per LOINC code of the vital-signs category. */
    vitals: z.array(VitalSummary),
    appointments: z.array(fhirResource('Appointment')),
    coverage: z.array(fhirResource('Coverage')),
  })
  .strict();
export type PatientSummary = z.infer<typeof PatientSummary>;

export const TimelineEvent = z
  .object({
    date: z.string(),
    resourceType: z.string(),
    id: z.string(),
    title: z.string(),
    status: z.string().optional(),
    code: fhirElement<fhir4.Coding>().optional(),
  })
  .strict();
export type TimelineEvent = z.infer<typeof TimelineEvent>;
export const PatientTimeline = z.object({ events: z.array(TimelineEvent), nextBefore: z.string().optional() }).strict();
export type PatientTimeline = z.infer<typeof PatientTimeline>;

/** Patient $everything, links rewritten to the façade. */
export const PatientEverything = fhirBundle();
