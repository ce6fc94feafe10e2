import { XMLParser } from 'fast-xml-parser';
import {
  buildScriptXml,
  isValidDea,
  isValidNpi,
  parseScriptXml,
  prescriptionFromFhir,
  ScriptParseError,
  validatePrescription,
  type ScriptHeader,
  type ScriptMessage,
} from './index';
import { fhirFixture, VALID_DEA } from './ncpdp.test-util';

// An independent reader (not our parse.ts) so the XML itself is checked element by element.
const reader = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });
const HEADER: ScriptHeader = {
  to: { qualifier: 'P', id: '0999017' },
  from: { qualifier: 'C', id: '1234567893' },
  messageId: 'MSG-1',
  sentTime: '2026-11-23T10:16:00Z',
  software: { developer: 'WintEHR', product: 'WintEHR eRx', version: '0.1' },
};

function newRx(vary: (f: ReturnType<typeof fhirFixture>) => void = () => {}, extra = {}) {
  const f = fhirFixture();
  vary(f);
  const content = prescriptionFromFhir({ ...f, extra });
  const issues = validatePrescription('NewRx', content, HEADER);
  const xml = buildScriptXml({ type: 'NewRx', header: HEADER, content });
  const doc = reader.parse(xml);
  return { content, issues, xml, msg: doc.Message, rx: doc.Message.Body.NewRx };
}

