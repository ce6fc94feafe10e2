import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { Principal } from '../../core/auth/principal';
import type { TokenService } from '../../core/auth/token-service';
import { AppError } from '../../core/errors';
import type { DeaSchedule } from '../drug-safety/types';
import { assertRecentMfa } from '../auth/auth.service';
import type { PrescriptionContent } from './ncpdp';

/**
 * EPCS (DEA 21 CFR 1311) for controlled substances (schedule II–V):
 *  1. the prescriber has a DEA registration number on file (users.dea_number) → else 403 DEA_NUMBER_MISSING;
 *  2. logical access control: EPCS granted by two different, active admins (epcs_approvals) → else 403 EPCS_NOT_GRANTED;
 *  3. two-factor authentication at signing: a step-up (TOTP) within auth.stepUpMaxAge → else 401 STEP_UP_REQUIRED;
 *  4. the prescription content is digitally signed and the signature kept with the message; 'epcs.sign' is audited.
 *
 * Signature choice: a compact JWS made with the service's own signing key (deps.tokens.signRaw), whose claims bind
 * the signer (user id, DEA number), the MessageID and a SHA-256 digest of the canonical prescription content. It
 * proves the content the EHR sent is what the authenticated, step-up-verified prescriber approved and has not been
 * altered since. Limits: the key is the service's, not a per-prescriber key on a FIPS 140-2 token or an
 * identity-proofed certificate as 21 CFR 1311.120 expects of a certified EPCS application; it attests "WintEHR
 * verified this prescriber's two factors", not the prescriber's personal non-repudiable signature.
 */
export interface EpcsSignature {
  jws: string;
  digest: string;
}

export async function assertEpcsAllowed(
  pg: Pool,
  principal: Principal,
  stepUpMaxAge: number,
): Promise<{ deaNumber: string }> {
  const u = await pg.query<{ dea: string | null; approvals: string }>(
    `SELECT u.dea_number AS dea,
       (SELECT count(DISTINCT a.approved_by) FROM epcs_approvals a JOIN users admin ON admin.id = a.approved_by
         WHERE a.user_id = u.id AND a.approved_by <> u.id AND admin.role = 'admin' AND NOT admin.disabled)::text AS approvals
     FROM users u WHERE u.id = $1`,
    [principal.userId],
  );
  const row = u.rows[0];
  if (!row?.dea?.trim())
    throw new AppError(
      403,
      'DEA_NUMBER_MISSING',
      'A DEA registration number is required to prescribe a controlled substance',
    );
  if (Number(row.approvals) < 2) {
    throw new AppError(
      403,
      'EPCS_NOT_GRANTED',
      'EPCS must be granted by two different administrators before controlled substances can be signed',
      { approvals: Number(row.approvals), required: 2 },
    );
  }
  assertRecentMfa(principal, stepUpMaxAge);
  return { deaNumber: row.dea.trim().toUpperCase() };
}

/** Canonical JSON (sorted keys) so the digest does not depend on property order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function contentDigest(content: PrescriptionContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('base64url');
}

export const EPCS_AUDIENCE = 'urn:wintehr:epcs';
/** Long enough to outlive the prescription's validity (schedule II: no expiry federally; III–V: 6 months). */
const SIGNATURE_TTL_SECONDS = 2 * 365 * 86_400;

export async function signPrescription(
  tokens: TokenService,
  principal: Principal,
  o: {
    messageId: string;
    content: PrescriptionContent;
    deaNumber: string;
    schedule: DeaSchedule;
    medicationRequestId: string;
  },
): Promise<EpcsSignature> {
  const digest = contentDigest(o.content);
  const { token } = await tokens.signRaw(
    {
      sub: principal.userId,
      purpose: 'epcs',
      msg: o.messageId,
      mr: o.medicationRequestId,
      dea: o.deaNumber,
      schedule: o.schedule,
      sha256: digest,
      mfa_at: principal.mfaAt,
    },
    SIGNATURE_TTL_SECONDS,
    EPCS_AUDIENCE,
  );
  return { jws: token, digest };
}
