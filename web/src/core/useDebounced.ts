import { useEffect, useState } from 'react';

/** The value once it has stayed the same for `ms`: search fields query on a pause in typing, not on each key. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
