import { X12SyntaxError } from './errors';
import { DEFAULT_DELIMITERS, type Delimiters } from './tokenizer';

/** An element is either a simple value, a composite (components) or, for repeating elements, a list of repetitions. */
export type ElementValue = string | { components: string[] } | { repeats: string[] };
export interface OutSegment {
  id: string;
  elements: ElementValue[];
}

export function seg(id: string, ...elements: ElementValue[]): OutSegment {
  return { id, elements };
}

/**
 * Data may not contain a delimiter (X12 has no escape mechanism); rather than silently corrupting the
 * interchange we strip such characters from free text here.
 */
export function clean(value: string, d: Delimiters = DEFAULT_DELIMITERS): string {
  let out = value;
  for (const ch of [d.element, d.repetition, d.component, d.segment]) out = out.split(ch).join(' ');
  return out.replace(/[\r\n]+/g, ' ').trim();
}

function renderElement(value: ElementValue, d: Delimiters): string {
  if (typeof value === 'string') return clean(value, d);
  if ('components' in value)
    return trimTrailing(
      value.components.map((c) => clean(c, d)),
      d.component,
    );
  return value.repeats.map((r) => clean(r, d)).join(d.repetition);
}

function trimTrailing(parts: string[], sep: string): string {
  let end = parts.length;
  while (end > 0 && parts[end - 1] === '') end--;
  return parts.slice(0, end).join(sep);
}

/** One segment as text; trailing empty elements are dropped as the standard requires. */
export function renderSegment(segment: OutSegment, d: Delimiters = DEFAULT_DELIMITERS): string {
  return trimTrailing([segment.id, ...segment.elements.map((e) => renderElement(e, d))], d.element) + d.segment;
}

export interface InterchangeHeader {
  senderQualifier?: string;
  senderId: string;
  receiverQualifier?: string;
  receiverId: string;
  /** ISA13/IEA02, 1..999999999. */
  interchangeControlNumber: number;
  /** GS06/GE02. */
  groupControlNumber: number;
  /** GS01: HS for 270, HB for 271, FA for 999. */
  functionalId: string;
  /** GS08 and ST03, e.g. 005010X279A1. */
  version: string;
  /** GS02/GS03 default to the ISA ids. */
  applicationSender?: string;
  applicationReceiver?: string;
  at: Date;
  usage?: 'P' | 'T';
  ackRequested?: boolean;
}

/** Left-justified, space-padded: ISA fields are fixed width and a long value is an error, never truncated. */
export function fixed(value: string, width: number, name: string): string {
  if (value.length > width)
    throw new X12SyntaxError(`${name} "${value}" is longer than its ${width} characters`, { segmentId: 'ISA' }, true);
  return value.padEnd(width, ' ');
}

export function controlNumber(n: number, width: number, name: string): string {
  if (!Number.isInteger(n) || n < 1 || String(n).length > width)
    throw new X12SyntaxError(`${name} must be an integer from 1 to ${'9'.repeat(width)}`);
  return String(n).padStart(width, '0');
}

const pad2 = (n: number) => String(n).padStart(2, '0');
/** X12 dates are the sender's wall clock; we use UTC so a message reads the same on every host. */
export const ccyymmdd = (d: Date) => `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;
export const hhmm = (d: Date) => `${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}`;

export function isaSegment(h: InterchangeHeader, d: Delimiters = DEFAULT_DELIMITERS): string {
  const fields = [
    'ISA',
    '00',
    fixed('', 10, 'ISA02'),
    '00',
    fixed('', 10, 'ISA04'),
    fixed(h.senderQualifier ?? 'ZZ', 2, 'ISA05'),
    fixed(h.senderId, 15, 'ISA06 sender id'),
    fixed(h.receiverQualifier ?? 'ZZ', 2, 'ISA07'),
    fixed(h.receiverId, 15, 'ISA08 receiver id'),
    ccyymmdd(h.at).slice(2),
    hhmm(h.at),
    d.repetition,
    '00501',
    controlNumber(h.interchangeControlNumber, 9, 'ISA13'),
    h.ackRequested ? '1' : '0',
    h.usage ?? 'P',
    d.component,
  ];
  return fields.join(d.element) + d.segment;
}

/**
 * Wraps transaction-set bodies (segments between ST and SE, exclusive) in ST/SE, GS/GE and ISA/IEA with
 * consistent control numbers and counts. ST02 is numbered from 0001 within the group.
 */
export function serializeInterchange(
  h: InterchangeHeader,
  transactionSets: { code: string; body: OutSegment[] }[],
  d: Delimiters = DEFAULT_DELIMITERS,
): string {
  const gsControl = String(h.groupControlNumber);
  controlNumber(h.groupControlNumber, 9, 'GS06');
  const out: string[] = [isaSegment(h, d)];
  out.push(
    renderSegment(
      seg(
        'GS',
        h.functionalId,
        h.applicationSender ?? h.senderId,
        h.applicationReceiver ?? h.receiverId,
        ccyymmdd(h.at),
        hhmm(h.at),
        gsControl,
        'X',
        h.version,
      ),
      d,
    ),
  );
  transactionSets.forEach((ts, i) => {
    const st = controlNumber(i + 1, 4, 'ST02');
    out.push(renderSegment(seg('ST', ts.code, st, h.version), d));
    for (const s of ts.body) out.push(renderSegment(s, d));
    // SE01 counts every segment from ST to SE inclusive.
    out.push(renderSegment(seg('SE', String(ts.body.length + 2), st), d));
  });
  out.push(renderSegment(seg('GE', String(transactionSets.length), gsControl), d));
  out.push(renderSegment(seg('IEA', '1', controlNumber(h.interchangeControlNumber, 9, 'IEA02')), d));
  return out.join('');
}
