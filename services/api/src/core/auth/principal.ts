import type { Role } from '@wintehr/contracts';

/** The authenticated caller of one request, as established from its access token. */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** Practitioner/123 or Patient/456: the FHIR resource that represents the user. */
  fhirUser?: string;
  /** For the patient role: the only compartment it may reach. */
  patientId?: string;
  practitionerId?: string;
  /** When the user last proved a second factor (epoch seconds); step-up checks read it. */
  mfaAt?: number;
  tokenId: string;
  tokenExpiresAt: number;
  clientId?: string;
}
