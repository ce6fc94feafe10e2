import { z } from 'zod';
import { FhirId } from '../../core/fhir/fhir-kit';
import { PastDate } from '../../core/fhir/dates';
import { normalizeSsn } from './ssn';

const NamePart = z.string().trim().min(1).max(100).regex(/^[\p{L}\p{M}'’.\- ]+$/u, 'letters, spaces, apostrophes, dots and hyphens only');

export const PatientName = z.object({
  family: NamePart,
  given: z.array(NamePart).min(1).max(5),
  prefix: z.array(z.string().trim().min(1).max(20)).max(3).optional(),
  suffix: z.array(z.string().trim().min(1).max(20)).max(3).optional(),
}).strict();

/** E.164-ish: 10–15 digits once formatting is removed (US numbers have 10). */
export const Phone = z.string().trim().max(30).regex(/^\+?[\d\s().-]+$/, 'digits, spaces, + ( ) . - only')
  .refine((s) => { const n = s.replace(/\D/g, '').length; return n >= 10 && n <= 15; }, '10 to 15 digits');

export const Address = z.object({
  line: z.array(z.string().trim().min(1).max(200)).min(1).max(3),
  city: z.string().trim().min(1).max(100),
  state: z.string().trim().regex(/^[A-Z]{2}$/, 'a two-letter state code'),
  postalCode: z.string().trim().regex(/^\d{5}(-\d{4})?$/, 'a ZIP code: 12345 or 12345-6789'),
  country: z.string().trim().regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2').default('US'),
}).strict();

const Ssn = z.string().transform((s, ctx) => {
  const n = normalizeSsn(s);
  if (!n) { ctx.addIssue({ code: 'custom', message: 'a valid SSN (###-##-####, not 000/666/9xx area)' }); return z.NEVER; }
  return n;
});

export const PatientDemographics = z.object({
  name: PatientName,
  birthDate: PastDate,
  gender: z.enum(['male', 'female', 'other', 'unknown']),
  phone: Phone.optional(),
  email: z.email().max(200).optional(),
  address: Address.optional(),
  /** Stored only as an identifier; every response shows it masked. */
  ssn: Ssn.optional(),
  preferredLanguage: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a BCP-47 tag like en or en-US').optional(),
}).strict();

export const RegisterPatientBody = PatientDemographics.extend({
  /** Given by another system; generated when absent. */
  mrn: z.string().trim().regex(/^[A-Za-z0-9-]{4,32}$/, '4–32 letters, digits or hyphens').optional(),
}).strict();
export type RegisterPatient = z.infer<typeof RegisterPatientBody>;

/** Full replacement of the demographics; the MRN never changes, the SSN only when given. */
export const UpdatePatientBody = PatientDemographics.extend({ active: z.boolean().optional() }).strict();
export type UpdatePatient = z.infer<typeof UpdatePatientBody>;

export const PatientParams = z.object({ patientId: FhirId }).strict();

export const SearchQuery = z.object({
  q: z.string().trim().min(2).max(100).optional(),
  name: z.string().trim().min(2).max(100).optional(),
  birthDate: PastDate.optional(),
  mrn: z.string().trim().min(3).max(40).optional(),
  phone: z.string().trim().max(30).refine((s) => s.replace(/\D/g, '').length >= 4, 'at least 4 digits').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(/^\d{1,6}$/, 'an opaque cursor from a previous page').optional(),
}).strict().refine((s) => s.q || s.name || s.birthDate || s.mrn || s.phone, { message: 'give at least one of q, name, birthDate, mrn, phone', path: ['q'] });
export type PatientSearch = z.infer<typeof SearchQuery>;

export const TimelineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ offset: true }).optional(),
}).strict();

export const EverythingQuery = z.object({ _count: z.coerce.number().int().min(1).max(1000).optional() }).strict();
