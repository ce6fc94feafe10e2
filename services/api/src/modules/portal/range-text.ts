/** Where a value sits against its reference range, in words a patient reads without a glossary. */
export type RangePosition = 'below' | 'within' | 'above' | 'unknown';

export interface PlainRange {
  low?: number;
  high?: number;
  /** The lab's own wording when it gave no numbers ("negative"). */
  text?: string;
}

const num = (n: number) => String(Number(n.toFixed(4)));

export function positionOf(value: number | undefined, r: PlainRange): RangePosition {
  if (value === undefined || (r.low === undefined && r.high === undefined)) return 'unknown';
  if (r.low !== undefined && value < r.low) return 'below';
  if (r.high !== undefined && value > r.high) return 'above';
  return 'within';
}

const VERDICT: Record<RangePosition, string> = {
  below: 'yours is below it',
  within: 'yours is within it',
  above: 'yours is above it',
  unknown: '',
};

/** "Normal range 3.5 to 5.1 mmol/L — yours is above it"; null when the lab gave no range at all. */
export function plainRangeText(value: number | undefined, unit: string | undefined, r: PlainRange): string | null {
  const u = unit ? ` ${unit}` : '';
  let range: string;
  if (r.low !== undefined && r.high !== undefined) range = `Normal range ${num(r.low)} to ${num(r.high)}${u}`;
  else if (r.low !== undefined) range = `Normal is ${num(r.low)}${u} or more`;
  else if (r.high !== undefined) range = `Normal is up to ${num(r.high)}${u}`;
  else if (r.text?.trim()) return `Normal: ${r.text.trim()}`;
  else return null;
  const pos = positionOf(value, r);
  return pos === 'unknown' ? range : `${range} — ${VERDICT[pos]}`;
}

/** The first reference range of an Observation as plain numbers. */
export function observationRange(o: Pick<fhir4.Observation, 'referenceRange'>): PlainRange {
  const rr = o.referenceRange?.[0];
  return {
    ...(typeof rr?.low?.value === 'number' ? { low: rr.low.value } : {}),
    ...(typeof rr?.high?.value === 'number' ? { high: rr.high.value } : {}),
    ...(rr?.text ? { text: rr.text } : {}),
  };
}
