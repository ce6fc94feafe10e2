import { Router } from 'express';
import {
  AppointmentAction,
  AppointmentActionResult,
  AppointmentParams,
  EncounterList,
  EncounterListQuery,
  MyPatients,
  PatientParams,
  Schedule,
  ScheduleQuery,
} from '@wintehr/contracts';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { forbidden } from '../../core/errors';
import { mount, type HandlerContext } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { scheduleItem } from './schedule-view';
import {
  actOnAppointment,
  appointmentWithPatient,
  encountersOfPatient,
  myPatients,
  patientsById,
  scheduleFor,
} from './schedule.service';

function isAppointmentActor(a: fhir4.Appointment, practitionerId: string | undefined): boolean {
  return !!practitionerId && (a.participant ?? []).some((p) => p.actor?.reference === `Practitioner/${practitionerId}`);
}

/**
 * Patient lists and encounter context (issue 15): the signed-in clinician's day, their patients, the visit actions
 * and a patient's encounters. The schedule and the list are for clinicians who see patients (physicians and nurses:
 * `patient:write`), by their own Practitioner; acting on an appointment needs access to its patient, as any chart
 * write does, and starting its visit needs to be on it. Lists of several patients are audited with counts only.
 */
export function scheduleRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['schedule'];
  const timeZone = deps.config.clinical.timeZone;

  const practitionerOf = (ctx: HandlerContext<unknown, unknown, unknown>) => {
    const id = ctx.principal.practitionerId;
    if (!id) throw forbidden('Your account is not linked to a practitioner, so it has no schedule');
    return id;
  };

  mount(
    r,
    {
      method: 'get',
      path: '/api/schedule',
      summary: "The signed-in clinician's appointments on a day (default today), with patients and visit state",
      tags,
      auth: 'patient:write',
      query: ScheduleQuery,
      response: Schedule,
    },
    async (ctx) => {
      const practitionerId = practitionerOf(ctx);
      const schedule = await scheduleFor(deps, { practitionerId, date: ctx.query.date, timeZone });
      auditRequest(deps.audit, ctx.req, ctx.res, {
        action: 'schedule.read',
        outcome: 'success',
        resourceType: 'Appointment',
        details: { date: schedule.date, count: schedule.items.length },
      });
      return schedule;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/me/patients',
      summary: "The signed-in clinician's patients (care teams, assignments, today's appointments) and why",
      tags,
      auth: 'patient:write',
      response: MyPatients,
    },
    async (ctx) => {
      const list = await myPatients(deps, {
        userId: ctx.principal.userId,
        practitionerId: ctx.principal.practitionerId,
        timeZone,
      });
      auditRequest(deps.audit, ctx.req, ctx.res, {
        action: 'patients.mine',
        outcome: 'success',
        resourceType: 'Patient',
        details: { count: list.patients.length },
      });
      return list;
    },
  );

  for (const action of AppointmentAction.options) {
    mount(
      r,
      {
        method: 'post',
        path: `/api/appointments/:appointmentId/${action}`,
        summary:
          action === 'start-visit'
            ? 'Start the visit: an in-progress Encounter linked to the appointment (idempotent)'
            : `Mark the appointment ${action === 'check-in' ? 'checked in' : 'arrived'}`,
        tags,
        auth: 'patient:write',
        params: AppointmentParams,
        response: AppointmentActionResult,
      },
      async (ctx) => {
        const { appointment, patientId } = await appointmentWithPatient(deps, ctx.params.appointmentId);
        const g = await requirePatientAccess(deps, ctx, patientId, {
          action: action === 'start-visit' ? 'encounter.start' : 'appointment.update',
          resourceType: 'Appointment',
          resourceId: appointment.id,
        });
        // Starting the visit makes the caller the encounter's performer, a lasting relationship with the patient:
        // only a clinician booked on the appointment may, not anyone who can open the chart (e.g. by break-the-glass).
        if (action === 'start-visit' && !isAppointmentActor(appointment, ctx.principal.practitionerId))
          throw forbidden('Only a clinician on this appointment can start its visit', {
            appointmentId: appointment.id,
          });
        const done = await actOnAppointment(deps, {
          appointment,
          patientId,
          action,
          practitionerId: ctx.principal.practitionerId,
        });
        if (done.encounter && action === 'start-visit') g.setResource('Encounter', done.encounter.id);
        g.note({ action, status: done.appointment.status });
        const patients = await patientsById(deps, [patientId]);
        return {
          item: scheduleItem(done.appointment, patients, done.encounter),
          ...(done.encounter?.id ? { encounterId: done.encounter.id } : {}),
        };
      },
    );
  }

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/encounters',
      summary: "A patient's encounters, newest first (status=in-progress: the open visit context)",
      tags,
      auth: 'patient:read',
      params: PatientParams,
      query: EncounterListQuery,
      response: EncounterList,
    },
    async (ctx) => {
      const g = await requirePatientAccess(deps, ctx, ctx.params.patientId, {
        action: 'encounter.search',
        resourceType: 'Encounter',
      });
      const encounters = await encountersOfPatient(deps, ctx.params.patientId, ctx.query.status);
      g.note({ count: encounters.length });
      return { encounters };
    },
  );
  return r;
}
