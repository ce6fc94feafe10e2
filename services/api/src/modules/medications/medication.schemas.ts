import { z } from 'zod';
import { FhirId } from '../../core/fhir/fhir-kit';
import { DosageInput } from './dosage';

export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

export const PatientParams = z.object({ patientId: FhirId }).strict();
export const IdParams = z.object({ id: FhirId }).strict();

export const CodingInput = z.object({
  system: z.url().max(200),
  code: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9.\-_]+$/, 'not a valid code'),
  display: z.string().trim().max(300).optional(),
}).strict();

export const MedicationInput = z.object({
  system: z.literal(RXNORM, `medication must be coded in RxNorm (${RXNORM})`).default(RXNORM),
  code: z.string().trim().regex(/^\d{1,10}$/, 'an RxNorm code (RXCUI) is digits'),
  display: z.string().trim().max(300).optional(),
}).strict();

export const PrescribeBody = z.object({
  medication: MedicationInput,
  dosage: DosageInput,
  dispense: z.object({
    quantity: z.object({ value: z.number().positive('quantity must be greater than 0').max(10_000), unit: z.string().trim().min(1).max(30) }).strict(),
    numberOfRepeatsAllowed: z.number().int().min(0).max(11).default(0),
    /** Days supply. */
    expectedSupplyDays: z.number().int().min(1).max(365),
    /** The intended pharmacy: an Organization that must exist in HAPI. */
    pharmacyId: FhirId.optional(),
    substitutionAllowed: z.boolean().default(true),
  }).strict(),
  reason: z.object({ coding: z.array(CodingInput).max(5).optional(), text: z.string().trim().min(2).max(300).optional() }).strict()
    .refine((r) => r.coding?.length || r.text, 'give a coded reason or a text').optional(),
  encounterId: FhirId.optional(),
  startDate: z.iso.date().optional(),
  note: z.string().trim().max(1000).optional(),
  /** Re-send with an override to place an order that the safety check stopped. */
  override: z.object({
    reason: z.string().trim().min(5, 'an override reason needs at least 5 characters').max(500),
    findingIds: z.array(z.string().min(1).max(300)).max(50).optional(),
  }).strict().optional(),
}).strict();
export type PrescribeBody = z.infer<typeof PrescribeBody>;

export const DiscontinueBody = z.object({
  reason: z.string().trim().min(3).max(500),
  /** Coded reason (SNOMED CT or the medicationrequest-status-reason code system). */
  reasonCode: CodingInput.optional(),
  /** Version the client saw; a stale one is a 409. */
  ifMatch: z.string().regex(/^\d{1,10}$/).optional(),
}).strict();

export const ListQuery = z.object({
  status: z.enum(['active', 'all', 'stopped', 'completed', 'on-hold', 'cancelled']).default('active'),
  _count: z.coerce.number().int().min(1).max(200).default(100),
}).strict();

export const StatementBody = z.object({
  medication: z.object({
    system: z.literal(RXNORM).default(RXNORM),
    code: z.string().trim().regex(/^\d{1,10}$/, 'an RxNorm code (RXCUI) is digits').optional(),
    display: z.string().trim().min(2).max(300).optional(),
  }).strict().refine((m) => m.code || m.display, 'give an RxNorm code or at least a name'),
  status: z.enum(['active', 'completed', 'stopped', 'intended', 'not-taken', 'on-hold', 'unknown']).default('active'),
  dosageText: z.string().trim().max(300).optional(),
  effectiveStart: z.iso.date().optional(),
  effectiveEnd: z.iso.date().optional(),
  informationSource: z.enum(['patient', 'practitioner', 'related-person', 'pharmacy-record']).default('patient'),
  reasonText: z.string().trim().max(300).optional(),
  note: z.string().trim().max(1000).optional(),
}).strict().refine((b) => !b.effectiveStart || !b.effectiveEnd || b.effectiveEnd >= b.effectiveStart, { message: 'effectiveEnd is before effectiveStart', path: ['effectiveEnd'] });
export type StatementBody = z.infer<typeof StatementBody>;

export const StatementQuery = z.object({ status: z.enum(['active', 'all']).default('all') }).strict();
