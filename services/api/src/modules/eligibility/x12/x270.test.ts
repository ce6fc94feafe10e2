import {
  build270,
  isValidNpi,
  read270,
  tokenize,
  X12SyntaxError,
  type Eligibility270Input,
  type Segment,
} from '@wintehr/x12';

const at = new Date(Date.UTC(2026, 11, 4, 9, 5));
const base: Eligibility270Input = {
  interchange: { senderId: 'WINTEHR', receiverId: 'CLEARHOUSE', controlNumber: 42 },
  at,
  referenceId: 'REF-1',
  payer: { name: 'ACME HEALTH', id: '60054' },
  provider: { organizationName: 'WINTEHR CLINIC', npi: '1234567893' },
  subscriber: { lastName: 'SMITH', firstName: 'ROBERT', memberId: 'W123456789', birthDate: '1943-05-19', gender: 'M' },
  traceNumber: 'T-0001',
  serviceDate: '2026-12-04',
  serviceTypes: ['30', '98'],
};

const ids = (segments: Segment[]) => segments.map((s) => s.id);
const line = (s: Segment) => [s.id, ...s.elements].join('*');

describe('build270 (005010X279A1)', () => {
  it('writes the subscriber-is-patient inquiry segment by segment in the guide order', () => {
    const { segments } = tokenize(build270(base));
    expect(ids(segments)).toEqual([
      'ISA',
      'GS',
      'ST',
      'BHT',
      'HL',
      'NM1',
      'HL',
      'NM1',
      'HL',
      'TRN',
      'NM1',
      'DMG',
      'DTP',
      'EQ',
      'EQ',
      'SE',
      'GE',
      'IEA',
    ]);
    const lines = segments.slice(1).map(line);
    expect(lines).toEqual([
      'GS*HS*WINTEHR*CLEARHOUSE*20261204*0905*42*X*005010X279A1',
      'ST*270*0001*005010X279A1',
      'BHT*0022*13*REF-1*20261204*0905',
      'HL*1**20*1',
      'NM1*PR*2*ACME HEALTH*****PI*60054',
      'HL*2*1*21*1',
      'NM1*1P*2*WINTEHR CLINIC*****XX*1234567893',
      'HL*3*2*22*0',
      'TRN*1*T-0001*9WINTEHR01',
      'NM1*IL*1*SMITH*ROBERT****MI*W123456789',
      'DMG*D8*19430519*M',
      'DTP*291*D8*20261204',
      'EQ*30',
      'EQ*98',
      // SE01 counts ST through SE inclusive: 14 segments.
      'SE*14*0001',
      'GE*1*42',
      'IEA*1*000000042',
    ]);
  });

  it('writes a fixed-width ISA of 106 characters with the delimiters in their places', () => {
    const raw = build270(base);
    const isa = raw.slice(0, 106);
    expect(isa).toBe(
      'ISA*00*          *00*          *ZZ*WINTEHR        *ZZ*CLEARHOUSE     *261204*0905*^*00501*000000042*0*P*:~',
    );
    expect(isa.length).toBe(106);
  });

  it('moves TRN, DTP and EQ to the 2000D dependent loop when the patient is a dependent', () => {
    const { segments } = tokenize(
      build270({
        ...base,
        serviceTypes: undefined,
        dependent: { lastName: 'SMITH', firstName: 'MARY', birthDate: '2015-02-03', gender: 'F' },
      }),
    );
    const lines = segments.map(line);
    const sub = lines.indexOf('HL*3*2*22*1');
    const dep = lines.indexOf('HL*4*3*23*0');
    expect(sub).toBeGreaterThan(0);
    expect(dep).toBeGreaterThan(sub);
    expect(lines.slice(sub, dep)).toEqual([
      'HL*3*2*22*1',
      'NM1*IL*1*SMITH*ROBERT****MI*W123456789',
      'DMG*D8*19430519*M',
    ]);
    expect(lines.slice(dep, dep + 6)).toEqual([
      'HL*4*3*23*0',
      'TRN*1*T-0001*9WINTEHR01',
      'NM1*03*1*SMITH*MARY',
      'DMG*D8*20150203*F',
      'DTP*291*D8*20261204',
      'EQ*30',
    ]);
    expect(lines[dep + 6]).toBe('SE*16*0001');
  });

  it('names a person provider NM1*1P*1 with last and first name', () => {
    const lines = tokenize(
      build270({ ...base, provider: { lastName: 'WELBY', firstName: 'MARCUS', npi: '1234567893' } }),
    ).segments.map(line);
    expect(lines).toContain('NM1*1P*1*WELBY*MARCUS****XX*1234567893');
  });

  it('strips delimiter characters from free text instead of corrupting the interchange', () => {
    const lines = tokenize(
      build270({ ...base, subscriber: { ...base.subscriber, lastName: 'O*BRIEN~' } }),
    ).segments.map(line);
    expect(lines).toContain('NM1*IL*1*O BRIEN*ROBERT****MI*W123456789');
  });

  it('refuses an invalid NPI, an impossible date and an oversize ISA id', () => {
    expect(() => build270({ ...base, provider: { organizationName: 'X', npi: '1234567890' } })).toThrow(/NPI/);
    expect(() => build270({ ...base, serviceDate: '2026-02-30' })).toThrow(X12SyntaxError);
    expect(() => build270({ ...base, interchange: { ...base.interchange, senderId: 'A'.repeat(16) } })).toThrow(
      /longer than its 15/,
    );
  });

  it('validates NPIs with the Luhn check over the 80840 prefix', () => {
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1245319599')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
    expect(isValidNpi('123456789')).toBe(false);
  });
});

describe('read270', () => {
  it('reads back what build270 wrote, with no issues', () => {
    const { inquiry, issues } = read270(
      build270({ ...base, dependent: { lastName: 'SMITH', firstName: 'MARY', birthDate: '2015-02-03', gender: 'F' } }),
    );
    expect(issues).toEqual([]);
    expect(inquiry).toMatchObject({
      referenceId: 'REF-1',
      payer: { name: 'ACME HEALTH', id: '60054' },
      provider: { npi: '1234567893', qualifier: 'XX' },
      subscriber: {
        lastName: 'SMITH',
        firstName: 'ROBERT',
        memberId: 'W123456789',
        birthDate: '1943-05-19',
        gender: 'M',
      },
      dependent: { lastName: 'SMITH', firstName: 'MARY', birthDate: '2015-02-03', gender: 'F' },
      trace: { number: 'T-0001', assigner: '9WINTEHR01' },
      serviceDate: '2026-12-04',
      serviceTypes: ['30', '98'],
    });
  });

  it('reports a missing subscriber and a bad NPI as 999 segment issues', () => {
    const raw = build270(base)
      .replace('NM1*IL*1*SMITH*ROBERT****MI*W123456789~', 'REF*SY*1~')
      .replace('XX*1234567893', 'XX*1234567890');
    const { issues } = read270(raw);
    expect(issues.map((i) => [i.segmentId, i.code])).toEqual([
      ['NM1', '8'],
      ['NM1', '3'],
    ]);
    expect(issues[1]!.message).toMatch(/subscriber/);
  });
});
