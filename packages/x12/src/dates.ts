import { X12SyntaxError } from './errors';

/** ISO 'YYYY-MM-DD' → X12 D8 'CCYYMMDD', refusing anything that is not a real calendar date. */
export function toD8(iso: string, what: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    throw new X12SyntaxError(`${what} must be a date YYYY-MM-DD, got "${iso}"`);
  }
  return `${m[1]}${m[2]}${m[3]}`;
}

/** X12 D8 → ISO; undefined when the value is not CCYYMMDD. */
export function fromD8(d8: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(d8);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** DTP with RD8 'CCYYMMDD-CCYYMMDD' or D8 → ISO start/end. */
export function fromDtp(format: string, value: string): { start?: string; end?: string } {
  if (format === 'RD8') {
    const [a = '', b = ''] = value.split('-');
    return { start: fromD8(a), end: fromD8(b) };
  }
  const one = fromD8(value);
  return { start: one, end: one };
}
