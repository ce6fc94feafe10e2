import { Router } from 'express';
import {
  Availability,
  AvailabilityQuery,
  BookAppointment,
  CancelAppointment,
  PortalAppointment,
  PortalAppointmentParams,
  PortalAppointments,
  RescheduleAppointment,
} from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import type { NewDomainEvent } from '../../core/events/events';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { enterPortalSubject } from '../proxy-access/portal-subject';
import type { AppointmentsConfig } from './appointments.config';
import { availability, book, cancel, myAppointments, reschedule } from './appointments.service';
import { appointmentReminders } from './reminders';

async function publish(deps: AppDeps, event: NewDomainEvent): Promise<void> {
  // The booking is already committed in HAPI; a lost event only delays the practice's live refresh.
  await deps.events
    .publish(event)
    .catch((err: Error) =>
      deps.logger.error({ err: { message: err.message }, type: event.type }, 'appointment event not queued'),
    );
}

/**
 * Self-scheduling in the patient portal (issue 16): free slots, booking, the patient's appointments, cancel and
 * reschedule. The patient comes from the token, or from an active proxy grant named by X-Acting-For
 * (enterPortalSubject), never from anything else in the request; staff are refused. Every call goes through
 * requirePatientAccess, which audits it; an appointment of someone else is a plain 404.
 */
export function appointmentsRouter(deps: AppDeps, cfg: AppointmentsConfig = moduleConfig(deps)): Router {
  const r = Router();
  const tags = ['portal', 'appointments'];
  const reminders = appointmentReminders(deps, cfg);

  mount(
    r,
    {
      method: 'get',
      path: '/api/portal/appointments/availability',
      summary: 'Free times of the practice’s bookable providers (Slots of active Schedules)',
      tags,
      auth: 'patient:read',
      query: AvailabilityQuery,
      response: Availability,
    },
    async (ctx) => {
      const { patientId } = await enterPortalSubject(deps, ctx, 'appointments');
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'portal.appointments.availability',
        resourceType: 'Slot',
      });
      const found = await availability(deps, ctx.query);
      phi.note({ slots: found.slots.length });
      return found;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/portal/appointments',
      summary: 'My appointments: upcoming (soonest first) and past or cancelled (latest first)',
      tags,
      auth: 'patient:read',
      response: PortalAppointments,
    },
    async (ctx) => {
      const { patientId } = await enterPortalSubject(deps, ctx, 'appointments');
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'portal.appointments.read',
        resourceType: 'Appointment',
      });
      const list = await myAppointments(deps, patientId, cfg);
      phi.note({ upcoming: list.upcoming.length, past: list.past.length });
      return list;
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/portal/appointments',
      summary: 'Book a free slot: the Slot turns busy and an Appointment is booked, in one HAPI transaction',
      tags,
      auth: 'patient:read',
      body: BookAppointment,
      response: PortalAppointment,
      successStatus: 201,
    },
    async (ctx) => {
      const { patientId } = await enterPortalSubject(deps, ctx, 'appointments');
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'portal.appointment.book',
        resourceType: 'Appointment',
      });
      phi.note({ slotId: ctx.body.slotId });
      const booked = await book(deps, { patientId, slotId: ctx.body.slotId, reason: ctx.body.reason, cfg });
      phi.setResource('Appointment', booked.id);
      await publish(deps, {
        type: 'appointment.booked',
        patientId,
        resourceType: 'Appointment',
        resourceId: booked.id,
        actorUserId: ctx.principal.userId,
        data: { slotId: ctx.body.slotId, practitionerId: booked.practitionerId ?? null },
      });
      await reminders.schedule(booked.id, booked.start);
      return booked;
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/portal/appointments/:appointmentId/cancel',
      summary: 'Cancel my appointment (frees its slot); not within the cut-off before its start',
      tags,
      auth: 'patient:read',
      params: PortalAppointmentParams,
      body: CancelAppointment,
      response: PortalAppointment,
    },
    async (ctx) => {
      const { patientId } = await enterPortalSubject(deps, ctx, 'appointments');
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'portal.appointment.cancel',
        resourceType: 'Appointment',
        resourceId: ctx.params.appointmentId,
      });
      const done = await cancel(deps, {
        patientId,
        appointmentId: ctx.params.appointmentId,
        reason: ctx.body.reason,
        cfg,
      });
      await publish(deps, {
        type: 'appointment.cancelled',
        patientId,
        resourceType: 'Appointment',
        resourceId: done.id,
        actorUserId: ctx.principal.userId,
        data: { practitionerId: done.practitionerId ?? null },
      });
      await reminders.cancel(done.id);
      phi.note({ status: done.status });
      return done;
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/portal/appointments/:appointmentId/reschedule',
      summary: 'Move my appointment to another free slot: old cancelled, new booked, slots swapped, all at once',
      tags,
      auth: 'patient:read',
      params: PortalAppointmentParams,
      body: RescheduleAppointment,
      response: PortalAppointment,
      successStatus: 201,
    },
    async (ctx) => {
      const { patientId } = await enterPortalSubject(deps, ctx, 'appointments');
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'portal.appointment.reschedule',
        resourceType: 'Appointment',
        resourceId: ctx.params.appointmentId,
      });
      const { appointment } = await reschedule(deps, {
        patientId,
        appointmentId: ctx.params.appointmentId,
        slotId: ctx.body.slotId,
        cfg,
      });
      phi.note({ newAppointmentId: appointment.id, slotId: ctx.body.slotId });
      await publish(deps, {
        type: 'appointment.rescheduled',
        patientId,
        resourceType: 'Appointment',
        resourceId: appointment.id,
        actorUserId: ctx.principal.userId,
        data: { previousAppointmentId: ctx.params.appointmentId, practitionerId: appointment.practitionerId ?? null },
      });
      await reminders.cancel(ctx.params.appointmentId);
      await reminders.schedule(appointment.id, appointment.start);
      return appointment;
    },
  );

  return r;
}

export const moduleConfig = (deps: AppDeps): AppointmentsConfig => deps.config.appointments;
