import { useQuery } from '@tanstack/react-query';
import type {
  Availability,
  AvailableSlot,
  BookAppointment,
  PortalAppointment,
  PortalAppointments,
} from '@wintehr/contracts';
import { portalApi as api, useActingForId } from '../../core/portal/acting-for';
import { ApiError } from '../../core/api/api-error';

/** Keyed by whom the portal acts for (a parent booking for a child sees the child's appointments). */
export const appointmentKeys = {
  all: ['portal', 'appointments'] as const,
  mine: (subject: string) => ['portal', 'appointments', subject, 'mine'] as const,
  availability: (subject: string, practitioner?: string, serviceType?: string) =>
    ['portal', 'appointments', subject, 'availability', practitioner ?? '', serviceType ?? ''] as const,
};

export const appointmentsApi = {
  mine: () => api.get<PortalAppointments>('/api/portal/appointments'),
  availability: (q: { practitioner?: string; serviceType?: string }) =>
    api.get<Availability>('/api/portal/appointments/availability', {
      ...(q.practitioner ? { practitioner: q.practitioner } : {}),
      ...(q.serviceType ? { serviceType: q.serviceType } : {}),
    }),
  book: (body: BookAppointment) => api.post<PortalAppointment>('/api/portal/appointments', body),
  cancel: (id: string, reason: string) =>
    api.post<PortalAppointment>(`/api/portal/appointments/${encodeURIComponent(id)}/cancel`, { reason }),
  reschedule: (id: string, slotId: string) =>
    api.post<PortalAppointment>(`/api/portal/appointments/${encodeURIComponent(id)}/reschedule`, { slotId }),
};

export const useMyAppointments = () => {
  const subject = useActingForId() ?? 'self';
  return useQuery({ queryKey: appointmentKeys.mine(subject), queryFn: appointmentsApi.mine });
};

export const useAvailability = (practitioner?: string, serviceType?: string) => {
  const subject = useActingForId() ?? 'self';
  return useQuery({
    queryKey: appointmentKeys.availability(subject, practitioner, serviceType),
    queryFn: () => appointmentsApi.availability({ practitioner, serviceType }),
  });
};

/** The local calendar date (YYYY-MM-DD) of an instant in the clinic's zone. */
export function localDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );
}

/** Free slots by local day, days in order, each day's slots in order. Pure. */
export function slotsByDay(
  slots: readonly AvailableSlot[],
  timeZone: string,
): { day: string; slots: AvailableSlot[] }[] {
  const days = new Map<string, AvailableSlot[]>();
  for (const s of [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    const d = localDay(s.start, timeZone);
    days.set(d, [...(days.get(d) ?? []), s]);
  }
  return [...days.entries()].map(([day, list]) => ({ day, slots: list }));
}

export function dayLabel(day: string): string {
  return new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

export function timeLabel(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(iso));
}

/**
 * A free time's button name. It must contain what the button shows, word for word (WCAG 2.5.3, label in name): with
 * the provider's name on the button, "9:20 AM Dr. A"; with only the time shown (one provider chosen), the name still
 * says whose time it is.
 */
export function slotButtonName(time: string, practitionerName: string, nameShown: boolean): string {
  return nameShown ? `${time} ${practitionerName}` : `${time} with ${practitionerName}`;
}

export function whenLabel(iso: string | undefined, timeZone: string): string {
  if (!iso) return 'Time not set';
  return `${dayLabel(localDay(iso, timeZone))} at ${timeLabel(iso, timeZone)}`;
}

/** What to tell the patient when a booking step fails: the server's words, with the next step for the known cases. */
export function bookingProblem(error: unknown): { title: string; slotGone: boolean } {
  if (error instanceof ApiError && error.status === 409)
    return { title: 'That time is no longer available', slotGone: error.code === 'SLOT_TAKEN' };
  if (error instanceof ApiError && error.status === 422)
    return { title: 'This cannot be done online', slotGone: false };
  return { title: 'Not done', slotGone: false };
}
