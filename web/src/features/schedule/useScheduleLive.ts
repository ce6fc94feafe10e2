import { useQueryClient } from '@tanstack/react-query';
import { APPOINTMENT_SOCKET_MESSAGES, type AppointmentChanged } from '@wintehr/contracts';
import { useRealtimeMessage } from '../../core/realtime/useRealtime';
import type { RealtimeStatus } from '../../core/realtime/reconnect';

/**
 * Re-reads the schedule when a patient books, reschedules or cancels through the portal, and after every (re)join
 * of the socket. The message names only the appointment (no PHI on the socket); the day comes from the API.
 */
export function useScheduleLive(): RealtimeStatus {
  const queryClient = useQueryClient();
  const reload = () => void queryClient.invalidateQueries({ queryKey: ['schedule'] });
  useRealtimeMessage<AppointmentChanged>(APPOINTMENT_SOCKET_MESSAGES.booked, reload, reload);
  useRealtimeMessage<AppointmentChanged>(APPOINTMENT_SOCKET_MESSAGES.rescheduled, reload);
  return useRealtimeMessage<AppointmentChanged>(APPOINTMENT_SOCKET_MESSAGES.cancelled, reload);
}
