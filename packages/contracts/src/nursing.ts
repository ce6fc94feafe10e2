/** /api/patients/:patientId/{mar,tasks}: the medication administration record and nursing tasks. */
import { z } from 'zod';
import { FhirId, PastDateTime, fhirResource, isRealDate } from './fhir';

export const MarQuery = z
  .object({ date: z.string().refine(isRealDate, 'a real date as YYYY-MM-DD').optional() })
  .strict();

export const MAR_DOSE_STATES = ['due', 'given', 'not-given', 'held'] as const;
export type MarDoseState = (typeof MAR_DOSE_STATES)[number];

const MarDose = z
  .object({
    /** The scheduled time; absent for an as-needed (PRN) dose. */
    dueAt: z.string().optional(),
    state: z.enum(MAR_DOSE_STATES),
    administrationId: z.string().optional(),
    recordedAt: z.string().optional(),
    reason: z.string().optional(),
  })
  .strict();
export type MarDose = z.infer<typeof MarDose>;

const MarOrder = z
  .object({
    medicationRequestId: z.string(),
    medication: z.string(),
    dosage: z.string(),
    status: z.string(),
    prn: z.boolean(),
    /** Today's scheduled doses, earliest first (never any for a PRN order). */
    doses: z.array(MarDose),
    /** PRN doses documented today. */
    prnDoses: z.array(MarDose),
  })
  .strict();
export type MarOrder = z.infer<typeof MarOrder>;

export const MarResponse = z.object({ date: z.string(), orders: z.array(MarOrder) }).strict();
export type MarResponse = z.infer<typeof MarResponse>;

export const MAR_OUTCOMES = ['given', 'not-given', 'held'] as const;
export type MarOutcome = (typeof MAR_OUTCOMES)[number];

export const AdministrationBody = z
  .object({
    medicationRequestId: FhirId,
    /** The scheduled dose this documents (one of the MAR's dueAt values); omit for a PRN dose. */
    dueAt: z.iso.datetime({ offset: true }).optional(),
    outcome: z.enum(MAR_OUTCOMES),
    /** Required when the dose was not given or held. */
    reason: z.string().trim().min(3).max(500).optional(),
    administeredAt: PastDateTime.optional(),
    note: z.string().trim().max(1000).optional(),
  })
  .strict()
  .refine((b) => b.outcome === 'given' || !!b.reason, {
    message: 'say why the dose was not given or held',
    path: ['reason'],
  });
export type AdministrationBody = z.input<typeof AdministrationBody>;
export const AdministrationResponse = fhirResource('MedicationAdministration');

export const NursingTaskBody = z
  .object({
    description: z.string().trim().min(3).max(500),
    priority: z.enum(['routine', 'urgent']).default('routine'),
    dueAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type NursingTaskBody = z.input<typeof NursingTaskBody>;
export const CompleteTaskBody = z.object({ note: z.string().trim().max(1000).optional() }).strict();
export const NursingTaskParams = z.object({ patientId: FhirId, id: FhirId }).strict();
export const NursingTaskQuery = z.object({ include: z.enum(['open', 'all']).default('open') }).strict();
export const NursingTaskList = z.object({ items: z.array(fhirResource('Task')) }).strict();
export type NursingTaskList = { items: fhir4.Task[] };