describe('NewRx from FHIR, element by element', () => {
  test('a complete non-controlled prescription', () => {
    const { issues, msg, rx } = newRx();
    expect(issues).toEqual([]);
    expect(msg['@xmlns']).toBe('http://www.ncpdp.org/schema/SCRIPT');
    expect(msg['@TransactionVersion']).toBe('20170715');
    expect(msg.Header.To).toEqual({ '#text': '0999017', '@Qualifier': 'P' });
    expect(msg.Header.From).toEqual({ '#text': '1234567893', '@Qualifier': 'C' });
    expect(msg.Header.MessageID).toBe('MSG-1');
    expect(msg.Header.SentTime).toBe('2026-11-23T10:16:00Z');
    expect(msg.Header.SenderSoftware.SenderSoftwareProduct).toBe('WintEHR eRx');
    const hp = rx.Patient.HumanPatient;
    expect(hp.Name).toEqual({ LastName: "O'Neil & Sons", FirstName: 'Jane', MiddleName: 'Q' });
    expect(hp.Gender).toBe('F');
    expect(hp.DateOfBirth.Date).toBe('1980-05-17');
    expect(hp.Address).toEqual({
      AddressLine1: '12 Main St',
      AddressLine2: 'Apt 4',
      City: 'Springfield',
      StateProvince: 'IL',
      PostalCode: '627011234',
      CountryCode: 'US',
    });
    expect(hp.CommunicationNumbers.PrimaryTelephone.Number).toBe('2175550101');
    expect(rx.Pharmacy.Identification.NCPDPID).toBe('0999017');
    expect(rx.Pharmacy.BusinessName).toBe('Elm Street Pharmacy');
    expect(rx.Pharmacy.CommunicationNumbers.PrimaryTelephone.Number).toBe('2175550123');
    const nv = rx.Prescriber.NonVeterinarian;
    expect(nv.Identification).toEqual({ NPI: '1234567893' });
    expect(nv.Name).toEqual({ LastName: 'Wilson', FirstName: 'Gregory' });
    const m = rx.MedicationPrescribed;
    expect(m.DrugDescription).toBe('Lisinopril 10 MG Oral Tablet');
    expect(m.DrugCoded.ProductCode).toEqual({ Code: '00093111101', Qualifier: 'ND' });
    expect(m.DrugCoded.DrugDBCode).toEqual({ Code: '314076', Qualifier: 'SCD' });
    expect(m.DrugCoded.DEASchedule).toBeUndefined();
    expect(m.Quantity).toEqual({ Value: '30', CodeListQualifier: '38', QuantityUnitOfMeasure: { Code: 'C48542' } });
    expect(m.DaysSupply).toBe('30');
    expect(m.WrittenDate.DateTime).toBe('2026-11-23T10:15:00Z');
    expect(m.Substitutions).toBe('0');
    expect(m.NumberOfRefills).toBe('3');
    expect(m.Sig.SigText).toBe('Take 1 tablet by mouth once daily');
  });

  test('element order inside NewRx and MedicationPrescribed follows SCRIPT', () => {
    const { xml } = newRx();
    const order = [
      '<Patient>',
      '<Pharmacy>',
      '<Prescriber>',
      '<MedicationPrescribed>',
      '<DrugDescription>',
      '<DrugCoded>',
      '<Quantity>',
      '<DaysSupply>',
      '<WrittenDate>',
      '<Substitutions>',
      '<NumberOfRefills>',
      '<Sig>',
    ];
    const positions = order.map((t) => xml.indexOf(t));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  test('special characters are escaped, not injected', () => {
    const { xml } = newRx((f) => {
      f.medicationRequest.dosageInstruction = [{ text: 'Take <1> & "stop"</SigText><Injected/>' }];
    });
    expect(xml).not.toContain('<Injected/>');
    expect(parseScriptXml(xml).type).toBe('NewRx');
  });

  test.each([
    ['schedule II', 'II', 0, 'C48675'],
    ['schedule III', 'III', 2, 'C48676'],
    ['schedule IV', 'IV', 5, 'C48677'],
    ['schedule V', 'V', 1, 'C48679'],
  ] as const)('controlled %s carries DEASchedule and the DEA number', (_l, schedule, refills, nci) => {
    const { issues, rx } = newRx(
      (f) => {
        f.medicationRequest.dispenseRequest!.numberOfRepeatsAllowed = refills;
      },
      { deaSchedule: schedule, deaNumber: VALID_DEA },
    );
    expect(issues).toEqual([]);
    expect(rx.MedicationPrescribed.DrugCoded.DEASchedule.Code).toBe(nci);
    expect(rx.Prescriber.NonVeterinarian.Identification.DEANumber).toBe(VALID_DEA);
    expect(rx.MedicationPrescribed.NumberOfRefills).toBe(String(refills));
  });

  test('controlled without a DEA number names the DEANumber field', () => {
    const { issues } = newRx(() => {}, { deaSchedule: 'IV' });
    expect(issues).toContainEqual({
      field: 'NewRx.Prescriber.NonVeterinarian.Identification.DEANumber',
      message: 'is required',
    });
  });
  test('schedule II with refills is refused', () => {
    const { issues } = newRx(() => {}, { deaSchedule: 'II', deaNumber: VALID_DEA });
    expect(issues.map((i) => i.field)).toEqual(['NewRx.MedicationPrescribed.NumberOfRefills']);
  });
  test('an invalid DEA check digit is refused', () => {
    const { issues } = newRx(() => {}, { deaSchedule: 'IV', deaNumber: 'AB1234564' });
    expect(issues.map((i) => i.field)).toEqual(['NewRx.Prescriber.NonVeterinarian.Identification.DEANumber']);
  });

  test.each([
    [true, '0'],
    [false, '1'],
  ])('substitution allowed=%s → Substitutions %s', (allowed, code) => {
    const { rx } = newRx((f) => {
      f.medicationRequest.substitution = { allowedBoolean: allowed };
    });
    expect(rx.MedicationPrescribed.Substitutions).toBe(code);
  });

  test.each([0, 1, 11])('refills %i', (n) => {
    const { rx, issues } = newRx((f) => {
      f.medicationRequest.dispenseRequest!.numberOfRepeatsAllowed = n;
    });
    expect(issues).toEqual([]);
    expect(rx.MedicationPrescribed.NumberOfRefills).toBe(String(n));
  });

  test('NDC absent: no ProductCode, RxNorm still present', () => {
    const { rx, issues } = newRx((f) => {
      f.medicationRequest.medicationCodeableConcept!.coding = [
        { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076' },
      ];
    });
    expect(issues).toEqual([]);
    expect(rx.MedicationPrescribed.DrugCoded.ProductCode).toBeUndefined();
    expect(rx.MedicationPrescribed.DrugCoded.DrugDBCode.Code).toBe('314076');
  });
  test('branded RxNorm term type is carried as the qualifier', () => {
    const { rx } = newRx(() => {}, { rxnormTty: 'SBD' });
    expect(rx.MedicationPrescribed.DrugCoded.DrugDBCode.Qualifier).toBe('SBD');
  });

  test('a sig of exactly 1000 characters passes; 1001 is refused naming SigText', () => {
    expect(
      newRx((f) => {
        f.medicationRequest.dosageInstruction = [{ text: 'x'.repeat(1000) }];
      }).issues,
    ).toEqual([]);
    const { issues } = newRx((f) => {
      f.medicationRequest.dosageInstruction = [{ text: 'x'.repeat(1001) }];
    });
    expect(issues).toEqual([
      { field: 'NewRx.MedicationPrescribed.Sig.SigText', message: 'is longer than 1000 characters' },
    ]);
  });

  test.each([
    [
      'missing NPI',
      (f: ReturnType<typeof fhirFixture>) => {
        f.practitioner.identifier = [];
      },
      'NewRx.Prescriber.NonVeterinarian.Identification.NPI',
    ],
    [
      'NPI with a bad check digit',
      (f: ReturnType<typeof fhirFixture>) => {
        f.practitioner.identifier![0]!.value = '1234567890';
      },
      'NewRx.Prescriber.NonVeterinarian.Identification.NPI',
    ],
    [
      'missing pharmacy NCPDPID',
      (f: ReturnType<typeof fhirFixture>) => {
        f.pharmacy.identifier = [];
      },
      'NewRx.Pharmacy.Identification.NCPDPID',
    ],
    [
      'missing date of birth',
      (f: ReturnType<typeof fhirFixture>) => {
        delete f.patient.birthDate;
      },
      'NewRx.Patient.HumanPatient.DateOfBirth.Date',
    ],
    [
      'missing quantity',
      (f: ReturnType<typeof fhirFixture>) => {
        delete f.medicationRequest.dispenseRequest!.quantity;
      },
      'NewRx.MedicationPrescribed.Quantity.Value',
    ],
    [
      'unknown unit',
      (f: ReturnType<typeof fhirFixture>) => {
        f.medicationRequest.dispenseRequest!.quantity = { value: 3, unit: 'bucket' };
      },
      'NewRx.MedicationPrescribed.Quantity.QuantityUnitOfMeasure.Code',
    ],
    [
      'missing sig',
      (f: ReturnType<typeof fhirFixture>) => {
        f.medicationRequest.dosageInstruction = [];
      },
      'NewRx.MedicationPrescribed.Sig.SigText',
    ],
    [
      'patient last name too long',
      (f: ReturnType<typeof fhirFixture>) => {
        f.patient.name![0]!.family = 'L'.repeat(36);
      },
      'NewRx.Patient.HumanPatient.Name.LastName',
    ],
    [
      'days supply 0',
      (f: ReturnType<typeof fhirFixture>) => {
        f.medicationRequest.dispenseRequest!.expectedSupplyDuration = { value: 0, code: 'd' };
      },
      'NewRx.MedicationPrescribed.DaysSupply',
    ],
  ])('%s → an error naming the field', (_l, vary, field) => {
    const { issues } = newRx(vary);
    expect(issues.map((i) => i.field)).toEqual([field]);
  });

  test('mL quantities map to the NCI milliliter code, 2 weeks to 14 days', () => {
    const { rx } = newRx((f) => {
      f.medicationRequest.dispenseRequest!.quantity = { value: 150, unit: 'mL' };
      f.medicationRequest.dispenseRequest!.expectedSupplyDuration = { value: 2, code: 'wk' };
    });
    expect(rx.MedicationPrescribed.Quantity.QuantityUnitOfMeasure.Code).toBe('C28254');
    expect(rx.MedicationPrescribed.DaysSupply).toBe('14');
  });
});

describe('round trips and the other messages', () => {
  const content = prescriptionFromFhir({ ...fhirFixture(), extra: { deaSchedule: 'III', deaNumber: VALID_DEA } });
  const messages: ScriptMessage[] = [
    { type: 'NewRx', header: HEADER, content },
    {
      type: 'NewRx',
      header: {
        ...HEADER,
        prescriberOrderNumber: 'MR-1',
        digitalSignature: { version: 'JWS', digestValue: 'abc=', signatureValue: 'e30.e30.sig' },
      },
      content,
    },
    { type: 'CancelRx', header: { ...HEADER, relatesToMessageId: 'MSG-0' }, content },
    {
      type: 'RxRenewalRequest',
      header: { ...HEADER, to: { qualifier: 'C', id: '1234567893' }, from: { qualifier: 'P', id: '0999017' } },
      content,
    },
    {
      type: 'RxRenewalResponse',
      header: { ...HEADER, relatesToMessageId: 'REN-1' },
      content,
      response: { kind: 'Approved', note: 'ok' },
    },
    {
      type: 'RxRenewalResponse',
      header: HEADER,
      content,
      response: { kind: 'Denied', reasonCode: 'AF', note: 'needs a visit' },
    },
    {
      type: 'RxChangeRequest',
      header: HEADER,
      content,
      changeCode: 'G',
      requested: [{ ...content.medication, description: 'Generic', ndc: '00000000001' }],
    },
    { type: 'RxChangeResponse', header: HEADER, content, changeCode: 'G', response: { kind: 'Approved' } },
    { type: 'Status', header: HEADER, status: { code: '010' } },
    { type: 'Verify', header: HEADER, status: { code: '010', description: 'delivered' } },
    { type: 'Error', header: HEADER, status: { code: '900', descriptionCode: '1000', description: 'bad' } },
    { type: 'RxHistoryRequest', header: HEADER, patient: content.patient },
    {
      type: 'RxHistoryResponse',
      header: HEADER,
      patient: content.patient,
      dispensed: [{ ...content.medication, lastFillDate: '2026-10-01', pharmacyName: 'X' }],
    },
  ];
  test.each(messages.map((m) => [m.type, m] as const))('%s builds and parses back to the same message', (_t, m) => {
    const back = parseScriptXml(buildScriptXml(m));
    expect(back).toEqual(JSON.parse(JSON.stringify(m)));
  });

  test.each([
    ['', undefined],
    ['not xml', undefined],
    ['<Message><Header>', undefined],
    ['<?xml version="1.0"?><Bundle/>', 'Message'],
    ['<Message><Body><Status><Code>010</Code></Status></Body></Message>', 'Header'],
    [
      '<Message><Header><To Qualifier="P">1</To><From Qualifier="C">2</From></Header><Body><Status/></Body></Message>',
      'Header.MessageID',
    ],
    [
      '<Message><Header><To>1</To><From Qualifier="C">2</From><MessageID>x</MessageID></Header><Body><Status/></Body></Message>',
      'Header.To.Qualifier',
    ],
    [
      '<Message><Header><To Qualifier="P">1</To><From Qualifier="C">2</From><MessageID>x</MessageID></Header><Body><Foo/></Body></Message>',
      'Body',
    ],
    ['<!DOCTYPE x [<!ENTITY a "b">]><Message/>', undefined],
  ])('malformed %j is refused', (xml, field) => {
    let err: unknown;
    try {
      parseScriptXml(xml);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScriptParseError);
    expect((err as ScriptParseError).field).toBe(field);
  });

  test('NPI and DEA check digits', () => {
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
    expect(isValidDea('AB1234563')).toBe(true);
    expect(isValidDea('AB1234564')).toBe(false);
    expect(isValidDea('A91234563')).toBe(true);
  });
});
