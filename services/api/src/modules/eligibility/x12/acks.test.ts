import {
  build270,
  build999,
  buildTa1,
  parseInterchange,
  read270,
  read999,
  readTa1,
  ta1EchoOf,
  X12SyntaxError,
} from '@wintehr/x12';

const h = {
  senderId: 'CLEARHOUSE',
  receiverId: 'WINTEHR',
  controlNumber: 77,
  at: new Date(Date.UTC(2026, 11, 4, 10, 0)),
};
const good270 = build270({
  interchange: { senderId: 'WINTEHR', receiverId: 'CLEARHOUSE', controlNumber: 12 },
  at: new Date(Date.UTC(2026, 11, 4, 9, 0)),
  referenceId: 'R',
  payer: { name: 'ACME', id: '60054' },
  provider: { organizationName: 'C', npi: '1234567893' },
  subscriber: { lastName: 'DOE', firstName: 'JANE', memberId: 'M1' },
  traceNumber: 'T',
  serviceDate: '2026-12-04',
});

describe('TA1', () => {
  it('rejects an interchange whose IEA does not match, echoing its control number, date and time', () => {
    const broken = good270.replace('IEA*1*000000012', 'IEA*1*000000013');
    let err: X12SyntaxError | undefined;
    try {
      parseInterchange(broken);
    } catch (e) {
      err = e as X12SyntaxError;
    }
    expect(err?.envelope).toBe(true);
    expect(err?.ta1NoteCode).toBe('001');
    const ta1 = buildTa1(h, ta1EchoOf(broken), err!.ta1NoteCode!);
    expect(ta1).toContain('TA1*000000012*261204*0900*R*001~IEA*0*000000077~');
    expect(readTa1(ta1)).toEqual({
      controlNumber: '000000012',
      accepted: false,
      noteCode: '001',
      message: 'The interchange control number in the header and trailer do not match',
    });
  });

  it('answers an unreadable ISA with zeros in the echo fields', () => {
    expect(ta1EchoOf('garbage')).toEqual({});
    expect(readTa1(buildTa1(h, {}, '022'))).toMatchObject({
      controlNumber: '000000000',
      noteCode: '022',
      accepted: false,
    });
  });
});

describe('999', () => {
  it('accepts a well-formed 270', () => {
    const { interchange, inquiry, issues } = read270(good270);
    const ack = build999(h, interchange, { [inquiry!.transactionControlNumber]: issues });
    expect(ack).toContain(
      'ST*999*0001*005010X231A1~AK1*HS*12*005010X279A1~AK2*270*0001*005010X279A1~IK5*A~AK9*A*1*1*1~SE*6*0001~',
    );
    expect(read999(ack)).toEqual({
      accepted: true,
      messages: [],
      groups: [
        {
          functionalId: 'HS',
          controlNumber: '12',
          status: 'A',
          transactionSets: [{ code: '270', controlNumber: '0001', status: 'A', errors: [] }],
        },
      ],
    });
  });

  it('rejects a 270 with a wrong segment count and element errors, in words', () => {
    const raw = good270.replace('XX*1234567893', 'XX*1111111111').replace(/SE\*\d+\*0001/, 'SE*99*0001');
    const { interchange, inquiry, issues } = read270(raw);
    const ack = build999(h, interchange, { [inquiry!.transactionControlNumber]: issues });
    expect(ack).toContain('IK3*NM1*6**8~IK4*9**7*1111111111~IK5*R*4*5~AK9*R*1*1*0~');
    const read = read999(ack);
    expect(read.accepted).toBe(false);
    expect(read.messages).toEqual([
      '270 0001: NM1 at position 6: Segment has data element errors',
      '270 0001: NM1 at position 6, element 9: Invalid code value ("1111111111")',
      '270 0001: Number of included segments does not match actual count',
      '270 0001: One or more segments in error',
    ]);
  });
});
