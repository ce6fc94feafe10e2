import type { Request } from 'express';
import { decodeJwt } from 'jose';
import type { Pool } from 'pg';
import { ASSERTION_TYPE, verifyClientAssertion } from './client-assertion';
import { clientsRepository, type SmartClientRow } from './clients.repository';
import { rememberAssertionJti } from './grants.repository';
import { sameHash } from './hash';
import { OAuthError } from './oauth-errors';

export interface AuthenticatedClient {
  client: SmartClientRow;
  method: 'none' | 'client_secret_basic' | 'private_key_jwt';
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Whether the request tried HTTP Basic client authentication (for the WWW-Authenticate challenge on failure). */
export const usedBasic = (req: Request) => /^Basic /i.test(req.get('authorization') ?? '');

/** The client a request claims to be (for the audit of a failed authentication): client_id, Basic user or assertion issuer. */
export function claimedClientId(req: Request): string | undefined {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const basic = parseBasic(req.get('authorization') ?? '');
  let iss: string | undefined;
  try {
    iss = typeof body.client_assertion === 'string' ? str(decodeJwt(body.client_assertion).iss) : undefined;
  } catch {
    /* not a JWT */
  }
  return (str(body.client_id) ?? basic?.id ?? iss)?.slice(0, 128);
}

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
function parseBasic(header: string): { id: string; secret: string } | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, i).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(i + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return undefined;
  }
}

/**
 * Authenticates the client of a token, introspection or revocation request: HTTP Basic (confidential
 * symmetric), a private_key_jwt assertion (asymmetric and Backend Services) or, for public clients, the
 * client_id alone. A confidential client that presents no credentials is refused.
 */
export async function authenticateClient(
  pg: Pool,
  req: Request,
  tokenUrl: string,
  opts: {
    allowPublic: boolean;
    /** A refresh token's own client: public clients may refresh without client_id (RFC 6749 §6; fhirclient does). */ implicitClientId?: string;
  },
): Promise<AuthenticatedClient> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const header = req.get('authorization');
  const assertionType = str(body.client_assertion_type);
  const bodyClientId = str(body.client_id);

  if (header && /^Basic /i.test(header)) {
    const cred = parseBasic(header);
    if (!cred) throw new OAuthError('invalid_client', 'malformed Basic credentials');
    if (bodyClientId && bodyClientId !== cred.id)
      throw new OAuthError('invalid_client', 'client_id does not match the Basic credentials');
    const client = await clientsRepository.byId(pg, cred.id);
    if (
      !client ||
      client.disabled ||
      client.auth_method !== 'client_secret_basic' ||
      !client.secret_hash ||
      !sameHash(cred.secret, client.secret_hash)
    ) {
      throw new OAuthError('invalid_client', 'client authentication failed');
    }
    return { client, method: 'client_secret_basic' };
  }

  if (assertionType !== undefined || body.client_assertion !== undefined) {
    if (assertionType !== ASSERTION_TYPE)
      throw new OAuthError('invalid_client', `client_assertion_type must be ${ASSERTION_TYPE}`);
    const assertion = str(body.client_assertion);
    if (!assertion) throw new OAuthError('invalid_client', 'client_assertion is required');
    let iss: string | undefined;
    try {
      iss = str(decodeJwt(assertion).iss);
    } catch {
      throw new OAuthError('invalid_client', 'client assertion is not a JWT');
    }
    const clientId = bodyClientId ?? iss;
    if (!clientId) throw new OAuthError('invalid_client', 'client assertion has no issuer');
    const client = await clientsRepository.byId(pg, clientId);
    if (!client || client.disabled || client.auth_method !== 'private_key_jwt')
      throw new OAuthError('invalid_client', 'unknown client or client not registered for private_key_jwt');
    const { jti, exp } = await verifyClientAssertion(
      assertion,
      { clientId: client.client_id, jwks: client.jwks, jwksUri: client.jwks_uri },
      tokenUrl,
    );
    if (!(await rememberAssertionJti(pg, client.client_id, jti, exp)))
      throw new OAuthError('invalid_client', 'client assertion jti was already used (replay)');
    return { client, method: 'private_key_jwt' };
  }

  const publicId = bodyClientId ?? opts.implicitClientId;
  if (publicId) {
    const client = await clientsRepository.byId(pg, publicId);
    if (!client || client.disabled) throw new OAuthError('invalid_client', 'unknown client');
    if (client.auth_method !== 'none') throw new OAuthError('invalid_client', 'this client must authenticate');
    if (!opts.allowPublic) throw new OAuthError('invalid_client', 'public clients cannot use this endpoint');
    return { client, method: 'none' };
  }
  throw new OAuthError('invalid_client', 'client authentication is required');
}
