import { pharmacyById } from './directory';
import { get, text, type Tree } from './xml';

/**
 * The checks the network makes before it routes a message, answering like Surescripts would with an NCPDP Error
 * (Code 900 = transaction rejected; DescriptionCode values are our stand-ins, the licensed ECL was not available).
 * Returns undefined when the message may be routed.
 */
export interface Rejection {
  code: string;
  descriptionCode: string;
  description: string;
}
const reject = (descriptionCode: string, description: string): Rejection => ({
  code: '900',
  descriptionCode,
  description,
});

/** Message types the EHR may send into the network. */
export const EHR_TO_NETWORK = [
  'NewRx',
  'CancelRx',
  'RxRenewalResponse',
  'RxChangeResponse',
  'RxHistoryRequest',
] as const;

const PRESCRIPTION_REQUIRED = [
  'Patient.HumanPatient.Name.LastName',
  'Patient.HumanPatient.Name.FirstName',
  'Patient.HumanPatient.DateOfBirth.Date',
  'Pharmacy.Identification.NCPDPID',
  'Prescriber.NonVeterinarian.Identification.NPI',
  'Prescriber.NonVeterinarian.Name.LastName',
  'MedicationPrescribed.DrugDescription',
  'MedicationPrescribed.Quantity.Value',
  'MedicationPrescribed.Quantity.QuantityUnitOfMeasure.Code',
  'MedicationPrescribed.Sig.SigText',
  'MedicationPrescribed.NumberOfRefills',
];
const SCHEDULED = new Set(['C48672', 'C48675', 'C48676', 'C48677', 'C48679']);

export function checkMessage(doc: Tree): { type: string; messageId: string; header: Tree; body: Tree } | Rejection {
  const msg = doc.Message as Tree | undefined;
  if (!msg) return reject('1000', 'Root element must be Message');
  const header = msg.Header as Tree | undefined;
  const messageId = text(get(header, 'MessageID'));
  if (!header || !messageId) return reject('2000', 'Header.MessageID is required');
  if (messageId.length > 35) return reject('2000', 'Header.MessageID is longer than 35');
  for (const f of ['To', 'From', 'SentTime'])
    if (!text(get(header, f))) return reject('2000', `Header.${f} is required`);
  const to = get(header, 'To') as Tree;
  const bodyTypes = Object.keys((msg.Body as Tree | undefined) ?? {});
  if (bodyTypes.length !== 1) return reject('1000', 'Body must hold exactly one message');
  const type = bodyTypes[0]!;
  if (!(EHR_TO_NETWORK as readonly string[]).includes(type))
    return reject('1000', `Message type ${type} is not accepted from a prescriber system`);
  const body = ((msg.Body as Tree)[type] ?? {}) as Tree;
  if (type === 'RxHistoryRequest') {
    for (const p of [
      'Patient.HumanPatient.Name.LastName',
      'Patient.HumanPatient.Name.FirstName',
      'Patient.HumanPatient.DateOfBirth.Date',
    ]) {
      if (!text(get(body, p))) return reject('2000', `${type}.${p} is required`);
    }
    return { type, messageId, header, body };
  }
  if (to['@_Qualifier'] !== 'P') return reject('1000', 'Header.To must be a pharmacy (Qualifier P)');
  for (const p of PRESCRIPTION_REQUIRED) if (!text(get(body, p))) return reject('2000', `${type}.${p} is required`);
  const ncpdp = text(get(body, 'Pharmacy.Identification.NCPDPID'))!;
  if (text(to) !== ncpdp) return reject('1000', 'Header.To does not match Pharmacy.Identification.NCPDPID');
  const pharmacy = pharmacyById(ncpdp);
  if (!pharmacy) return reject('1001', 'Receiving pharmacy NCPDPID not found in the directory');
  if ((type === 'RxRenewalResponse' || type === 'RxChangeResponse') && !text(get(header, 'RelatesToMessageID'))) {
    return reject('2000', 'Header.RelatesToMessageID is required for a response');
  }
  const schedule = text(get(body, 'MedicationPrescribed.DrugCoded.DEASchedule.Code'));
  if (schedule && SCHEDULED.has(schedule)) {
    if (!text(get(body, 'Prescriber.NonVeterinarian.Identification.DEANumber')))
      return reject(
        '2000',
        `${type}.Prescriber.NonVeterinarian.Identification.DEANumber is required for a controlled substance`,
      );
    if (type === 'NewRx' && !text(get(header, 'DigitalSignature.SignatureValue')))
      return reject('2000', 'Header.DigitalSignature is required for a controlled substance (EPCS)');
    if (type === 'NewRx' && !pharmacy.epcs) return reject('1001', 'Receiving pharmacy does not accept EPCS');
  }
  return { type, messageId, header, body };
}
