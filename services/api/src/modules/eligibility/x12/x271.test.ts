import { build271, patientOf, read271, X12SyntaxError } from '@wintehr/x12';

const ISA =
  'ISA*00*          *00*          *ZZ*CLEARHOUSE     *ZZ*WINTEHR        *261204*0906*^*00501*000000911*0*P*:~';
const wrap = (body: string[]) =>
  `${ISA}GS*HB*CLEARHOUSE*WINTEHR*20261204*0906*911*X*005010X279A1~ST*271*0001*005010X279A1~${body.join('~')}~SE*${body.length + 2}*0001~GE*1*911~IEA*1*000000911~`;

/** Written by hand from the guide's example layout, so the reader is not only checked against our own builder. */
const active271 = wrap([
  'BHT*0022*11*REF-1*20261204*0906',
  'HL*1**20*1',
  'NM1*PR*2*ACME HEALTH*****PI*60054',
  'HL*2*1*21*1',
  'NM1*1P*2*WINTEHR CLINIC*****XX*1234567893',
  'HL*3*2*22*0',
  'TRN*2*T-0001*9WINTEHR01',
  'TRN*1*PAYER-77*9ACMEHLTH1',
  'NM1*IL*1*SMITH*ROBERT****MI*W123456789',
  'DMG*D8*19430519*M',
  'DTP*346*D8*20260101',
  'EB*1*FAM*30^1^33^35^47^86^88^98^AL^MH^UC*PR*GOLD PPO 1500',
  'EB*C*IND*30***23*1500*****Y',
  'EB*C*IND*30***29*1100.50*****Y',
  'EB*C*IND*30***23*3000*****N',
  'EB*G*FAM*30***23*6000*****Y',
  'EB*B*IND*98***27*25*****Y',
  'MSG*COPAY APPLIES PER OFFICE VISIT',
  'EB*B*IND*UC***27*75*****Y',
  'EB*A*IND*30*****0.2****Y',
  'EB*A*IND*30*****0.4****N',
  'DTP*292*RD8*20260101-20261231',
  'LS*2120',
  'NM1*P3*1*WELBY*MARCUS',
  'LE*2120',
]);

describe('read271', () => {
  it('reads an active plan with deductibles, copays, coinsurance and network flags', () => {
    const r = read271(active271);
    expect(r.active).toBe(true);
    expect(r.planName).toBe('GOLD PPO 1500');
    expect(r.referenceId).toBe('REF-1');
    expect(r.payer).toEqual({ name: 'ACME HEALTH', id: '60054' });
    expect(r.provider).toEqual({ name: 'WINTEHR CLINIC', npi: '1234567893' });
    expect(r.rejections).toEqual([]);
    const sub = patientOf(r)!;
    expect(sub).toMatchObject({
      lastName: 'SMITH',
      firstName: 'ROBERT',
      memberId: 'W123456789',
      birthDate: '1943-05-19',
      gender: 'M',
    });
    expect(sub.traces).toEqual([
      { type: '2', number: 'T-0001', assigner: '9WINTEHR01' },
      { type: '1', number: 'PAYER-77', assigner: '9ACMEHLTH1' },
    ]);
    expect(sub.dates).toEqual([{ qualifier: '346', start: '2026-01-01', end: '2026-01-01' }]);

    const [coverage, dedIn, dedRemaining, dedOut, oop, copay, urgent, coinsIn, coinsOut] = sub.benefits;
    expect(sub.benefits).toHaveLength(9);
    expect(coverage!.serviceTypes.map((s) => s.code)).toEqual([
      '30',
      '1',
      '33',
      '35',
      '47',
      '86',
      '88',
      '98',
      'AL',
      'MH',
      'UC',
    ]);
    expect(coverage!.serviceTypes.find((s) => s.code === 'MH')!.description).toBe('Mental Health');
    expect(coverage).toMatchObject({
      code: '1',
      description: 'Active Coverage',
      coverageLevel: { code: 'FAM', description: 'Family' },
      insuranceType: { code: 'PR' },
    });
    expect(dedIn).toMatchObject({
      code: 'C',
      description: 'Deductible',
      amount: 1500,
      inNetwork: true,
      timePeriod: { code: '23', description: 'Calendar Year' },
    });
    expect(dedRemaining).toMatchObject({ amount: 1100.5, timePeriod: { description: 'Remaining' } });
    expect(dedOut).toMatchObject({ amount: 3000, inNetwork: false });
    expect(oop).toMatchObject({ code: 'G', amount: 6000, coverageLevel: { code: 'FAM' } });
    expect(copay).toMatchObject({
      code: 'B',
      amount: 25,
      serviceTypes: [{ code: '98' }],
      timePeriod: { description: 'Visit' },
      messages: ['COPAY APPLIES PER OFFICE VISIT'],
    });
    expect(urgent).toMatchObject({ code: 'B', amount: 75, serviceTypes: [{ code: 'UC', description: 'Urgent Care' }] });
    expect(coinsIn).toMatchObject({ code: 'A', percent: 20, inNetwork: true });
    expect(coinsIn!.amount).toBeUndefined();
    expect(coinsOut).toMatchObject({
      percent: 40,
      inNetwork: false,
      dates: [{ qualifier: '292', start: '2026-01-01', end: '2026-12-31' }],
    });
    expect(coinsOut!.messages).toEqual(['Primary care provider: MARCUS WELBY']);
  });

  it('reads inactive coverage as not active', () => {
    const r = read271(
      wrap([
        'BHT*0022*11*R*20261204*0906',
        'HL*1**20*1',
        'NM1*PR*2*ACME*****PI*1',
        'HL*2*1*21*1',
        'NM1*1P*2*C*****XX*1234567893',
        'HL*3*2*22*0',
        'NM1*IL*1*DOE*JANE****MI*X1',
        'EB*6**30',
        'DTP*347*D8*20250630',
      ]),
    );
    expect(r.active).toBe(false);
    expect(r.subscriber!.benefits[0]).toMatchObject({
      code: '6',
      description: 'Inactive',
      dates: [{ qualifier: '347', start: '2025-06-30' }],
    });
  });

  it.each([
    ['42', 'Y', 'source', /cannot respond at the moment.*Wait 10|cannot respond/],
    ['43', 'C', 'receiver', /provider identifier \(NPI\) is invalid.*Correct the request/],
    ['51', 'N', 'receiver', /not on file with the payer.*not allowed/],
    ['71', 'C', 'subscriber', /date of birth does not match/],
    ['72', 'C', 'subscriber', /member \(subscriber\) id is invalid/],
    ['73', 'C', 'subscriber', /subscriber name does not match/],
    ['75', 'N', 'subscriber', /no subscriber with this member id/],
  ])('turns AAA %s / follow-up %s in the %s loop into a clear message', (reason, followUp, loop, message) => {
    const placement: Record<string, number> = { source: 3, receiver: 5, subscriber: 8 };
    const body = [
      'BHT*0022*11*R*20261204*0906',
      'HL*1**20*1',
      'NM1*PR*2*ACME*****PI*1',
      'HL*2*1*21*1',
      'NM1*1P*2*C*****XX*1234567893',
      'HL*3*2*22*0',
      'TRN*2*T*9WINTEHR01',
      'NM1*IL*1*DOE*JANE****MI*X1',
    ];
    body.splice(placement[loop]!, 0, `AAA*N**${reason}*${followUp}`);
    const r = read271(wrap(body));
    expect(r.active).toBeUndefined();
    expect(r.rejections).toHaveLength(1);
    expect(r.rejections[0]).toMatchObject({ loop, validRequest: false, reasonCode: reason, followUpCode: followUp });
    expect(r.rejections[0]!.message).toMatch(message);
  });

  it('keeps an unknown reject code readable', () => {
    const r = read271(wrap(['BHT*0022*11*R', 'HL*1**20*0', 'NM1*PR*2*ACME*****PI*1', 'AAA*N**ZZ*Q']));
    expect(r.rejections[0]!.message).toBe('The payer rejected the request (reason code ZZ).');
  });

  it('rejects malformed 271s with X12SyntaxError', () => {
    expect(() => read271('HTTP 200 OK but not X12')).toThrow(X12SyntaxError);
    expect(() => read271(active271.replace('SE*27*0001', 'SE*3*0001'))).toThrow(/SE01 says 3/);
    expect(() => read271(active271.replace('EB*C*IND*30***23*1500', 'EB*C*IND*30***23*12X'))).toThrow(
      /monetary amount/,
    );
    expect(() => read271(active271.replace('ST*271', 'ST*270'))).toThrow(/no 271/);
  });
});

