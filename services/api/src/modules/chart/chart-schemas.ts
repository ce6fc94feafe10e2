import { z } from 'zod';
import { PastDateOrDateTime } from '../../core/fhir/dates';
import { FhirId } from '../../core/fhir/fhir-kit';
import { SYSTEMS, isValidCode, type CodeSystemName } from './code-validators';

/** A coded concept in one of the named systems; the code is checked (syntax and check digit). */
function coded<S extends CodeSystemName>(systems: readonly [S, ...S[]]) {
  return z.object({ system: z.enum(systems), code: z.string().trim().min(1).max(32), display: z.string().trim().min(1).max(200) }).strict()
    .superRefine((c, ctx) => { if (!isValidCode(c.system, c.code)) ctx.addIssue({ code: 'custom', path: ['code'], message: `not a valid ${c.system} code` }); });
}
export type Coded = { system: CodeSystemName; code: string; display: string };
export const toConcept = (c: Coded): fhir4.CodeableConcept => ({ coding: [{ system: SYSTEMS[c.system], code: c.code, display: c.display }], text: c.display });

export const PatientParams = z.object({ patientId: FhirId }).strict();
export const ItemParams = z.object({ patientId: FhirId, id: FhirId }).strict();
export const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

export const AllergyBody = z.object({
  substance: coded(['rxnorm', 'snomed']),
  type: z.enum(['allergy', 'intolerance']).default('allergy'),
  category: z.array(z.enum(['food', 'medication', 'environment', 'biologic'])).min(1).max(4).default(['medication']),
  criticality: z.enum(['low', 'high', 'unable-to-assess']),
  clinicalStatus: z.enum(['active', 'inactive', 'resolved']).default('active'),
  verificationStatus: z.enum(['unconfirmed', 'confirmed', 'refuted', 'entered-in-error']).default('confirmed'),
  onset: PastDateOrDateTime.optional(),
  reactions: z.array(z.object({
    manifestation: coded(['snomed']),
    severity: z.enum(['mild', 'moderate', 'severe']).optional(),
  }).strict()).max(10).default([]),
  note: z.string().trim().max(2000).optional(),
}).strict();

export const ProblemBody = z.object({
  code: coded(['snomed', 'icd10']),
  clinicalStatus: z.enum(['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved']).default('active'),
  verificationStatus: z.enum(['unconfirmed', 'provisional', 'differential', 'confirmed']).default('confirmed'),
  severity: z.enum(['mild', 'moderate', 'severe']).optional(),
  onset: PastDateOrDateTime.optional(),
  note: z.string().trim().max(2000).optional(),
}).strict();

export const ResolveBody = z.object({ abatement: PastDateOrDateTime.optional(), note: z.string().trim().max(2000).optional() }).strict();

export const ImmunizationBody = z.object({
  vaccine: coded(['cvx']),
  status: z.enum(['completed', 'not-done']).default('completed'),
  occurrence: PastDateOrDateTime,
  lotNumber: z.string().trim().min(1).max(40).optional(),
  expirationDate: z.iso.date().optional(),
  site: z.enum(['LA', 'RA', 'LT', 'RT', 'LD', 'RD']).optional(),
  route: z.enum(['IM', 'SC', 'ID', 'PO', 'IN']).optional(),
  doseMl: z.number().positive().max(10).optional(),
  primarySource: z.boolean().default(true),
}).strict();
