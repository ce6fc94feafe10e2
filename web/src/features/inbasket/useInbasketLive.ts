import { useQueryClient } from '@tanstack/react-query';
import { INBASKET_SOCKET_MESSAGE, type InbasketChanged } from '@wintehr/contracts';
import { useRealtimeMessage } from '../../core/realtime/useRealtime';
import type { RealtimeStatus } from '../../core/realtime/reconnect';
import { inbasketKeys } from './inbasket-api';

/**
 * Re-reads the in-basket (counts and lists) when the server says it changed, and after every (re)join of the
 * socket: the message carries no item content (no PHI on the socket), only that something changed.
 */
export function useInbasketLive(): RealtimeStatus {
  const queryClient = useQueryClient();
  const reload = () => void queryClient.invalidateQueries({ queryKey: inbasketKeys.all });
  return useRealtimeMessage<InbasketChanged>(INBASKET_SOCKET_MESSAGE, reload, reload);
}
