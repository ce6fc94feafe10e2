import { ccyymmdd, hhmm, seg, serializeInterchange, type OutSegment } from './serializer';
import { toD8, fromD8 } from './dates';
import { X12SyntaxError } from './errors';
import { parseInterchange } from './envelope';
import { el, repetitions, type Segment } from './tokenizer';

export const X279_VERSION = '005010X279A1';
export type Gender = 'M' | 'F' | 'U';

export interface Person270 {
  lastName: string;
  firstName?: string;
  middleName?: string;
  /** ISO date. */
  birthDate?: string;
  gender?: Gender;
}

export interface Eligibility270Input {
  interchange: { senderId: string; receiverId: string; controlNumber: number; usage?: 'P' | 'T' };
  at: Date;
  /** BHT03: the submitter's reference for this inquiry (echoed in the 271). */
  referenceId: string;
  payer: { name: string; id: string };
  /** Organization (name) or person (lastName/firstName) — NM1 1P with the NPI under qualifier XX. */
  provider: { npi: string; organizationName?: string; lastName?: string; firstName?: string };
  subscriber: Person270 & { memberId: string };
  /** Only when the patient is not the subscriber and the payer cannot identify them with an id of their own. */
  dependent?: Person270;
  /** TRN02: our trace number; TRN03: the 10-character id of the trace assigner ('9' + 9 characters). */
  traceNumber: string;
  traceAssigner?: string;
  /** ISO date of service (DTP 291). */
  serviceDate: string;
  /** EQ01 service type codes; defaults to 30 (health benefit plan coverage). */
  serviceTypes?: string[];
}

const NPI = /^\d{10}$/;

