/**
 * Patient self-scheduling (issue 16): free Slots of the practice's Schedules, booking one (the Slot turns busy and
 * an Appointment names it), cancelling and rescheduling, and the real-time note the practice's schedule hears.
 */
import { z } from 'zod';
import { FhirId } from './fhir';
import { AppointmentStatus } from './schedule';

export const AvailabilityQuery = z
  .object({
    /** First local day (YYYY-MM-DD, clinic time zone); default today. */
    from: z.iso.date().optional(),
    /** Last local day, inclusive; default from + 13 days; at most 31 days after from. */
    to: z.iso.date().optional(),
    practitioner: FhirId.optional(),
    serviceType: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type AvailabilityQuery = z.infer<typeof AvailabilityQuery>;

export const AvailableSlot = z
  .object({
    slotId: z.string(),
    start: z.string(),
    end: z.string(),
    minutes: z.number().int(),
    practitionerId: z.string(),
    practitionerName: z.string(),
    serviceType: z.string().optional(),
    locationName: z.string().optional(),
  })
  .strict();
export type AvailableSlot = z.infer<typeof AvailableSlot>;

export const BookableProvider = z
  .object({ practitionerId: z.string(), name: z.string(), serviceTypes: z.array(z.string()) })
  .strict();
export type BookableProvider = z.infer<typeof BookableProvider>;

export const Availability = z
  .object({
    timeZone: z.string(),
    from: z.string(),
    to: z.string(),
    providers: z.array(BookableProvider),
    slots: z.array(AvailableSlot),
  })
  .strict();
export type Availability = z.infer<typeof Availability>;

const Reason = z.string().trim().min(1, 'Say briefly why').max(500);

export const BookAppointment = z.object({ slotId: FhirId, reason: Reason }).strict();
export type BookAppointment = z.infer<typeof BookAppointment>;

export const CancelAppointment = z.object({ reason: Reason }).strict();
export type CancelAppointment = z.infer<typeof CancelAppointment>;

export const RescheduleAppointment = z.object({ slotId: FhirId }).strict();
export type RescheduleAppointment = z.infer<typeof RescheduleAppointment>;

export const PortalAppointmentParams = z.object({ appointmentId: FhirId }).strict();
export type PortalAppointmentParams = z.infer<typeof PortalAppointmentParams>;

export const PortalAppointment = z
  .object({
    id: z.string(),
    status: AppointmentStatus,
    start: z.string().optional(),
    end: z.string().optional(),
    minutes: z.number().int().optional(),
    practitionerId: z.string().optional(),
    practitionerName: z.string().optional(),
    locationName: z.string().optional(),
    serviceType: z.string().optional(),
    reason: z.string().optional(),
    cancelationReason: z.string().optional(),
    /** Whether the patient may still cancel or reschedule it here (booked, in the future, outside the cut-off). */
    changeable: z.boolean(),
  })
  .strict();
export type PortalAppointment = z.infer<typeof PortalAppointment>;

export const PortalAppointments = z
  .object({
    timeZone: z.string(),
    /** Soonest first. */
    upcoming: z.array(PortalAppointment),
    /** Most recent first (past visits and cancelled ones). */
    past: z.array(PortalAppointment),
    maxUpcoming: z.number().int(),
    cancelCutoffHours: z.number(),
  })
  .strict();
export type PortalAppointments = z.infer<typeof PortalAppointments>;

/** What the practice's screens hear when a patient books, cancels or reschedules (ids only, no PHI). */
export const APPOINTMENT_SOCKET_MESSAGES = {
  booked: 'appointment:created',
  rescheduled: 'appointment:updated',
  cancelled: 'appointment:cancelled',
} as const;
export const AppointmentChanged = z
  .object({ appointmentId: z.string(), change: z.enum(['booked', 'rescheduled', 'cancelled']) })
  .strict();
export type AppointmentChanged = z.infer<typeof AppointmentChanged>;
