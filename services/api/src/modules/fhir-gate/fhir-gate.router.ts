/**
 * /fhir: the only way to HAPI from outside. Mounted in app.ts before the JSON body parser (the gate reads and
 * limits bodies itself) and before the app-wide CORS policy (SMART apps on any origin call it with Bearer tokens,
 * no cookies). Public: /fhir/metadata (HAPI's statement rewritten to the façade, with the SMART security block);
 * /fhir/.well-known/smart-configuration is left to the SMART module (next()). Everything else needs a SMART access
 * token, is checked by Gate, answered in JSON with HAPI's URLs rewritten to the façade, and audited.
 */
import type { ReleaseProvider } from './resource-check';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { SmartContext } from '../../core/auth/smart-token';
import type { AppDeps } from '../../core/deps';
import { AppError } from '../../core/errors';
import { toOperationOutcome } from '../../core/http/error-body';
import { GateAuthenticator } from './gate-auth';
import { gateTokenOf, type GateToken, type GateTokenResult } from './gate-token';
import { Gate, type GateResult } from './gate';
import { facadeCapabilityStatement } from './metadata';
import { derivePageKey } from './page-links';
import { parseGateRequest, type Params } from './request-parse';
import { hapiBaseVariants, rewriteUrls } from './urls';
import type { GateWriteHook } from './write-hooks';

const JSON_TYPES = /^application\/(fhir\+json|json|json\+fhir)(;|$)/i;
const JSON_PATCH_TYPE = /^application\/json-patch\+json(;|$)/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded(;|$)/i;
const METADATA_TTL_MS = 60_000;

function parseLimit(limit: string): number {
  const m = /^(\d+)(kb|mb)$/i.exec(limit);
  if (!m) return 1024 * 1024;
  return Number(m[1]) * (m[2]!.toLowerCase() === 'mb' ? 1024 * 1024 : 1024);
}