describe('build271', () => {
  it('writes a 271 that read271 reads back: dependent, echo TRN, benefits and percentages', () => {
    const raw = build271({
      interchange: { senderId: 'CLEARHOUSE', receiverId: 'WINTEHR', controlNumber: 3 },
      at: new Date(Date.UTC(2026, 11, 4)),
      referenceId: 'REF-9',
      payer: { name: 'ACME', id: '60054' },
      provider: { name: 'CLINIC', npi: '1234567893' },
      subscriber: {
        lastName: 'SMITH',
        firstName: 'ROBERT',
        memberId: 'W1',
        planBegin: '2026-01-01',
        planEnd: '2026-12-31',
      },
      dependent: {
        lastName: 'SMITH',
        firstName: 'MARY',
        birthDate: '2015-02-03',
        gender: 'F',
        trace: { number: 'T-2', assigner: '9WINTEHR01' },
        benefits: [
          { code: '1', coverageLevel: 'DEP', serviceTypes: ['30', 'MH'], planDescription: 'FAMILY HMO' },
          { code: 'A', serviceTypes: ['30'], percent: 15, inNetwork: true },
        ],
      },
    });
    expect(raw).toContain('EB*1*DEP*30^MH**FAMILY HMO~');
    expect(raw).toContain('EB*A**30*****0.15****Y~');
    expect(raw).toContain('DTP*291*RD8*20260101-20261231~');
    const r = read271(raw);
    expect(r.active).toBe(true);
    expect(r.planName).toBe('FAMILY HMO');
    expect(r.subscriber!.benefits).toEqual([]);
    expect(patientOf(r)).toMatchObject({
      firstName: 'MARY',
      birthDate: '2015-02-03',
      traces: [{ type: '2', number: 'T-2' }],
    });
    expect(patientOf(r)!.benefits[1]!.percent).toBe(15);
  });

  it('writes a payer AAA in 2000A with no lower levels', () => {
    const raw = build271({
      interchange: { senderId: 'CH', receiverId: 'W', controlNumber: 4 },
      at: new Date(),
      referenceId: 'R',
      payer: { name: 'ACME', id: '1' },
      payerRejection: { reasonCode: '42', followUpCode: 'P' },
      provider: { name: 'C', npi: '1234567893' },
      subscriber: { lastName: 'X' },
    });
    expect(raw).toMatch(/HL\*1\*\*20\*0~NM1\*PR\*2\*ACME\*\*\*\*\*PI\*1~AAA\*N\*\*42\*P~SE\*6\*0001~/);
    expect(read271(raw).rejections[0]!.message).toBe(
      'The payer cannot respond at the moment (system unavailable). Resubmit the original request.',
    );
  });
});
