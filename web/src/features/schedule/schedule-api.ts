import type {
  AppointmentAction,
  AppointmentActionResult,
  MyPatients,
  Schedule,
  ScheduleItem,
} from '@wintehr/contracts';
import { api } from '../../core/api/client';

/** The clinician's day: calls, and the pure rules the page shows (which actions an appointment offers, labels). */
export const scheduleApi = {
  day: (date?: string) => api.get<Schedule>('/api/schedule', date ? { date } : undefined),
  myPatients: () => api.get<MyPatients>('/api/me/patients'),
  act: (appointmentId: string, action: AppointmentAction) =>
    api.post<AppointmentActionResult>(`/api/appointments/${encodeURIComponent(appointmentId)}/${action}`),
};

export const STATUS_LABEL: Record<ScheduleItem['status'], string> = {
  proposed: 'Proposed',
  pending: 'Pending',
  booked: 'Booked',
  arrived: 'Arrived',
  fulfilled: 'Seen',
  cancelled: 'Cancelled',
  noshow: 'No-show',
  'entered-in-error': 'Entered in error',
  'checked-in': 'Checked in',
  waitlist: 'Wait list',
};

const OPEN = ['booked', 'pending', 'proposed'];

/** The next steps a line offers: check in → arrived → start visit; a visit in progress opens the chart instead. */
export function actionsFor(item: ScheduleItem): AppointmentAction[] {
  if (item.encounter?.status === 'in-progress') return [];
  if (OPEN.includes(item.status)) return ['check-in', 'arrived', 'start-visit'];
  if (item.status === 'checked-in') return ['arrived', 'start-visit'];
  if (item.status === 'arrived') return ['start-visit'];
  return [];
}

export const ACTION_LABEL: Record<AppointmentAction, string> = {
  'check-in': 'Check in',
  arrived: 'Arrived',
  'start-visit': 'Start visit',
};

/** "09:15" in the clinic's time zone (the schedule's), whatever the browser's zone. */
export function timeOf(iso: string | undefined, timeZone: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(d);
}

/** A calendar date plus n days (YYYY-MM-DD). */
export function shiftDate(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

const REASON_LABEL: Record<MyPatients['patients'][number]['reasons'][number], string> = {
  'care-team': 'Care team',
  assignment: 'Assigned',
  'appointment-today': 'Today',
};
export const reasonLabel = (r: keyof typeof REASON_LABEL) => REASON_LABEL[r];
