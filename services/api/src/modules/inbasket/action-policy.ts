import {
  hasPermission,
  type InbasketActionName,
  type InbasketKind,
  type InbasketPool,
  type Permission,
  type Role,
} from '@wintehr/contracts';
import { POOL_SYSTEM } from './kinds';

/**
 * Which answers each kind of item takes, and the permission each answer needs (the same one the owning
 * workflow's own endpoint demands, so the in-basket is never a way around it). Pure.
 */
export const ACTIONS_BY_KIND: Readonly<Record<InbasketKind, Partial<Record<InbasketActionName, Permission>>>> = {
  'erx-renewal': { approve: 'medication:prescribe', deny: 'medication:prescribe' },
  'erx-change': { approve: 'medication:prescribe', deny: 'medication:prescribe' },
  'pharmacy-return': {
    acknowledge: 'medication:prescribe',
    discontinue: 'medication:discontinue',
    resend: 'medication:prescribe',
  },
  'critical-result': { acknowledge: 'results:acknowledge' },
  'note-cosign': { cosign: 'document:sign' },
  'patient-message': { reply: 'patient:write', complete: 'patient:write' },
  'refill-request': { approve: 'medication:prescribe', deny: 'medication:prescribe' },
};

/** The actions this role may take on an item of this kind, in display order. */
export function allowedActions(kind: InbasketKind, role: Role): InbasketActionName[] {
  return Object.entries(ACTIONS_BY_KIND[kind])
    .filter(([, permission]) => hasPermission(role, permission))
    .map(([action]) => action as InbasketActionName);
}

export type ActionCheck = { ok: true } | { ok: false; status: 400 | 403; message: string };

export function checkAction(kind: InbasketKind, action: InbasketActionName, role: Role): ActionCheck {
  const permission = ACTIONS_BY_KIND[kind][action];
  if (!permission) {
    const valid = Object.keys(ACTIONS_BY_KIND[kind]).join(', ');
    return { ok: false, status: 400, message: `A ${kind} item cannot be answered with "${action}" (use ${valid})` };
  }
  if (!hasPermission(role, permission))
    return { ok: false, status: 403, message: `Answering a ${kind} item with "${action}" requires ${permission}` };
  return { ok: true };
}

/** Shared queues a role works: nurses the nursing pool; physicians returns whose prescriber is not on staff. */
export function poolsOf(role: Role): InbasketPool[] {
  if (role === 'nurse') return ['nursing'];
  if (role === 'physician') return ['pharmacy-returns'];
  return [];
}

export function poolOfTask(t: fhir4.Task): InbasketPool | undefined {
  const code = t.performerType?.flatMap((c) => c.coding ?? []).find((c) => c.system === POOL_SYSTEM)?.code;
  return code === 'nursing' || code === 'pharmacy-returns' ? code : undefined;
}

/** Is this Task addressed to the user: owned by the user's Practitioner, or in one of the user's pools? */
export function isAddressedTo(t: fhir4.Task, who: { role: Role; practitionerId?: string }): boolean {
  if (who.practitionerId && t.owner?.reference === `Practitioner/${who.practitionerId}`) return true;
  const pool = poolOfTask(t);
  return pool !== undefined && poolsOf(who.role).includes(pool);
}
