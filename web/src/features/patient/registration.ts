import type { EligibilityOutcome, RegisterPatientBody, RegisteredPatient } from '@wintehr/contracts';
import { api } from '../../core/api/client';

/** Registration at the front desk: the form's values to the API body, and the eligibility answer in words. Pure. */
export interface RegistrationForm {
  family: string;
  given: string;
  birthDate: string;
  gender: 'male' | 'female' | 'other' | 'unknown';
  phone: string;
  payerId: string;
  memberId: string;
  groupNumber: string;
}

export const EMPTY_REGISTRATION: RegistrationForm = {
  family: '',
  given: '',
  birthDate: '',
  gender: 'unknown',
  phone: '',
  payerId: '',
  memberId: '',
  groupNumber: '',
};

/** The demo payers' clearinghouse ids (scripts/seed/catalog.ts), offered as suggestions; any id may be typed. */
export const DEMO_PAYERS = [
  { id: '06102', name: 'Medicare' },
  { id: 'IL621', name: 'Illinois Medicaid' },
  { id: '00621', name: 'Prairie BlueCross Health Plan' },
  { id: '60054', name: 'Lakeshore Health Insurance' },
  { id: '87726', name: 'Heartland Mutual Insurance' },
] as const;

export function registrationBody(f: RegistrationForm): RegisterPatientBody {
  const trim = (s: string) => s.trim();
  const insured = trim(f.payerId) || trim(f.memberId);
  return {
    name: { family: trim(f.family), given: trim(f.given).split(/\s+/).filter(Boolean) },
    birthDate: f.birthDate,
    gender: f.gender,
    ...(trim(f.phone) ? { phone: trim(f.phone) } : {}),
    ...(insured
      ? {
          insurance: {
            payerId: trim(f.payerId),
            memberId: trim(f.memberId),
            ...(trim(f.groupNumber) ? { groupNumber: trim(f.groupNumber) } : {}),
          },
        }
      : {}),
  };
}

/** What the front desk reads after registering: the payer's answer, or why it is not known yet. */
export function outcomeText(o: EligibilityOutcome | undefined): {
  severity: 'success' | 'warning' | 'info';
  text: string;
} {
  if (!o) return { severity: 'info', text: 'No insurance given: eligibility not checked.' };
  if (o.state === 'checked') {
    const r = o.result;
    if (r.status === 'active')
      return { severity: 'success', text: `Eligibility: active${r.plan ? ` — ${r.plan}` : ''} (${r.payer.name}).` };
    if (r.status === 'inactive')
      return { severity: 'warning', text: `Eligibility: coverage inactive (${r.payer.name}).` };
    return { severity: 'warning', text: `Eligibility: the payer did not state whether the coverage is active.` };
  }
  if (o.state === 'rejected') return { severity: 'warning', text: o.message };
  return { severity: 'warning', text: `Eligibility ${o.message}.` };
}

export const registrationApi = {
  register: (body: RegisterPatientBody) => api.post<RegisteredPatient>('/api/patients', body),
};
