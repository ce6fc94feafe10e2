/**
 * Roles and permissions (seed 004 §6.4 and §7.3), plus audit:view, user:manage and break-glass:review for
 * admins. Unlike the seed's "admin holds everything", administration is not clinical care: admin keeps the
 * administrative permissions, registration and read-only clinical views (usable only through a break-the-glass
 * grant, see patient-access.ts), never prescribing, ordering, notes or results entry.
 */
export const ROLES = ['physician', 'nurse', 'pharmacist', 'lab_technician', 'radiologist', 'admin', 'patient'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'patient:read',
  'patient:write',
  'patient:delete',
  'patient:register',
  'medication:view',
  'medication:prescribe',
  'medication:discontinue',
  'medication:administer',
  'medication:dispense',
  'medication:verify',
  'medication:counsel',
  'order:view',
  'order:place',
  'order:cancel',
  'results:view',
  'results:create',
  'results:acknowledge',
  'imaging:view',
  'imaging:upload',
  'imaging:report',
  'imaging:share',
  'document:read',
  'document:write',
  'document:sign',
  'vitals:record',
  'cds:feedback',
  'smart:launch',
  'user:manage',
  'audit:view',
  'system:config',
  'break-glass:review',
  'portal:invite',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  physician: [
    'patient:read',
    'patient:write',
    'patient:register',
    'medication:view',
    'medication:prescribe',
    'medication:discontinue',
    'order:view',
    'order:place',
    'order:cancel',
    'results:view',
    'results:acknowledge',
    'imaging:view',
    'imaging:upload',
    'imaging:share',
    'document:read',
    'document:write',
    'document:sign',
    'vitals:record',
    'cds:feedback',
    'smart:launch',
    'portal:invite',
  ],
  nurse: [
    'patient:read',
    'patient:write',
    'patient:register',
    'medication:view',
    'medication:administer',
    'order:view',
    'results:view',
    'vitals:record',
    'document:read',
    'document:write',
    'cds:feedback',
    'smart:launch',
    'portal:invite',
  ],
  pharmacist: [
    'patient:read',
    'medication:view',
    'medication:dispense',
    'medication:verify',
    'medication:counsel',
    'results:view',
    'cds:feedback',
  ],
  lab_technician: ['patient:read', 'order:view', 'results:create', 'results:view'],
  radiologist: [
    'patient:read',
    'order:view',
    'imaging:view',
    'imaging:upload',
    'imaging:report',
    'imaging:share',
    'results:view',
    'results:create',
    'document:read',
    'document:write',
    'document:sign',
  ],
  // Reads open a chart only under a break-the-glass grant (no implicit relationship with any patient).
  admin: [
    'user:manage',
    'audit:view',
    'system:config',
    'break-glass:review',
    'patient:register',
    'portal:invite',
    'patient:read',
    'medication:view',
    'order:view',
    'results:view',
    'imaging:view',
    'document:read',
  ],
  // A patient's permissions only ever apply to its own compartment (see patient-access.ts).
  patient: ['patient:read', 'medication:view', 'results:view', 'document:read', 'smart:launch'],
};

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export const STAFF_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'patient');