function readBody(req: Request, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > limit) return reject(new AppError(413, 'PAYLOAD_TOO_LARGE', 'Request body too large'));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new AppError(413, 'PAYLOAD_TOO_LARGE', 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function queryPairs(originalUrl: string): Params {
  const qi = originalUrl.indexOf('?');
  return qi < 0 ? [] : ([...new URLSearchParams(originalUrl.slice(qi + 1)).entries()] as Params);
}

function setCors(req: Request, res: Response): void {
  const origin = req.get('origin');
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  res.setHeader('Vary', 'Origin');
  // helmet's same-origin resource policy would stop browsers of SMART apps on other origins.
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.setHeader(
    'Access-Control-Expose-Headers',
    'Location, Content-Location, ETag, Last-Modified, Warning, X-Request-ID, WWW-Authenticate',
  );
}

export function fhirGate(
  deps: AppDeps,
  opts: { writeHooks?: readonly GateWriteHook[]; releaseOf?: ReleaseProvider } = {},
): RequestHandler {
  const r = Router();
  const base = deps.config.publicBaseUrl;
  const facadeBase = `${base}/fhir`;
  const hapiBases = hapiBaseVariants(deps.config.hapi.baseUrl);
  const pageKey = derivePageKey(deps.mfaKey);
  const auth = new GateAuthenticator(deps.tokens, deps.pg, base);
  const limit = parseLimit(deps.config.bodyLimit);
  let metadata: { body: fhir4.CapabilityStatement; until: number } | undefined;
  /** What a token allows never changes during its life: parse its scopes once (auth re-checks expiry and revocation). */
  const tokenCache = new Map<string, GateTokenResult>();

  // res.end, not res.send: no body hashing for a weak ETag and no conditional-GET logic on bodies HAPI produced.
  const send = (res: Response, status: number, body: unknown, headers: Record<string, string> = {}) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, rewriteUrls(v, hapiBases, facadeBase));
    res.statusCode = status;
    if (body === undefined) {
      res.end();
      return;
    }
    const buf = Buffer.from(rewriteUrls(JSON.stringify(body), hapiBases, facadeBase), 'utf8');
    res.setHeader('Content-Type', 'application/fhir+json; charset=utf-8');
    res.setHeader('Content-Length', buf.length);
    res.end(buf);
  };

  const fail = (res: Response, err: unknown) => {
    const e = err instanceof AppError ? err : new AppError(500, 'INTERNAL_ERROR', 'An unexpected error occurred');
    if (!(err instanceof AppError)) deps.logger.error({ err, requestId: res.locals.requestId }, 'fhir gate error');
    for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    send(res, e.status, toOperationOutcome(e, res.locals.requestId ?? 'unknown'));
    return e;
  };

  const audit = (
    req: Request,
    res: Response,
    ctx: SmartContext | undefined,
    mode: string | undefined,
    a: Partial<GateResult['audit']> & { action: string },
    outcome: 'success' | 'denied' | 'failure',
    status: number,
  ) => {
    deps.audit.record({
      action: a.action,
      outcome,
      ...(ctx?.userId ? { userId: ctx.userId } : {}),
      ...(ctx?.username ? { username: ctx.username } : {}),
      ...(ctx?.role ? { role: ctx.role } : {}),
      ...(ctx ? { clientId: ctx.clientId } : {}),
      ...(a.resourceType ? { resourceType: a.resourceType } : {}),
      ...(a.resourceId ? { resourceId: a.resourceId } : {}),
      ...(a.patientId ? { patientId: a.patientId } : {}),
      clientIp: req.ip,
      userAgent: req.get('user-agent')?.slice(0, 256),
      requestId: res.locals.requestId,
      details: { method: req.method, status, ...(mode ? { scopeContext: mode } : {}), ...a.details },
    });
  };

  r.use((req, res, next) => {
    setCors(req, res);
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
      res.setHeader(
        'Access-Control-Allow-Headers',
        'Authorization, Content-Type, Accept, If-Match, Prefer, X-Request-ID',
      );
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  });

  r.use(async (req, res, next) => {
    const params = queryPairs(req.originalUrl);
    const gr = parseGateRequest(req.method, req.path, params);
    if (gr.kind === 'smart-configuration') return next();
    if (gr.kind === 'metadata') {
      try {
        if (!metadata || metadata.until < Date.now()) {
          metadata = {
            body: facadeCapabilityStatement(await deps.fhir.capabilities(), base),
            until: Date.now() + METADATA_TTL_MS,
          };
        }
        send(res, 200, metadata.body, { 'Cache-Control': 'public, max-age=60' });
      } catch (err) {
        fail(res, err);
      }
      return;
    }

    let ctx: SmartContext | undefined;
    let token: GateToken | undefined;
    const auditBase = {
      action: `fhir.${gr.kind === 'unsupported' ? 'request' : gr.kind}`,
      ...('type' in gr && gr.type ? { resourceType: gr.type } : {}),
      ...('id' in gr && gr.id ? { resourceId: gr.id } : {}),
      details: { params: [...new Set(params.map(([k]) => k))] },
    };
    try {
      ctx = await auth.authenticate(req.get('authorization'));
      let t = tokenCache.get(ctx.tokenId);
      if (!t) {
        t = gateTokenOf(ctx);
        if (tokenCache.size >= 10_000) tokenCache.clear();
        tokenCache.set(ctx.tokenId, t);
      }
      if (!t.ok) throw new AppError(403, 'TOKEN_NOT_USABLE', t.reason, { reason: t.reason });
      token = t.token;
      // Staff users with a patient/ token: the care relationship still applies (fail closed).
      if (token.mode === 'patient' && token.principal && token.principal.role !== 'patient') {
        const d = await deps.access.check(token.principal, token.patientId!);
        if (!d.allowed)
          throw new AppError(403, 'PATIENT_ACCESS_DENIED', `no access to the patient in context: ${d.reason}`, {
            reason: d.reason,
          });
      }

      let body: unknown;
      if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
        const type = req.get('content-type') ?? '';
        const text = await readBody(req, limit);
        if (gr.kind === 'search' && gr.viaPost) {
          if (!FORM_TYPE.test(type))
            throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '_search needs application/x-www-form-urlencoded');
          gr.params.push(...([...new URLSearchParams(text).entries()] as Params));
        } else if (gr.kind === 'patch') {
          if (!JSON_PATCH_TYPE.test(type))
            throw new AppError(
              415,
              'UNSUPPORTED_MEDIA_TYPE',
              'PATCH needs application/json-patch+json (FHIRPath Patch is not supported)',
            );
          try {
            body = JSON.parse(text);
          } catch {
            throw new AppError(400, 'VALIDATION_ERROR', 'Malformed JSON body');
          }
        } else {
          if (!JSON_TYPES.test(type))
            throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'only application/fhir+json bodies are accepted');
          try {
            body = JSON.parse(text);
          } catch {
            throw new AppError(400, 'VALIDATION_ERROR', 'Malformed JSON body');
          }
        }
      }

      const gate = new Gate(
        {
          deps,
          pageKey,
          hapiBases,
          facadeBase,
          requestId: res.locals.requestId,
          writeHooks: opts.writeHooks ?? [],
          releaseOf: opts.releaseOf,
        },
        token,
      );
      const result = await gate.handle(gr, body, {
        'if-match': req.get('if-match'),
        'if-none-exist': req.get('if-none-exist'),
        prefer: req.get('prefer'),
      });
      audit(req, res, ctx, token.mode, result.audit, result.status < 400 ? 'success' : 'failure', result.status);
      send(res, result.status, result.body, result.headers);
    } catch (err) {
      const e = fail(res, err);
      audit(
        req,
        res,
        ctx,
        token?.mode,
        {
          ...auditBase,
          ...(token?.patientId ? { patientId: token.patientId } : {}),
          details: { ...auditBase.details, code: e.code, ...(e.status < 500 ? { reason: e.message } : {}) },
        },
        e.status === 401 || e.status === 403 || e.status === 404 ? 'denied' : 'failure',
        e.status,
      );
    }
  });
  return r;
}
