/**
 * Patient lists and encounter context (issue 15): a clinician's day (their Appointments), the patients they look
 * after and why, the visit actions (check in, arrived, start visit) and a patient's open encounters.
 */
import { z } from 'zod';
import { FhirId } from './fhir';

export const ScheduleQuery = z
  .object({
    /** The day (YYYY-MM-DD, in the clinic's time zone); default today. */
    date: z.iso.date().optional(),
  })
  .strict();
export type ScheduleQuery = z.infer<typeof ScheduleQuery>;

export const AppointmentStatus = z.enum([
  'proposed',
  'pending',
  'booked',
  'arrived',
  'fulfilled',
  'cancelled',
  'noshow',
  'entered-in-error',
  'checked-in',
  'waitlist',
]);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

export const SchedulePatient = z
  .object({
    id: z.string(),
    name: z.string(),
    mrn: z.string().optional(),
    birthDate: z.string().optional(),
  })
  .strict();
export type SchedulePatient = z.infer<typeof SchedulePatient>;

export const ScheduleItem = z
  .object({
    appointmentId: z.string(),
    start: z.string().optional(),
    end: z.string().optional(),
    minutes: z.number().int().optional(),
    status: AppointmentStatus,
    description: z.string().optional(),
    type: z.string().optional(),
    patient: SchedulePatient.optional(),
    /** The in-progress (or finished) Encounter started from this appointment. */
    encounter: z.object({ id: z.string(), status: z.string() }).strict().optional(),
  })
  .strict();
export type ScheduleItem = z.infer<typeof ScheduleItem>;

export const Schedule = z
  .object({
    date: z.string(),
    timeZone: z.string(),
    practitionerId: z.string(),
    items: z.array(ScheduleItem),
  })
  .strict();
export type Schedule = z.infer<typeof Schedule>;

export const AppointmentParams = z.object({ appointmentId: FhirId }).strict();

/** POST /api/appointments/:id/check-in | arrived | start-visit. */
export const AppointmentAction = z.enum(['check-in', 'arrived', 'start-visit']);
export type AppointmentAction = z.infer<typeof AppointmentAction>;

export const MyPatientReason = z.enum(['care-team', 'assignment', 'appointment-today']);
export type MyPatientReason = z.infer<typeof MyPatientReason>;

export const MyPatient = z
  .object({
    id: z.string(),
    name: z.string(),
    mrn: z.string().optional(),
    birthDate: z.string().optional(),
    reasons: z.array(MyPatientReason),
    /** Words for each reason: "care team: primary care physician", "assigned: registered the patient". */
    why: z.array(z.string()),
    /** Start of today's appointment, when there is one. */
    appointmentStart: z.string().optional(),
  })
  .strict();
export type MyPatient = z.infer<typeof MyPatient>;

export const MyPatients = z.object({ patients: z.array(MyPatient), truncated: z.boolean() }).strict();
export type MyPatients = z.infer<typeof MyPatients>;

export const EncounterStatus = z.enum([
  'planned',
  'arrived',
  'triaged',
  'in-progress',
  'onleave',
  'finished',
  'cancelled',
  'entered-in-error',
  'unknown',
]);
export const EncounterListQuery = z.object({ status: EncounterStatus.optional() }).strict();
export type EncounterListQuery = z.infer<typeof EncounterListQuery>;

export const EncounterSummary = z
  .object({
    id: z.string(),
    status: z.string(),
    class: z.string().optional(),
    type: z.string().optional(),
    start: z.string().optional(),
    end: z.string().optional(),
    appointmentId: z.string().optional(),
    practitioners: z.array(z.string()),
  })
  .strict();
export type EncounterSummary = z.infer<typeof EncounterSummary>;

export const EncounterList = z.object({ encounters: z.array(EncounterSummary) }).strict();
export type EncounterList = z.infer<typeof EncounterList>;

export const AppointmentActionResult = z.object({ item: ScheduleItem, encounterId: z.string().optional() }).strict();
export type AppointmentActionResult = z.infer<typeof AppointmentActionResult>;
