import { parseInterchange, type Interchange, type StructureProblem } from './envelope';
import { X12SyntaxError } from './errors';
import { isaSegment, renderSegment, seg, serializeInterchange, type OutSegment } from './serializer';
import { el, DEFAULT_DELIMITERS } from './tokenizer';
import type { SegmentIssue } from './x270';

export const X231_VERSION = '005010X231A1';

/** TA105 Interchange Note Code (subset). */
export const TA1_NOTES: Record<string, string> = {
  '000': 'No error',
  '001': 'The interchange control number in the header and trailer do not match',
  '005': 'Invalid interchange ID qualifier for sender',
  '006': 'Invalid interchange sender ID',
  '014': 'Invalid interchange date value',
  '015': 'Invalid interchange time value',
  '017': 'Invalid interchange version ID value',
  '018': 'Invalid interchange control number value',
  '020': 'Invalid test indicator value',
  '021': 'Invalid number of included groups value',
  '022': 'Invalid control structure',
  '023': 'Improper (premature) end-of-file (transmission)',
  '024': 'Invalid interchange content (e.g. invalid GS segment)',
};

/** IK5/AK9 codes (005010X231A1). */
export const IK5_CODES: Record<string, string> = {
  '1': 'Transaction set not supported',
  '2': 'Transaction set trailer missing',
  '3': 'Transaction set control number in header and trailer do not match',
  '4': 'Number of included segments does not match actual count',
  '5': 'One or more segments in error',
};
export const AK9_CODES: Record<string, string> = {
  '1': 'Functional group not supported',
  '2': 'Functional group version not supported',
  '3': 'Functional group trailer missing',
  '4': 'Group control number in the functional group header and trailer do not agree',
  '5': 'Number of included transaction sets does not match actual count',
};
export const IK3_CODES: Record<string, string> = {
  '1': 'Unrecognized segment ID',
  '2': 'Unexpected segment',
  '3': 'Required segment missing',
  '4': 'Loop occurs over maximum times',
  '5': 'Segment exceeds maximum use',
  '6': 'Segment not in defined transaction set',
  '7': 'Segment not in proper sequence',
  '8': 'Segment has data element errors',
};
export const IK4_CODES: Record<string, string> = {
  '1': 'Required data element missing',
  '2': 'Conditional required data element missing',
  '3': 'Too many data elements',
  '4': 'Data element too short',
  '5': 'Data element too long',
  '6': 'Invalid character in data element',
  '7': 'Invalid code value',
  '8': 'Invalid date',
  '9': 'Invalid time',
};

export interface AckHeader {
  senderId: string;
  receiverId: string;
  controlNumber: number;
  at: Date;
}

/**
 * A TA1 answering an interchange whose envelope could not be processed. When the ISA was unreadable the echo
 * fields fall back to zeros: the sender still learns the interchange was rejected and why.
 */
export function buildTa1(
  h: AckHeader,
  original: { controlNumber?: string; date?: string; time?: string },
  noteCode: string,
  accepted = false,
): string {
  const d = DEFAULT_DELIMITERS;
  const ta1 = seg(
    'TA1',
    original.controlNumber?.padStart(9, '0').slice(-9) ?? '000000000',
    original.date ?? '000000',
    original.time ?? '0000',
    accepted ? 'A' : 'R',
    noteCode,
  );
  return (
    isaSegment(
      {
        ...h,
        interchangeControlNumber: h.controlNumber,
        groupControlNumber: h.controlNumber,
        functionalId: '',
        version: '',
      },
      d,
    ) +
    renderSegment(ta1, d) +
    renderSegment(seg('IEA', '0', String(h.controlNumber).padStart(9, '0')), d)
  );
}

/** Reads the echoed fields out of whatever survives of a broken ISA, for the TA1. */
export function ta1EchoOf(raw: string): { controlNumber?: string; date?: string; time?: string } {
  const text = raw.trimStart();
  if (!text.startsWith('ISA') || text.length < 4) return {};
  const f = text.slice(0, 105).split(text[3]!);
  const ok = (v: string | undefined, re: RegExp) => (v && re.test(v) ? v : undefined);
  return { date: ok(f[9], /^\d{6}$/), time: ok(f[10], /^\d{4}$/), controlNumber: ok(f[13]?.trim(), /^\d{1,9}$/) };
}

export interface Ta1Result {
  controlNumber: string;
  accepted: boolean;
  noteCode: string;
  message: string;
}

export function readTa1(raw: string): Ta1Result {
  const ic = parseInterchange(raw);
  const t = ic.ta1[0];
  if (!t) throw new X12SyntaxError('The interchange holds no TA1 segment');
  return {
    controlNumber: el(t, 1),
    accepted: el(t, 4) === 'A',
    noteCode: el(t, 5),
    message: TA1_NOTES[el(t, 5)] ?? `TA1 note code ${el(t, 5)}`,
  };
}

