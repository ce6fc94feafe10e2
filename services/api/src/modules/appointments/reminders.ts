import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { AppDeps } from '../../core/deps';
import { humanNameText, idFromReference } from '../../core/fhir/fhir-kit';
import { appointmentPatient, appointmentPractitioner } from './appointment-fhir';
import type { AppointmentsConfig } from './appointments.config';
import { reminderAddress, reminderDelayMs, reminderMessage } from './reminder-message';

export const REMINDER_QUEUE = 'appointment-reminders';

/** Only the appointment id travels through Redis: who, when and where are read when the reminder is sent. */
export interface ReminderJob {
  appointmentId: string;
}

export interface Reminders {
  /** Queues the reminder of a booked appointment (no-op when it is already too late for one). Never throws. */
  schedule(appointmentId: string, start: string | undefined): Promise<void>;
  /** Drops the pending reminder (cancel, reschedule). Never throws. */
  cancel(appointmentId: string): Promise<void>;
  /** The queued job, for tests and diagnostics. */
  pending(appointmentId: string): Promise<Job<ReminderJob> | undefined>;
  startWorker(): void;
  close(): Promise<void>;
}

const jobId = (appointmentId: string) => `appointment-reminder-${appointmentId}`;
const instances = new WeakMap<AppDeps, Reminders>();

function bounded<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new Error('appointment reminder queue timed out')), ms);
    t.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

/** Sends one reminder if the appointment is still booked and the patient has somewhere to receive it. */
export async function sendReminder(
  deps: Pick<AppDeps, 'fhir' | 'notify' | 'config'>,
  appointmentId: string,
): Promise<'sent' | 'not-booked' | 'no-address'> {
  const a = await deps.fhir.read('Appointment', appointmentId);
  const patientId = appointmentPatient(a);
  if (a.status !== 'booked' || !a.start || !patientId) return 'not-booked';
  const patient = await deps.fhir.read('Patient', patientId);
  const address = reminderAddress(patient);
  if (!address) return 'no-address';
  const practitionerId = appointmentPractitioner(a);
  const locationId = a.participant.map((p) => idFromReference(p.actor?.reference, 'Location')).find(Boolean);
  const [practitioner, location] = await Promise.all([
    practitionerId ? deps.fhir.read('Practitioner', practitionerId).catch(() => undefined) : undefined,
    locationId ? deps.fhir.read('Location', locationId).catch(() => undefined) : undefined,
  ]);
  const practitionerName = humanNameText(practitioner?.name);
  await deps.notify.send(
    reminderMessage({
      address,
      start: a.start,
      timeZone: deps.config.clinical.timeZone,
      ...(practitionerName ? { practitionerName } : {}),
      ...(location?.name ? { locationName: location.name } : {}),
    }),
  );
  return 'sent';
}

/**
 * Reminders as BullMQ delayed jobs (durable in Redis, taken by whichever API instance is free), one per booked
 * appointment with a fixed job id, so rebooking replaces and cancelling removes it. One instance per app.
 */
export function appointmentReminders(deps: AppDeps, cfg: AppointmentsConfig): Reminders {
  const existing = instances.get(deps);
  if (existing) return existing;
  const db = new URL(deps.config.database.url).pathname.replace(/^\//, '') || 'wintehr';
  const prefix = `wintehr:${db}:bull`;
  const redis = () => new Redis(deps.config.redis.url, { maxRetriesPerRequest: null }).on('error', () => undefined);
  let queue: Queue<ReminderJob> | undefined;
  let connection: Redis | undefined;
  let worker: Worker<ReminderJob> | undefined;
  let workerConnection: Redis | undefined;
  const q = () => {
    if (!queue) {
      connection = redis();
      queue = new Queue<ReminderJob>(REMINDER_QUEUE, { connection, prefix });
      queue.on('error', (err) =>
        deps.logger.warn({ err: { message: err.message } }, 'appointment reminder queue error'),
      );
    }
    return queue;
  };

  const r: Reminders = {
    async schedule(appointmentId, start) {
      const delay = reminderDelayMs(start, cfg.reminderHours, new Date());
      if (delay === undefined) return;
      try {
        await bounded(
          q().add(
            'remind',
            { appointmentId },
            {
              delay: Math.round(delay),
              jobId: jobId(appointmentId),
              removeOnComplete: 1000,
              removeOnFail: 1000,
              attempts: 5,
              backoff: { type: 'exponential', delay: 30_000 },
            },
          ),
          2_000,
        );
      } catch (err) {
        deps.logger.error(
          { appointmentId, err: { message: (err as Error).message } },
          'appointment reminder not queued',
        );
      }
    },
    async cancel(appointmentId) {
      // Best effort: a job that survives finds the appointment no longer booked and sends nothing.
      await bounded(q().remove(jobId(appointmentId)), 2_000).catch(() => undefined);
    },
    async pending(appointmentId) {
      return (await q().getJob(jobId(appointmentId))) ?? undefined;
    },
    startWorker() {
      if (worker) return;
      workerConnection = redis();
      worker = new Worker<ReminderJob>(REMINDER_QUEUE, (job) => sendReminder(deps, job.data.appointmentId), {
        connection: workerConnection,
        prefix,
        concurrency: 2,
      });
      worker.on('error', (err) =>
        deps.logger.warn({ err: { message: err.message } }, 'appointment reminder worker error'),
      );
      worker.on('failed', (job, err) =>
        deps.logger.warn({ appointmentId: job?.data.appointmentId, err: { message: err.message } }, 'reminder failed'),
      );
    },
    async close() {
      instances.delete(deps);
      const ready = [queue?.waitUntilReady(), worker?.waitUntilReady()].filter(Boolean);
      await Promise.race([Promise.all(ready), new Promise((res) => setTimeout(res, 2_000).unref())]).catch(
        () => undefined,
      );
      await worker?.close().catch(() => undefined);
      await queue?.close().catch(() => undefined);
      connection?.disconnect();
      workerConnection?.disconnect();
    },
  };
  instances.set(deps, r);
  deps.onClose(() => r.close());
  return r;
}
