import { ccyymmdd, hhmm, seg, serializeInterchange, type ElementValue, type OutSegment } from './serializer';
import {
  ACTIVE_CODES,
  COVERAGE_LEVELS,
  ELIGIBILITY_CODES,
  INACTIVE_CODES,
  INSURANCE_TYPES,
  SERVICE_TYPES,
  TIME_PERIODS,
  label,
  rejectionMessage,
} from './codes';
import { fromD8, fromDtp, toD8 } from './dates';
import { parseInterchange } from './envelope';
import { X12SyntaxError } from './errors';
import { el, repetitions, type Segment } from './tokenizer';
import { X279_VERSION, type Gender } from './x270';

export type Loop = 'source' | 'receiver' | 'subscriber' | 'dependent';

export interface Rejection {
  loop: Loop;
  /** AAA01: Y when the request itself was valid. */
  validRequest: boolean;
  reasonCode: string;
  followUpCode: string;
  message: string;
}

export interface Benefit {
  code: string;
  description: string;
  coverageLevel?: { code: string; description: string };
  serviceTypes: { code: string; description: string }[];
  insuranceType?: { code: string; description: string };
  planDescription?: string;
  timePeriod?: { code: string; description: string };
  /** EB07, in currency units. */
  amount?: number;
  /** EB08 as a percentage (the 271 carries a fraction: 0.2 = 20%). */
  percent?: number;
  quantity?: { qualifier: string; value: number };
  authorizationRequired?: boolean;
  /** EB12: true = in network (Y), false = out of network (N), undefined = not specified or not applicable (W/U). */
  inNetwork?: boolean;
  dates: { qualifier: string; start?: string; end?: string }[];
  messages: string[];
}

export interface Member271 {
  lastName: string;
  firstName?: string;
  memberId?: string;
  birthDate?: string;
  gender?: string;
  /** TRN segments: type 2 is our trace echoed back, type 1 is the payer's own. */
  traces: { type: string; number: string; assigner: string }[];
  dates: { qualifier: string; start?: string; end?: string }[];
  benefits: Benefit[];
}

export interface Eligibility271 {
  interchangeControlNumber: string;
  transactionControlNumber: string;
  referenceId: string;
  payer: { name: string; id: string };
  provider?: { name: string; npi: string };
  subscriber?: Member271;
  dependent?: Member271;
  rejections: Rejection[];
  /** True when any EB01 is 1-5, false when EB01 6-8 only, undefined when the payer said neither (e.g. AAA). */
  active: boolean | undefined;
  planName?: string;
}

/** The member the benefits are about: the dependent when present, else the subscriber. */
export const patientOf = (r: Eligibility271): Member271 | undefined => r.dependent ?? r.subscriber;

