import type { Role } from '@wintehr/contracts';
import type { MfaActivation, MfaEnrollment, StepUpResult as StepUp } from '@wintehr/contracts';

export { ROLES } from '@wintehr/contracts';
export type {
  CurrentUser,
  LoginResult,
  Permission,
  PublicUser,
  Role,
  TokenPair as TokenResponse,
} from '@wintehr/contracts';

export const ROLE_LABELS: Record<Role, string> = {
  physician: 'Physician',
  nurse: 'Nurse',
  pharmacist: 'Pharmacist',
  lab_technician: 'Lab technician',
  radiologist: 'Radiologist',
  admin: 'Administrator',
  patient: 'Patient',
};

export type EnrollmentStart = MfaEnrollment;
export type EnrollmentDone = MfaActivation;
export type StepUpResult = StepUp;
