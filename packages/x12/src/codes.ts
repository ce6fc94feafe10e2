/** Code lists of 005010X279A1 used by the reader to turn codes into words. Not exhaustive: unknown codes pass through. */

/** EB01 Eligibility or Benefit Information Code. */
export const ELIGIBILITY_CODES: Record<string, string> = {
  '1': 'Active Coverage',
  '2': 'Active - Full Risk Capitation',
  '3': 'Active - Services Capitated',
  '4': 'Active - Services Capitated to Primary Care Physician',
  '5': 'Active - Pending Investigation',
  '6': 'Inactive',
  '7': 'Inactive - Pending Eligibility Update',
  '8': 'Inactive - Pending Investigation',
  A: 'Co-Insurance',
  B: 'Co-Payment',
  C: 'Deductible',
  CB: 'Coverage Basis',
  D: 'Benefit Description',
  E: 'Exclusions',
  F: 'Limitations',
  G: 'Out of Pocket (Stop Loss)',
  H: 'Unlimited',
  I: 'Non-Covered',
  J: 'Cost Containment',
  K: 'Reserve',
  L: 'Primary Care Provider',
  M: 'Pre-existing Condition',
  MC: 'Managed Care Coordinator',
  N: 'Services Restricted to Following Provider',
  O: 'Not Deemed a Medical Necessity',
  P: 'Benefit Disclaimer',
  Q: 'Second Surgical Opinion Required',
  R: 'Other or Additional Payor',
  S: 'Prior Year(s) History',
  T: 'Card(s) Reported Lost/Stolen',
  U: 'Contact Following Entity for Eligibility or Benefit Information',
  V: 'Cannot Process',
  W: 'Other Source of Data',
  X: 'Health Care Facility',
  Y: 'Spend Down',
};
export const ACTIVE_CODES = new Set(['1', '2', '3', '4', '5']);
export const INACTIVE_CODES = new Set(['6', '7', '8']);

/** EB03 / EQ01 Service Type Code (the subset the product shows). */
export const SERVICE_TYPES: Record<string, string> = {
  '1': 'Medical Care',
  '2': 'Surgical',
  '4': 'Diagnostic X-Ray',
  '5': 'Diagnostic Lab',
  '30': 'Health Benefit Plan Coverage',
  '33': 'Chiropractic',
  '35': 'Dental Care',
  '42': 'Home Health Care',
  '45': 'Hospice',
  '47': 'Hospital',
  '48': 'Hospital - Inpatient',
  '50': 'Hospital - Outpatient',
  '86': 'Emergency Services',
  '88': 'Pharmacy',
  '98': 'Professional (Physician) Visit - Office',
  A4: 'Psychiatric',
  AL: 'Vision (Optometry)',
  BZ: 'Physician Visit - Office: Well',
  MH: 'Mental Health',
  PT: 'Physical Therapy',
  UC: 'Urgent Care',
};

/** EB02 Coverage Level Code. */
export const COVERAGE_LEVELS: Record<string, string> = {
  CHD: 'Children Only',
  DEP: 'Dependents Only',
  ECH: 'Employee and Children',
  EMP: 'Employee Only',
  ESP: 'Employee and Spouse',
  FAM: 'Family',
  IND: 'Individual',
  SPC: 'Spouse and Children',
  SPO: 'Spouse Only',
};

/** EB04 Insurance Type Code (common ones). */
export const INSURANCE_TYPES: Record<string, string> = {
  C1: 'Commercial',
  EP: 'Exclusive Provider Organization (EPO)',
  HM: 'Health Maintenance Organization (HMO)',
  HN: 'HMO - Medicare Risk',
  MA: 'Medicare Part A',
  MB: 'Medicare Part B',
  MC: 'Medicaid',
  PR: 'Preferred Provider Organization (PPO)',
  PS: 'Point of Service (POS)',
};

