import {
  components,
  el,
  parseInterchange,
  readDelimiters,
  renderSegment,
  repetitions,
  seg,
  serializeInterchange,
  tokenize,
  X12SyntaxError,
} from '@wintehr/x12';

const isa = (e: string, rep: string, comp: string, term: string) =>
  [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    'ZZ',
    'SENDER'.padEnd(15),
    'ZZ',
    'RECEIVER'.padEnd(15),
    '261204',
    '1200',
    rep,
    '00501',
    '000000007',
    '0',
    'T',
    comp,
  ].join(e) + term;

describe('X12 tokenizer', () => {
  it('takes every delimiter from the ISA, whatever characters the sender chose', () => {
    const raw = `${isa('|', '!', '>', '\n')}GS|HB|S|R|20261204|1200|7|X|005010X279A1\nST|271|0001|005010X279A1\nEB|1|IND|30!98|HM\nSE|3|0001\nGE|1|7\nIEA|1|000000007\n`;
    expect(readDelimiters(raw)).toEqual({ element: '|', repetition: '!', component: '>', segment: '\n' });
    const { segments, delimiters } = tokenize(raw);
    expect(segments.map((s) => s.id)).toEqual(['ISA', 'GS', 'ST', 'EB', 'SE', 'GE', 'IEA']);
    const eb = segments[3]!;
    expect(repetitions(el(eb, 3), delimiters)).toEqual(['30', '98']);
    expect(el(eb, 9)).toBe('');
  });

  it('tolerates a line break after each terminator', () => {
    const raw = `${isa('*', '^', ':', '~')}\r\nGS*HB*S*R*20261204*1200*7*X*005010X279A1~\r\nST*271*0001~\r\nSE*2*0001~\r\nGE*1*7~\r\nIEA*1*000000007~\r\n`;
    const ic = parseInterchange(raw);
    expect(ic.problems).toEqual([]);
    expect(ic.groups[0]!.transactionSets[0]!.code).toBe('271');
    expect(components('HC:99213', ic.delimiters)).toEqual(['HC', '99213']);
  });

  it('refuses a truncated ISA and a misaligned one as envelope (TA1) errors', () => {
    expect(() => tokenize('ISA*00*short~')).toThrow(X12SyntaxError);
    const misaligned = isa('*', '^', ':', '~').replace('SENDER         ', 'SENDER*X       ');
    try {
      tokenize(misaligned);
      throw new Error('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(X12SyntaxError);
      expect((e as X12SyntaxError).envelope).toBe(true);
    }
    expect(() => tokenize('GS*HS~')).toThrow(/ISA/);
  });

  it('finds control numbers and counts that do not agree', () => {
    const raw = `${isa('*', '^', ':', '~')}GS*HB*S*R*20261204*1200*7*X*005010X279A1~ST*271*0001~BHT*0022*11~SE*9*0002~GE*2*8~IEA*1*000000007~`;
    const codes = parseInterchange(raw).problems.map((p) => `${p.level}:${p.code}`);
    expect(codes).toEqual(['transaction:3', 'transaction:4', 'group:4', 'group:5']);
    expect(() => parseInterchange(raw.replace('IEA*1*000000007', 'IEA*1*000000008'))).toThrow(/do not match/);
    expect(() => parseInterchange(raw.replace('IEA*1*000000007~', ''))).toThrow(/IEA/);
  });
});

describe('X12 serializer', () => {
  it('drops trailing empty elements and components, joins repetitions', () => {
    expect(renderSegment(seg('NM1', 'IL', '1', 'DOE', '', '', '', ''))).toBe('NM1*IL*1*DOE~');
    expect(renderSegment(seg('EB', '1', '', { repeats: ['30', '1', 'MH'] }))).toBe('EB*1**30^1^MH~');
    expect(renderSegment(seg('SV1', { components: ['HC', '99213', '', ''] }, '100'))).toBe('SV1*HC:99213*100~');
  });

  it('counts segments and transaction sets in SE, GE and IEA', () => {
    const raw = serializeInterchange(
      {
        senderId: 'A',
        receiverId: 'B',
        interchangeControlNumber: 5,
        groupControlNumber: 9,
        functionalId: 'HS',
        version: '005010X279A1',
        at: new Date(Date.UTC(2026, 0, 2, 3, 4)),
      },
      [
        { code: '270', body: [seg('BHT', '0022', '13'), seg('HL', '1', '', '20', '1')] },
        { code: '270', body: [seg('BHT', '0022', '13')] },
      ],
    );
    const ic = parseInterchange(raw);
    expect(ic.problems).toEqual([]);
    expect(raw).toContain('ST*270*0001*005010X279A1~BHT*0022*13~HL*1**20*1~SE*4*0001~');
    expect(raw).toContain('ST*270*0002*005010X279A1~BHT*0022*13~SE*3*0002~GE*2*9~IEA*1*000000005~');
    expect(raw).toContain('*260102*0304*');
  });

  it('refuses out-of-range control numbers', () => {
    const h = {
      senderId: 'A',
      receiverId: 'B',
      interchangeControlNumber: 1_000_000_000,
      groupControlNumber: 1,
      functionalId: 'HS',
      version: 'v',
      at: new Date(),
    };
    expect(() => serializeInterchange(h, [])).toThrow(/ISA13/);
  });
});