/**
 * A 999 for one received interchange: one AK2/IK5 per transaction set, IK3/IK4 for the segment issues of a
 * transaction set (keyed by ST02), AK9 per group. A transaction set with issues is rejected (IK5 R, code 5).
 */
export function build999(
  h: AckHeader,
  received: Interchange,
  segmentIssues: Record<string, SegmentIssue[]> = {},
): string {
  const body: OutSegment[] = [];
  for (const g of received.groups) {
    const groupProblems = received.problems.filter((p) => p.groupControlNumber === g.controlNumber);
    body.push(seg('AK1', g.functionalId, g.controlNumber, g.version));
    let accepted = 0;
    for (const ts of g.transactionSets) {
      body.push(seg('AK2', ts.code, ts.controlNumber, ts.version));
      const issues = segmentIssues[ts.controlNumber] ?? [];
      for (const i of issues) {
        body.push(seg('IK3', i.segmentId, String(i.position), '', i.code));
        if (i.element) body.push(seg('IK4', String(i.element.position), '', i.element.code, i.element.value ?? ''));
      }
      const tsProblems = groupProblems.filter(
        (p: StructureProblem) => p.level === 'transaction' && p.transactionControlNumber === ts.controlNumber,
      );
      const codes = [...tsProblems.map((p) => p.code), ...(issues.length ? ['5'] : [])];
      if (codes.length === 0) accepted++;
      body.push(seg('IK5', codes.length ? 'R' : 'A', ...codes.slice(0, 5)));
    }
    const groupCodes = groupProblems.filter((p) => p.level === 'group').map((p) => p.code);
    const n = g.transactionSets.length;
    const status = groupCodes.length || accepted === 0 ? 'R' : accepted < n ? 'P' : 'A';
    body.push(seg('AK9', status, String(n), String(n), String(accepted), ...groupCodes.slice(0, 5)));
  }
  return serializeInterchange(
    {
      senderId: h.senderId,
      receiverId: h.receiverId,
      interchangeControlNumber: h.controlNumber,
      groupControlNumber: h.controlNumber,
      functionalId: 'FA',
      version: X231_VERSION,
      at: h.at,
    },
    [{ code: '999', body }],
  );
}

export interface Ack999 {
  accepted: boolean;
  groups: {
    functionalId: string;
    controlNumber: string;
    status: string;
    transactionSets: { code: string; controlNumber: string; status: string; errors: string[] }[];
  }[];
  /** Every error in plain words, for logs and the user. */
  messages: string[];
}

export function read999(raw: string): Ack999 {
  const ic = parseInterchange(raw);
  const ts = ic.groups.flatMap((g) => g.transactionSets).find((t) => t.code === '999');
  if (!ts) throw new X12SyntaxError('The interchange holds no 999 transaction set');
  const out: Ack999 = { accepted: true, groups: [], messages: [] };
  let group: Ack999['groups'][number] | undefined;
  let set: Ack999['groups'][number]['transactionSets'][number] | undefined;
  let segment = '';
  for (const s of ts.body) {
    if (s.id === 'AK1') {
      group = { functionalId: el(s, 1), controlNumber: el(s, 2), status: '', transactionSets: [] };
      out.groups.push(group);
    } else if (s.id === 'AK2' && group) {
      set = { code: el(s, 1), controlNumber: el(s, 2), status: '', errors: [] };
      group.transactionSets.push(set);
    } else if (s.id === 'IK3' && set) {
      segment = `${el(s, 1)} at position ${el(s, 2)}`;
      set.errors.push(`${segment}: ${IK3_CODES[el(s, 4)] ?? `code ${el(s, 4)}`}`);
    } else if (s.id === 'IK4' && set) {
      set.errors.push(
        `${segment}, element ${el(s, 1)}: ${IK4_CODES[el(s, 3)] ?? `code ${el(s, 3)}`}${el(s, 4) ? ` ("${el(s, 4)}")` : ''}`,
      );
    } else if (s.id === 'IK5' && set) {
      set.status = el(s, 1);
      for (let i = 2; i <= 6; i++) if (el(s, i)) set.errors.push(IK5_CODES[el(s, i)] ?? `IK5 code ${el(s, i)}`);
    } else if (s.id === 'AK9' && group) {
      group.status = el(s, 1);
      for (let i = 5; i <= 9; i++) if (el(s, i)) out.messages.push(AK9_CODES[el(s, i)] ?? `AK9 code ${el(s, i)}`);
    }
  }
  for (const g of out.groups) {
    if (g.status !== 'A') out.accepted = false;
    for (const t of g.transactionSets) out.messages.push(...t.errors.map((e) => `${t.code} ${t.controlNumber}: ${e}`));
  }
  return out;
}