function num(value: string): number | undefined {
  if (value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function coded(table: Record<string, string>, code: string) {
  return code ? { code, description: label(table, code) } : undefined;
}

/**
 * Reads a 271 into plain data. Structure is followed through HL03 (20 payer, 21 provider, 22 subscriber,
 * 23 dependent); EB starts a 2110 benefit loop whose DTP/MSG/III follow it until the next EB or loop.
 * A 271 that is not an X12 interchange, or holds no 271, throws X12SyntaxError.
 */
export function read271(raw: string): Eligibility271 {
  const ic = parseInterchange(raw);
  if (ic.problems.length)
    throw new X12SyntaxError(`The 271 is malformed: ${ic.problems.map((p) => p.message).join('; ')}`);
  const ts = ic.groups.flatMap((g) => g.transactionSets).find((t) => t.code === '271');
  if (!ts) throw new X12SyntaxError('The interchange holds no 271 transaction set');
  const out: Eligibility271 = {
    interchangeControlNumber: ic.controlNumber,
    transactionControlNumber: ts.controlNumber,
    referenceId: '',
    payer: { name: '', id: '' },
    rejections: [],
    active: undefined,
  };
  let loop: Loop | undefined;
  let member: Member271 | undefined;
  let benefit: Benefit | undefined;
  let sawBht = false;
  const d = ic.delimiters;

  for (const s of ts.body as Segment[]) {
    switch (s.id) {
      case 'BHT':
        sawBht = true;
        out.referenceId = el(s, 3);
        break;
      case 'HL': {
        benefit = undefined;
        const level = el(s, 3);
        loop =
          level === '20'
            ? 'source'
            : level === '21'
              ? 'receiver'
              : level === '22'
                ? 'subscriber'
                : level === '23'
                  ? 'dependent'
                  : undefined;
        if (!loop) throw new X12SyntaxError(`HL03 "${level}" is not a 271 hierarchical level`, { segmentId: 'HL' });
        if (loop === 'subscriber' || loop === 'dependent') {
          member = { lastName: '', traces: [], dates: [], benefits: [] };
          out[loop] = member;
        } else member = undefined;
        break;
      }
      case 'NM1':
        // NM1 inside a 2110 loop (2120 benefit-related entity, e.g. the PCP) belongs to the benefit, not the member.
        if (benefit) {
          benefit.messages.push(
            `${el(s, 1) === 'P3' ? 'Primary care provider' : 'Related entity'}: ${[el(s, 4), el(s, 3)].filter(Boolean).join(' ')}`,
          );
          break;
        }
        if (loop === 'source') out.payer = { name: el(s, 3), id: el(s, 9) };
        else if (loop === 'receiver')
          out.provider = { name: [el(s, 3), el(s, 4)].filter(Boolean).join(', '), npi: el(s, 9) };
        else if (member)
          Object.assign(member, {
            lastName: el(s, 3),
            firstName: el(s, 4) || undefined,
            memberId: el(s, 9) || undefined,
          });
        break;
      case 'TRN':
        member?.traces.push({ type: el(s, 1), number: el(s, 2), assigner: el(s, 3) });
        break;
      case 'DMG':
        if (member) {
          member.birthDate = fromD8(el(s, 2));
          member.gender = el(s, 3) || undefined;
        }
        break;
      case 'AAA':
        out.rejections.push({
          loop: loop ?? 'source',
          validRequest: el(s, 1) === 'Y',
          reasonCode: el(s, 3),
          followUpCode: el(s, 4),
          message: rejectionMessage(el(s, 3), el(s, 4)),
        });
        break;
      case 'DTP': {
        const date = { qualifier: el(s, 1), ...fromDtp(el(s, 2), el(s, 3)) };
        if (benefit) benefit.dates.push(date);
        else member?.dates.push(date);
        break;
      }
      case 'EB': {
        if (!member) throw new X12SyntaxError('EB appears outside a subscriber or dependent loop', { segmentId: 'EB' });
        const code = el(s, 1);
        if (!code)
          throw new X12SyntaxError('EB01 (eligibility or benefit code) is missing', {
            segmentId: 'EB',
            elementPosition: 1,
          });
        const auth = el(s, 11);
        const network = el(s, 12);
        const quantity = num(el(s, 10));
        benefit = {
          code,
          description: label(ELIGIBILITY_CODES, code),
          coverageLevel: coded(COVERAGE_LEVELS, el(s, 2)),
          serviceTypes: repetitions(el(s, 3), d).map((c) => ({ code: c, description: label(SERVICE_TYPES, c) })),
          insuranceType: coded(INSURANCE_TYPES, el(s, 4)),
          planDescription: el(s, 5) || undefined,
          timePeriod: coded(TIME_PERIODS, el(s, 6)),
          amount: num(el(s, 7)),
          percent: num(el(s, 8)) === undefined ? undefined : Math.round(num(el(s, 8))! * 10000) / 100,
          quantity: quantity === undefined ? undefined : { qualifier: el(s, 9), value: quantity },
          authorizationRequired: auth === 'Y' ? true : auth === 'N' ? false : undefined,
          inNetwork: network === 'Y' ? true : network === 'N' ? false : undefined,
          dates: [],
          messages: [],
        };
        if (el(s, 7) && benefit.amount === undefined)
          throw new X12SyntaxError(`EB07 "${el(s, 7)}" is not a monetary amount`, {
            segmentId: 'EB',
            elementPosition: 7,
          });
        member.benefits.push(benefit);
        if (ACTIVE_CODES.has(code)) {
          out.active = true;
          out.planName ??= benefit.planDescription;
        } else if (INACTIVE_CODES.has(code) && out.active === undefined) out.active = false;
        break;
      }
      case 'MSG':
        benefit?.messages.push(el(s, 1));
        break;
      case 'LS':
      case 'LE':
        break;
    }
  }
  if (!sawBht) throw new X12SyntaxError('The 271 has no BHT segment', { segmentId: 'BHT' });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Building a 271 — used by the clearinghouse simulator and by tests.

export interface BenefitInput {
  code: string;
  coverageLevel?: string;
  serviceTypes?: string[];
  insuranceType?: string;
  planDescription?: string;
  timePeriod?: string;
  amount?: number;
  /** As a percentage (20 = 20%); written as the fraction the 271 uses. */
  percent?: number;
  authorizationRequired?: boolean;
  inNetwork?: boolean;
  messages?: string[];
}

export interface Member271Input {
  lastName: string;
  firstName?: string;
  memberId?: string;
  birthDate?: string;
  gender?: Gender;
  /** Our TRN echoed back (TRN*2). */
  trace?: { number: string; assigner: string };
  planBegin?: string;
  planEnd?: string;
  rejection?: { reasonCode: string; followUpCode: string };
  benefits?: BenefitInput[];
}

export interface Eligibility271Input {
  interchange: { senderId: string; receiverId: string; controlNumber: number; usage?: 'P' | 'T' };
  at: Date;
  referenceId: string;
  payer: { name: string; id: string };
  /** AAA in 2000A: the payer itself could not answer (42 = unable to respond now). */
  payerRejection?: { reasonCode: string; followUpCode: string };
  provider: { name: string; npi: string };
  providerRejection?: { reasonCode: string; followUpCode: string };
  subscriber?: Member271Input;
  dependent?: Member271Input;
}

const aaa = (r: { reasonCode: string; followUpCode: string }) => seg('AAA', 'N', '', r.reasonCode, r.followUpCode);

function memberSegments(role: 'IL' | '03', m: Member271Input): OutSegment[] {
  const out: OutSegment[] = [];
  if (m.trace) out.push(seg('TRN', '2', m.trace.number, m.trace.assigner));
  out.push(
    m.memberId
      ? seg('NM1', role, '1', m.lastName, m.firstName ?? '', '', '', '', 'MI', m.memberId)
      : seg('NM1', role, '1', m.lastName, m.firstName ?? ''),
  );
  if (m.rejection) out.push(aaa(m.rejection));
  if (m.birthDate || m.gender)
    out.push(seg('DMG', m.birthDate ? 'D8' : '', m.birthDate ? toD8(m.birthDate, 'birth date') : '', m.gender ?? ''));
  if (m.planBegin)
    out.push(
      seg(
        'DTP',
        m.planEnd ? '291' : '346',
        m.planEnd ? 'RD8' : 'D8',
        m.planEnd
          ? `${toD8(m.planBegin, 'plan begin')}-${toD8(m.planEnd, 'plan end')}`
          : toD8(m.planBegin, 'plan begin'),
      ),
    );
  for (const b of m.benefits ?? []) {
    const elements: ElementValue[] = [
      b.code,
      b.coverageLevel ?? '',
      { repeats: b.serviceTypes ?? [] },
      b.insuranceType ?? '',
      b.planDescription ?? '',
      b.timePeriod ?? '',
      b.amount === undefined ? '' : String(b.amount),
      b.percent === undefined ? '' : String(b.percent / 100),
      '',
      '',
      b.authorizationRequired === undefined ? '' : b.authorizationRequired ? 'Y' : 'N',
      b.inNetwork === undefined ? '' : b.inNetwork ? 'Y' : 'N',
    ];
    out.push(seg('EB', ...elements));
    for (const msg of b.messages ?? []) out.push(seg('MSG', msg));
  }
  return out;
}

export function build271(input: Eligibility271Input): string {
  const body: OutSegment[] = [
    seg('BHT', '0022', '11', input.referenceId, ccyymmdd(input.at), hhmm(input.at)),
    seg('HL', '1', '', '20', input.payerRejection ? '0' : '1'),
    seg('NM1', 'PR', '2', input.payer.name, '', '', '', '', 'PI', input.payer.id),
  ];
  if (input.payerRejection) body.push(aaa(input.payerRejection));
  if (!input.payerRejection) {
    body.push(
      seg('HL', '2', '1', '21', '1'),
      seg('NM1', '1P', '2', input.provider.name, '', '', '', '', 'XX', input.provider.npi),
    );
    if (input.providerRejection) body.push(aaa(input.providerRejection));
    if (input.subscriber) {
      body.push(seg('HL', '3', '2', '22', input.dependent ? '1' : '0'), ...memberSegments('IL', input.subscriber));
      if (input.dependent) body.push(seg('HL', '4', '3', '23', '0'), ...memberSegments('03', input.dependent));
    }
  }
  return serializeInterchange(
    {
      senderId: input.interchange.senderId,
      receiverId: input.interchange.receiverId,
      interchangeControlNumber: input.interchange.controlNumber,
      groupControlNumber: input.interchange.controlNumber,
      functionalId: 'HB',
      version: X279_VERSION,
      at: input.at,
      usage: input.interchange.usage,
    },
    [{ code: '271', body }],
  );
}
