import { X12SyntaxError } from './errors';
import { el, tokenize, type Delimiters, type Segment } from './tokenizer';

export interface TransactionSet {
  code: string;
  controlNumber: string;
  version: string;
  /** Segments between ST and SE, exclusive. */
  body: Segment[];
  /** Position of ST in the interchange (1-based), for 999 IK3 positions relative to ST. */
  stPosition: number;
}

export interface FunctionalGroup {
  functionalId: string;
  sender: string;
  receiver: string;
  controlNumber: string;
  version: string;
  transactionSets: TransactionSet[];
}

export interface Interchange {
  delimiters: Delimiters;
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  date: string;
  time: string;
  controlNumber: string;
  usage: string;
  groups: FunctionalGroup[];
  /** TA1 segments carried at interchange level (an interchange acknowledgment). */
  ta1: Segment[];
  /** Faults inside a group or transaction set: the interchange is readable, the content is answered with a 999. */
  problems: StructureProblem[];
}

/** A 999-level fault. `ik5`/`ak9` codes follow the 005010X231A1 code lists. */
export interface StructureProblem {
  groupControlNumber: string;
  transactionControlNumber?: string;
  transactionCode?: string;
  level: 'transaction' | 'group';
  code: string;
  message: string;
}

const ta1 = (message: string, code: string) => new X12SyntaxError(message, { segmentId: 'ISA' }, true, code);

/**
 * Splits an interchange into groups and transaction sets and checks the envelope: faults in ISA/IEA throw
 * (answered with TA1), faults in GS/GE or ST/SE are collected in `problems` (answered with 999).
 */
export function parseInterchange(raw: string): Interchange {
  const { delimiters, segments } = tokenize(raw);
  const isa = segments[0]!;
  const isaControl = el(isa, 13).trim();
  if (!/^\d{9}$/.test(isaControl)) throw ta1('ISA13 (interchange control number) must be 9 digits', '018');
  if (!/^\d{6}$/.test(el(isa, 9))) throw ta1('ISA09 (interchange date) must be YYMMDD', '014');
  if (!/^\d{4}$/.test(el(isa, 10))) throw ta1('ISA10 (interchange time) must be HHMM', '015');
  if (el(isa, 12) !== '00501') throw ta1(`ISA12 version "${el(isa, 12)}" is not 00501`, '017');
  if (!['P', 'T'].includes(el(isa, 15))) throw ta1('ISA15 (usage indicator) must be P or T', '020');
  const last = segments[segments.length - 1]!;
  if (last.id !== 'IEA') throw ta1('The interchange has no IEA trailer', '023');
  if (el(last, 2).trim() !== isaControl)
    throw ta1('The interchange control number in ISA13 and IEA02 do not match', '001');

  const interchange: Interchange = {
    delimiters,
    senderQualifier: el(isa, 5),
    senderId: el(isa, 6).trim(),
    receiverQualifier: el(isa, 7),
    receiverId: el(isa, 8).trim(),
    date: el(isa, 9),
    time: el(isa, 10),
    controlNumber: isaControl,
    usage: el(isa, 15),
    groups: [],
    ta1: [],
    problems: [],
  };

  let group: FunctionalGroup | undefined;
  let ts: TransactionSet | undefined;
  for (let i = 1; i < segments.length - 1; i++) {
    const s = segments[i]!;
    const position = i + 1;
    if (s.id === 'GS') {
      if (group) throw ta1('A GS segment starts before the previous group was closed by GE', '024');
      group = {
        functionalId: el(s, 1),
        sender: el(s, 2),
        receiver: el(s, 3),
        controlNumber: el(s, 6),
        version: el(s, 8),
        transactionSets: [],
      };
    } else if (s.id === 'GE') {
      if (!group || ts) throw ta1('GE appears outside a functional group or inside a transaction set', '024');
      if (el(s, 2) !== group.controlNumber) {
        interchange.problems.push({
          groupControlNumber: group.controlNumber,
          level: 'group',
          code: '4',
          message: 'GS06 and GE02 group control numbers do not agree',
        });
      }
      if (Number(el(s, 1)) !== group.transactionSets.length) {
        interchange.problems.push({
          groupControlNumber: group.controlNumber,
          level: 'group',
          code: '5',
          message: `GE01 says ${el(s, 1)} transaction sets, the group holds ${group.transactionSets.length}`,
        });
      }
      interchange.groups.push(group);
      group = undefined;
    } else if (s.id === 'ST') {
      if (!group) throw ta1('ST appears outside a functional group', '024');
      if (ts) {
        interchange.problems.push({
          groupControlNumber: group.controlNumber,
          transactionControlNumber: ts.controlNumber,
          transactionCode: ts.code,
          level: 'transaction',
          code: '2',
          message: 'The transaction set has no SE trailer',
        });
        group.transactionSets.push(ts);
      }
      ts = {
        code: el(s, 1),
        controlNumber: el(s, 2),
        version: el(s, 3) || group.version,
        body: [],
        stPosition: position,
      };
    } else if (s.id === 'SE') {
      if (!group || !ts) throw ta1('SE appears outside a transaction set', '024');
      const problem = (code: string, message: string) =>
        interchange.problems.push({
          groupControlNumber: group!.controlNumber,
          transactionControlNumber: ts!.controlNumber,
          transactionCode: ts!.code,
          level: 'transaction',
          code,
          message,
        });
      if (el(s, 2) !== ts.controlNumber) problem('3', 'ST02 and SE02 transaction set control numbers do not match');
      if (Number(el(s, 1)) !== ts.body.length + 2)
        problem('4', `SE01 says ${el(s, 1)} segments, the transaction set holds ${ts.body.length + 2}`);
      group.transactionSets.push(ts);
      ts = undefined;
    } else if (s.id === 'TA1' && !group) {
      interchange.ta1.push(s);
    } else if (s.id === 'ISA' || s.id === 'IEA') {
      throw ta1(`Unexpected ${s.id} inside the interchange`, '024');
    } else {
      if (!ts) throw ta1(`Segment ${s.id} at position ${position} is outside any transaction set`, '024');
      ts.body.push(s);
    }
  }
  if (group || ts) throw ta1('The interchange ends inside a functional group (missing SE or GE)', '023');
  if (Number(el(last, 1)) !== interchange.groups.length)
    throw ta1(`IEA01 says ${el(last, 1)} functional groups, the interchange holds ${interchange.groups.length}`, '021');
  return interchange;
}