/** EB06 Time Period Qualifier. */
export const TIME_PERIODS: Record<string, string> = {
  '6': 'Hour',
  '7': 'Day',
  '13': '24 Hours',
  '21': 'Years',
  '22': 'Service Year',
  '23': 'Calendar Year',
  '24': 'Year to Date',
  '25': 'Contract',
  '26': 'Episode',
  '27': 'Visit',
  '28': 'Outlier',
  '29': 'Remaining',
  '30': 'Exceeded',
  '31': 'Not Exceeded',
  '32': 'Lifetime',
  '33': 'Lifetime Remaining',
  '34': 'Month',
  '35': 'Week',
  '36': 'Admission',
};

/** AAA03 Reject Reason Code, phrased for the person at the front desk. */
export const REJECT_REASONS: Record<string, string> = {
  '04': 'The authorized quantity was exceeded',
  '15': 'Required application data is missing from the request',
  '41': 'The payer restricts access to this information (authorization/access restriction)',
  '42': 'The payer cannot respond at the moment (system unavailable)',
  '43': 'The provider identifier (NPI) is invalid or missing',
  '44': 'The provider name is invalid or missing',
  '45': 'The provider specialty is invalid or missing',
  '47': 'The provider state is invalid or missing',
  '48': 'The referring provider identifier is invalid or missing',
  '49': 'The provider is not the primary care physician',
  '50': 'The provider is not eligible to make inquiries',
  '51': 'The provider is not on file with the payer',
  '52': 'The service dates are not within the provider plan enrollment',
  '53': 'The inquired benefit is inconsistent with the provider type',
  '56': 'The date is inappropriate',
  '57': 'The date of service is invalid or missing',
  '58': 'The date of birth is invalid or missing',
  '60': 'The date of birth is after the date of service',
  '61': 'The date of death is before the date of service',
  '62': 'The date of service is outside the allowable inquiry period',
  '63': 'The date of service is in the future',
  '64': 'The patient identifier is invalid or missing',
  '65': 'The patient name is invalid or missing',
  '66': 'The patient gender is invalid or missing',
  '67': 'The patient was not found',
  '68': 'The patient identifier is a duplicate',
  '69': "The inquiry is inconsistent with the patient's age",
  '70': "The inquiry is inconsistent with the patient's gender",
  '71': "The date of birth does not match the payer's record for this patient",
  '72': 'The member (subscriber) id is invalid or missing',
  '73': "The subscriber name does not match the payer's record (invalid or missing name)",
  '74': 'The subscriber gender is invalid or missing',
  '75': 'The payer has no subscriber with this member id (subscriber not found)',
  '76': 'The subscriber id is a duplicate',
  '77': 'The subscriber was found but the patient (dependent) was not',
  '78': 'The subscriber is not in the group/plan identified',
  '79': 'A participant identifier in the request is invalid',
  '80': 'The payer sent no response; the transaction was terminated',
  '97': 'The provider address is invalid or missing',
  T4: 'The payer name or identifier is missing',
};

/** AAA04 Follow-up Action Code. */
export const FOLLOW_UP_ACTIONS: Record<string, string> = {
  C: 'Correct the request and resubmit.',
  N: 'Resubmission is not allowed.',
  P: 'Resubmit the original request.',
  R: 'Resubmission is allowed.',
  S: 'Do not resubmit; the payer has asked a third party.',
  W: 'Wait 30 days and resubmit.',
  X: 'Wait 10 days and resubmit.',
  Y: 'Do not resubmit; the payer will send the answer later.',
};

export const label = (table: Record<string, string>, code: string): string => table[code] ?? `code ${code}`;

/** One sentence for an AAA: what is wrong and what to do next. */
export function rejectionMessage(reason: string, followUp: string): string {
  const what = REJECT_REASONS[reason] ?? `The payer rejected the request (reason code ${reason || 'unknown'})`;
  const next = FOLLOW_UP_ACTIONS[followUp];
  return next ? `${what}. ${next}` : `${what}.`;
}
