import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useRealtimeMessage } from '../../core/realtime/useRealtime';
import type { RealtimeStatus } from '../../core/realtime/reconnect';
import { pharmacyKeys } from './pharmacy-api';
import type { QueueChangedMessage, QueueList } from '@wintehr/contracts';
import { announcementOf, applyQueueEvent, SeenEvents } from './queue-cache';
import { QUEUE_FILTERS } from './queue-filters';

export const QUEUE_MESSAGE = 'pharmacy:queue';

/**
 * Applies the pharmacy's `pharmacy:queue` messages to every cached queue view and item as they arrive, and
 * reloads the views after each (re)join of the socket (messages sent while disconnected are not replayed).
 * Returns the connection status and the last announcement for a live region.
 */
export function useQueueRealtime(me: string): {
  status: RealtimeStatus;
  announcement: string;
  lastChange?: QueueChangedMessage;
} {
  const queryClient = useQueryClient();
  const seen = useRef(new SeenEvents());
  const [announcement, setAnnouncement] = useState('');
  const [lastChange, setLastChange] = useState<QueueChangedMessage>();

  const status = useRealtimeMessage<QueueChangedMessage>(
    QUEUE_MESSAGE,
    (m) => {
      if (!m || typeof m.medicationRequestId !== 'string' || !seen.current.first(m.eventId)) return;
      for (const f of QUEUE_FILTERS) {
        const key = pharmacyKeys.queue(f.id);
        const out = applyQueueEvent(queryClient.getQueryData<QueueList>(key), m, f.statuses, me);
        if (out.data) queryClient.setQueryData(key, out.data);
        if (out.refetch) void queryClient.invalidateQueries({ queryKey: key, exact: true });
      }
      void queryClient.invalidateQueries({ queryKey: pharmacyKeys.item(m.medicationRequestId) });
      if (m.change === 'dispensed' || m.change === 'partially_dispensed')
        void queryClient.invalidateQueries({ queryKey: pharmacyKeys.inventory });
      const text = announcementOf(m, me);
      if (text) setAnnouncement(text);
      setLastChange(m);
    },
    () => {
      void queryClient.invalidateQueries({ queryKey: pharmacyKeys.queues });
      void queryClient.invalidateQueries({ queryKey: ['pharmacy', 'item'] });
    },
  );
  return { status, announcement, ...(lastChange ? { lastChange } : {}) };
}
