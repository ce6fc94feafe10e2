export const ROLES = ['physician', 'nurse', 'pharmacist', 'lab_technician', 'radiologist', 'admin', 'patient'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  physician: 'Physician', nurse: 'Nurse', pharmacist: 'Pharmacist', lab_technician: 'Lab technician',
  radiologist: 'Radiologist', admin: 'Administrator', patient: 'Patient',
};

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  fhirUser?: string;
  mfaEnabled: boolean;
}

/** GET /api/auth/me */
export interface CurrentUser extends PublicUser {
  permissions: string[];
  mfaAt: number | null;
}

export interface TokenResponse { accessToken: string; expiresIn: number; refreshToken: string; tokenType?: string }

export type LoginResult =
  | ({ status: 'authenticated'; user: PublicUser } & TokenResponse)
  | { status: 'mfa_required'; mfaToken: string; expiresIn: number }
  | { status: 'mfa_enrollment_required'; user: PublicUser; enrollmentToken: string; expiresIn: number };

export interface EnrollmentStart { otpauthUri: string; qrCodeDataUrl: string; secret: string }
export type EnrollmentDone = { recoveryCodes: string[] } & TokenResponse;
export interface StepUpResult { accessToken: string; expiresIn: number; mfaAt: number }