/** NPI check digit: Luhn over '80840' + the first nine digits (CMS NPI standard). */
export function isValidNpi(npi: string): boolean {
  if (!NPI.test(npi)) return false;
  const digits = `80840${npi.slice(0, 9)}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(npi[9]);
}

function personSegments(role: 'IL' | '03', p: Person270, memberId?: string): OutSegment[] {
  const nm1 = memberId
    ? seg('NM1', role, '1', p.lastName, p.firstName ?? '', p.middleName ?? '', '', '', 'MI', memberId)
    : seg('NM1', role, '1', p.lastName, p.firstName ?? '', p.middleName ?? '');
  const out = [nm1];
  if (p.birthDate || p.gender)
    out.push(seg('DMG', p.birthDate ? 'D8' : '', p.birthDate ? toD8(p.birthDate, 'birth date') : '', p.gender ?? ''));
  return out;
}

/**
 * Builds a 270 inquiry in 005010X279A1 loop order: 2000A/2100A information source (payer), 2000B/2100B
 * information receiver (provider), 2000C/2100C subscriber, optional 2000D/2100D dependent. The trace number,
 * date of service and service types go in the loop of the patient (subscriber or dependent), as the guide requires.
 */
export function build270(input: Eligibility270Input): string {
  if (!isValidNpi(input.provider.npi))
    throw new X12SyntaxError(`The provider NPI "${input.provider.npi}" is not a valid 10-digit NPI`);
  if (!input.subscriber.memberId.trim()) throw new X12SyntaxError('The subscriber member id is required');
  const traceAssigner = input.traceAssigner ?? '9WINTEHR01';
  if (traceAssigner.length !== 10) throw new X12SyntaxError('TRN03 (trace assigner) must be exactly 10 characters');
  const serviceTypes = input.serviceTypes?.length ? input.serviceTypes : ['30'];
  const patientInquiry: OutSegment[] = [
    seg('DTP', '291', 'D8', toD8(input.serviceDate, 'date of service')),
    // One EQ per service type keeps each inquiry individually answerable (EQ01 may also repeat).
    ...serviceTypes.map((t) => seg('EQ', t)),
  ];
  const trn = seg('TRN', '1', input.traceNumber, traceAssigner);
  const p = input.provider;
  const provider = p.organizationName
    ? seg('NM1', '1P', '2', p.organizationName, '', '', '', '', 'XX', p.npi)
    : seg('NM1', '1P', '1', p.lastName ?? '', p.firstName ?? '', '', '', '', 'XX', p.npi);
  const hasDependent = Boolean(input.dependent);
  const body: OutSegment[] = [
    seg('BHT', '0022', '13', input.referenceId, ccyymmdd(input.at), hhmm(input.at)),
    seg('HL', '1', '', '20', '1'),
    seg('NM1', 'PR', '2', input.payer.name, '', '', '', '', 'PI', input.payer.id),
    seg('HL', '2', '1', '21', '1'),
    provider,
    seg('HL', '3', '2', '22', hasDependent ? '1' : '0'),
    ...(hasDependent ? [] : [trn]),
    ...personSegments('IL', input.subscriber, input.subscriber.memberId),
    ...(hasDependent ? [] : patientInquiry),
  ];
  if (input.dependent) {
    body.push(seg('HL', '4', '3', '23', '0'), trn, ...personSegments('03', input.dependent), ...patientInquiry);
  }
  return serializeInterchange(
    {
      senderId: input.interchange.senderId,
      receiverId: input.interchange.receiverId,
      interchangeControlNumber: input.interchange.controlNumber,
      groupControlNumber: input.interchange.controlNumber,
      functionalId: 'HS',
      version: X279_VERSION,
      at: input.at,
      usage: input.interchange.usage,
    },
    [{ code: '270', body }],
  );
}

export interface Parsed270 {
  interchangeControlNumber: string;
  senderId: string;
  receiverId: string;
  transactionControlNumber: string;
  referenceId: string;
  payer: { name: string; id: string };
  provider: { name: string; npi: string; qualifier: string };
  subscriber: Person270 & { memberId: string };
  dependent?: Person270;
  trace: { number: string; assigner: string } | undefined;
  serviceDate?: string;
  serviceTypes: string[];
}

export interface SegmentIssue {
  segmentId: string;
  /** Position relative to ST (ST = 1), as IK302 counts. */
  position: number;
  /** IK304 Implementation Segment Syntax Error Code (3 = required segment missing, 8 = data element errors...). */
  code: string;
  element?: { position: number; code: string; value?: string };
  message: string;
}

/**
 * Reads a 270 (the clearinghouse's side) and checks the usage the guide makes mandatory. Returns the issues as
 * 999 IK3/IK4 material instead of throwing, so the caller can answer with a 999.
 */
export function read270(raw: string): {
  inquiry?: Parsed270;
  issues: SegmentIssue[];
  interchange: ReturnType<typeof parseInterchange>;
} {
  const ic = parseInterchange(raw);
  const ts = ic.groups[0]?.transactionSets[0];
  const issues: SegmentIssue[] = [];
  if (!ts || ts.code !== '270') {
    issues.push({ segmentId: 'ST', position: 1, code: '6', message: 'The interchange holds no 270 transaction set' });
    return { issues, interchange: ic };
  }
  const pos = (i: number) => i + 2;
  let hlCode = '';
  const found: Partial<Record<'BHT' | 'PR' | '1P' | 'IL' | 'EQ', number>> = {};
  const q: Parsed270 = {
    interchangeControlNumber: ic.controlNumber,
    senderId: ic.senderId,
    receiverId: ic.receiverId,
    transactionControlNumber: ts.controlNumber,
    referenceId: '',
    payer: { name: '', id: '' },
    provider: { name: '', npi: '', qualifier: '' },
    subscriber: { lastName: '', memberId: '' },
    trace: undefined,
    serviceTypes: [],
  };
  const person = (s: Segment): Person270 => ({
    lastName: el(s, 3),
    firstName: el(s, 4) || undefined,
    middleName: el(s, 5) || undefined,
  });
  const current = (): Person270 | undefined =>
    hlCode === '22' ? q.subscriber : hlCode === '23' ? q.dependent : undefined;
  ts.body.forEach((s, i) => {
    switch (s.id) {
      case 'BHT':
        found.BHT = i;
        q.referenceId = el(s, 3);
        if (el(s, 1) !== '0022' || el(s, 2) !== '13')
          issues.push({
            segmentId: 'BHT',
            position: pos(i),
            code: '8',
            element: {
              position: el(s, 1) !== '0022' ? 1 : 2,
              code: '7',
              value: el(s, 1) !== '0022' ? el(s, 1) : el(s, 2),
            },
            message: 'BHT must be 0022*13 for an eligibility inquiry',
          });
        break;
      case 'HL':
        hlCode = el(s, 3);
        if (!['20', '21', '22', '23'].includes(hlCode))
          issues.push({
            segmentId: 'HL',
            position: pos(i),
            code: '8',
            element: { position: 3, code: '7', value: hlCode },
            message: `HL03 "${hlCode}" is not 20, 21, 22 or 23`,
          });
        break;
      case 'NM1': {
        const role = el(s, 1);
        if (role === 'PR') {
          found.PR = i;
          q.payer = { name: el(s, 3), id: el(s, 9) };
        } else if (role === '1P') {
          found['1P'] = i;
          q.provider = { name: [el(s, 3), el(s, 4)].filter(Boolean).join(', '), qualifier: el(s, 8), npi: el(s, 9) };
          if (el(s, 8) !== 'XX' || !isValidNpi(el(s, 9)))
            issues.push({
              segmentId: 'NM1',
              position: pos(i),
              code: '8',
              element: { position: 9, code: '7', value: el(s, 9) },
              message: 'The information receiver must be identified by a valid NPI (NM108 XX)',
            });
        } else if (role === 'IL') {
          found.IL = i;
          q.subscriber = { ...person(s), memberId: el(s, 9) };
          if (el(s, 8) !== 'MI' || !el(s, 9))
            issues.push({
              segmentId: 'NM1',
              position: pos(i),
              code: '8',
              element: { position: 9, code: '1' },
              message: 'The subscriber member id (NM108 MI, NM109) is missing',
            });
        } else if (role === '03') {
          q.dependent = person(s);
        }
        break;
      }
      case 'DMG': {
        const who = current();
        if (who) {
          const birth = fromD8(el(s, 2));
          if (el(s, 2) && !birth)
            issues.push({
              segmentId: 'DMG',
              position: pos(i),
              code: '8',
              element: { position: 2, code: '8', value: el(s, 2) },
              message: 'DMG02 is not a valid CCYYMMDD date',
            });
          who.birthDate = birth;
          const g = el(s, 3);
          if (g === 'M' || g === 'F' || g === 'U') who.gender = g;
        }
        break;
      }
      case 'TRN':
        q.trace = { number: el(s, 2), assigner: el(s, 3) };
        break;
      case 'DTP':
        if (el(s, 1) === '291') q.serviceDate = fromD8(el(s, 3)) ?? fromD8(el(s, 3).split('-')[0] ?? '');
        break;
      case 'EQ':
        found.EQ = i;
        q.serviceTypes.push(...repetitions(el(s, 1), ic.delimiters));
        break;
    }
  });
  const missing = (key: keyof typeof found, seg: string, what: string) => {
    if (found[key] === undefined)
      issues.push({ segmentId: seg, position: ts.body.length + 2, code: '3', message: `${what} is missing` });
  };
  missing('BHT', 'BHT', 'The BHT segment');
  missing('PR', 'NM1', 'The payer (NM1*PR)');
  missing('1P', 'NM1', 'The information receiver (NM1*1P)');
  missing('IL', 'NM1', 'The subscriber (NM1*IL)');
  missing('EQ', 'EQ', 'The eligibility inquiry (EQ)');
  return { inquiry: q, issues, interchange: ic };
}
