import { useEffect, useRef, useSyncExternalStore } from 'react';
import { realtime } from './realtime-client';
import type { RealtimeStatus } from './reconnect';

export function useRealtimeStatus(): RealtimeStatus {
  return useSyncExternalStore(
    (cb) => realtime.onStatus(cb),
    () => realtime.status,
  );
}

/**
 * Keeps the realtime socket open while the component is mounted and hands it every `message`.
 * `onJoined` runs after each (re)join of the server's rooms: events sent while the socket was not in them
 * are lost, so the screen reloads what it shows.
 */
export function useRealtimeMessage<T>(
  message: string,
  onMessage: (payload: T) => void,
  onJoined?: () => void,
): RealtimeStatus {
  const handler = useRef(onMessage);
  const joined = useRef(onJoined);
  handler.current = onMessage;
  joined.current = onJoined;
  useEffect(() => {
    const release = realtime.acquire();
    const off = realtime.on(message, (p) => handler.current(p as T));
    const offReady = realtime.onReady(() => joined.current?.());
    return () => {
      off();
      offReady();
      release();
    };
  }, [message]);
  return useRealtimeStatus();
}
