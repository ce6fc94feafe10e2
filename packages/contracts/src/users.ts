/** /api/users: account administration (user:manage), EPCS approvals and patient assignments. */
import { z } from 'zod';
import { FhirId } from './fhir';
import { ROLES } from './roles';

export const UserIdParams = z.object({ id: z.uuid() }).strict();

export const CreateUserBody = z
  .object({
    username: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9._-]{3,64}$/, '3–64 of a-z 0-9 . _ -'),
    displayName: z.string().trim().min(1).max(200),
    role: z.enum(ROLES),
    password: z.string().min(1).max(128),
    /** Staff: an existing Practitioner; when absent one is created (with a PractitionerRole). */
    fhirPractitionerId: FhirId.optional(),
    /** Patient role: the Patient this portal account belongs to (required). */
    fhirPatientId: FhirId.optional(),
    pharmacyOrgId: FhirId.optional(),
    deaNumber: z
      .string()
      .regex(/^[A-Z]{2}\d{7}$/, 'a DEA number: two letters and seven digits')
      .optional(),
  })
  .strict()
  .refine((u) => u.role !== 'patient' || !!u.fhirPatientId, {
    message: 'required for the patient role',
    path: ['fhirPatientId'],
  })
  .refine((u) => u.role === 'patient' || !u.fhirPatientId, {
    message: 'only for the patient role',
    path: ['fhirPatientId'],
  });
/** What a client sends (the username is lower-cased by the API). */
export type CreateUserBody = z.input<typeof CreateUserBody>;

export const UpdateUserBody = z
  .object({
    displayName: z.string().trim().min(1).max(200).optional(),
    disabled: z.boolean().optional(),
    deaNumber: z
      .string()
      .regex(/^[A-Z]{2}\d{7}$/)
      .nullable()
      .optional(),
    pharmacyOrgId: FhirId.nullable().optional(),
    /** Clears failed-login counters and a lock. */
    unlock: z.literal(true).optional(),
    /** Removes the TOTP secret and recovery codes; the user enrols again at next login. */
    resetMfa: z.literal(true).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type UpdateUserBody = z.input<typeof UpdateUserBody>;

export const ListUsersQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict();

export const AssignmentBody = z
  .object({
    patientId: FhirId,
    reason: z.string().trim().min(3).max(500),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type AssignmentBody = z.input<typeof AssignmentBody>;
export const AssignmentParams = z.object({ id: z.uuid(), patientId: FhirId }).strict();

/** The admin's view of an account: never the hash, the TOTP secret or recovery codes. */
export const AdminUser = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    fhirPractitionerId: z.string().optional(),
    fhirPractitionerRoleId: z.string().optional(),
    fhirPatientId: z.string().optional(),
    pharmacyOrgId: z.string().optional(),
    deaNumber: z.string().optional(),
    mfaEnabled: z.boolean(),
    disabled: z.boolean(),
    /** Only while the lock lasts. */
    lockedUntil: z.string().optional(),
    epcsApprovals: z.number().int(),
    epcsEnabled: z.boolean(),
    isDemo: z.boolean(),
    createdAt: z.string(),
  })
  .strict();
export type AdminUser = z.infer<typeof AdminUser>;

export const AdminUserList = z.object({ users: z.array(AdminUser) }).strict();
export type AdminUserList = z.infer<typeof AdminUserList>;
