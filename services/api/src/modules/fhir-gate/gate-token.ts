/**
 * What the gate needs from a verified SMART access token: its one scope context (tokens that mix patient/,
 * user/ and system/ scopes are refused), the patient in context for patient/ tokens, and for user tokens a
 * Principal so the business API's role permissions and patient relationships apply. Pure.
 */
import type { Principal } from '../../core/auth/principal';
import type { SmartContext } from '../../core/auth/smart-token';
import {
  parseScopes,
  scopeErrorMessage,
  singleContext,
  type ParsedScopes,
  type ScopeContext,
} from '../../core/auth/smart-scopes';
import { patientIdOfReference } from './compartment';
import { FHIR_ID_RE } from '../../core/fhir/fhir-kit';

export interface GateToken {
  ctx: SmartContext;
  scopes: ParsedScopes;
  mode: ScopeContext;
  /** The patient in context (always set for mode 'patient'). */
  patientId?: string;
  /** The user behind a 'user' kind token (patient/ tokens of staff users also carry it). */
  principal?: Principal;
}

export type GateTokenResult = { ok: true; token: GateToken } | { ok: false; reason: string };

export function principalOfSmart(ctx: SmartContext): Principal | undefined {
  if (ctx.kind !== 'user' || !ctx.userId || !ctx.role) return undefined;
  const practitionerId = ctx.fhirUser?.startsWith('Practitioner/')
    ? ctx.fhirUser.slice('Practitioner/'.length)
    : undefined;
  const ownPatient = ctx.role === 'patient' ? patientIdOfReference(ctx.fhirUser) : undefined;
  return {
    userId: ctx.userId,
    username: ctx.username ?? ctx.userId,
    role: ctx.role,
    ...(ctx.fhirUser ? { fhirUser: ctx.fhirUser } : {}),
    ...(ownPatient ? { patientId: ownPatient } : {}),
    ...(practitionerId ? { practitionerId } : {}),
    tokenId: ctx.tokenId,
    tokenExpiresAt: ctx.expiresAt,
    clientId: ctx.clientId,
  };
}

export function gateTokenOf(ctx: SmartContext): GateTokenResult {
  const scopes = parseScopes(ctx.scopes);
  const bad = scopeErrorMessage(scopes);
  if (bad) return { ok: false, reason: `token carries ${bad}` };
  const mode = singleContext(scopes);
  if (mode === 'none') return { ok: false, reason: 'token carries no FHIR resource scopes' };
  if (mode === 'mixed') return { ok: false, reason: 'token mixes patient/, user/ and system/ scopes' };
  if (mode === 'system' && ctx.kind !== 'system')
    return { ok: false, reason: 'system/ scopes need a Backend Services token' };
  if (mode !== 'system' && ctx.kind !== 'user') return { ok: false, reason: `${mode}/ scopes need a user token` };
  const principal = principalOfSmart(ctx);
  if (mode !== 'system' && !principal) return { ok: false, reason: 'user token without a user and role' };
  if (mode === 'patient') {
    if (!ctx.patientId || !FHIR_ID_RE.test(ctx.patientId))
      return { ok: false, reason: 'patient/ scopes need a patient in context' };
    // A patient user may only ever be in its own record, whatever the launch said.
    if (principal?.role === 'patient' && principal.patientId !== ctx.patientId)
      return { ok: false, reason: 'patient in context is not the signed-in patient' };
  }
  return {
    ok: true,
    token: {
      ctx,
      scopes,
      mode,
      ...(mode === 'patient' ? { patientId: ctx.patientId } : {}),
      ...(principal ? { principal } : {}),
    },
  };
}
