/**
 * CDS Hooks 2.0 endpoints at /cds-services: discovery, service calls and feedback. Mounted in app.ts BEFORE the
 * global CORS allowlist and the user-token authentication: CDS clients are other systems (any origin, per the
 * spec) and authenticate with their own signed JWTs (cds-client-auth.ts), not with WintEHR user tokens.
 */
import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { requestAuditFields } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { badRequest, notFound } from '../../core/errors';
import { zodDetails } from '../../core/http/route';
import { sharedDrugKnowledgeBase } from '../drug-safety/shared-kb';
import { cardStore } from './card-store';
import { issueCards } from './cards';
import { CdsClientVerifier, type VerifiedCdsClient } from './cds-client-auth';
import { feedbackUrl, serviceUrl, trustedCdsClients } from './cds-clients';
import type { CdsService } from './cds-types';
import { FeedbackRequest } from './feedback';
import { answerHook } from './hook-answer';
import { parseHookRequest } from './hook-request';
import { RedisJtiStore } from './jti-store';
import { gatherPrefetch } from './prefetch';
import { cdsServices } from './services/registry';

type Handler = (req: Request, res: Response) => Promise<void>;
/** Async handler → express; with `passOn`, a successful run continues to the next handler of the route. */
const wrap =
  (h: Handler, passOn = false) =>
  (req: Request, res: Response, next: NextFunction) => {
    h(req, res).then(() => {
      if (passOn) next();
    }, next);
  };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- services differ in their prefetch types
export function cdsServicesRouter(deps: AppDeps, opts: { services?: CdsService<any>[] } = {}): Router {
  const router = Router();
  const services = opts.services ?? cdsServices(sharedDrugKnowledgeBase());
  const byId = new Map(services.map((s) => [s.definition.id, s]));
  const verifier = new CdsClientVerifier(trustedCdsClients(deps), new RedisJtiStore(deps.redis));
  const publicBase = deps.config.publicBaseUrl;

  // Private Network Access: a client served from a public origin (the hosted cds-hooks sandbox) calling a service on
  // localhost or the LAN gets a preflight asking for this first; without the answer Chrome blocks the call.
  router.use('/cds-services', (req, res, next) => {
    if (req.method === 'OPTIONS' && req.get('access-control-request-private-network') === 'true')
      res.setHeader('Access-Control-Allow-Private-Network', 'true');
    next();
  });
  // Any origin may call, without credentials (cookies); preflight is answered here, before any JWT check. The
  // request headers a preflight names are allowed as asked (clients add their own, e.g. X-Requested-With): no
  // cookie is honoured here, so an extra header cannot carry ambient authority.
  router.use(
    '/cds-services',
    cors({
      origin: '*',
      methods: ['GET', 'POST', 'OPTIONS'],
      exposedHeaders: ['Retry-After', 'X-Request-ID'],
      maxAge: 600,
    }),
  );
  // Bodies are parsed only after the client JWT is verified (see withClient), so anonymous callers cannot make us parse.
  const json = express.json({ limit: deps.config.bodyLimit, type: ['application/json', 'application/*+json'] });

  /**
   * Verifies the client JWT, then parses the body. `aud` must be the URL of the endpoint invoked (CDS Hooks 2.0:
   * the service URL for a hook call, `{service}/feedback` for feedback), as seen from outside: PUBLIC_BASE_URL.
   */
  const withClient = (
    audience: (id: string) => string,
    h: (req: Request, res: Response, client: VerifiedCdsClient) => Promise<void>,
  ) => [
    wrap(async (req, res) => {
      res.locals.cdsClient = await verifier.verify(req.get('authorization'), [audience(String(req.params.id))]);
    }, true),
    json,
    wrap((req, res) => h(req, res, res.locals.cdsClient as VerifiedCdsClient)),
  ];
  const serviceOf = (id: string) => {
    const s = byId.get(id);
    if (!s) throw notFound('CdsService', id);
    return s;
  };

  // Discovery is public metadata (no PHI), so any client can learn what to prefetch before it has a key.
  router.get('/cds-services', (_req, res) => {
    res.json({ services: services.map((s) => s.definition) });
  });

  router.post(
    '/cds-services/:id',
    ...withClient(
      (id) => serviceUrl(publicBase, id),
      async (req, res, client) => {
        const id = String(req.params.id);
        const service = serviceOf(id);
        const parsed = parseHookRequest(
          req.body,
          service.definition.hook,
          service.context,
          Object.keys(service.definition.prefetch),
        );
        const { request } = parsed;
        const data = await gatherPrefetch(service.definition.prefetch, request, {
          timeoutMs: deps.config.cds.fhirTimeoutMs,
          allowedFhirServers: deps.config.cds.fhirServers,
        });
        const { cards, issued } = issueCards(answerHook(service, parsed, data, new Date()), randomUUID);
        const patientId = service.patientOf(request.context);
        await cardStore.recordIssued(deps.pg, {
          serviceId: id,
          hook: service.definition.hook,
          hookInstance: request.hookInstance,
          ...(patientId ? { patientId } : {}),
          clientIss: client.iss,
          cards: issued,
        });
        deps.audit.record({
          ...requestAuditFields(req, res),
          ...webUser(client),
          action: 'cds.hook',
          outcome: 'success',
          clientId: client.iss,
          ...(patientId ? { patientId, resourceType: 'Patient', resourceId: patientId } : {}),
          details: {
            hook: service.definition.hook,
            serviceId: id,
            hookInstance: request.hookInstance,
            cards: cards.length,
            rules: [...new Set(issued.map((c) => c.ruleId))],
            prefetchFailed: [...data.failed.keys()],
          },
        });
        res.json({ cards });
      },
    ),
  );

  router.post(
    '/cds-services/:id/feedback',
    ...withClient(
      (id) => feedbackUrl(publicBase, id),
      async (req, res, client) => {
        const id = String(req.params.id);
        serviceOf(id);
        const parsed = FeedbackRequest.safeParse(req.body);
        if (!parsed.success) throw badRequest('Invalid CDS Hooks feedback', zodDetails(parsed.error, 'body'));
        const items = parsed.data.feedback;
        const known = await cardStore.findIssued(deps.pg, id, [...new Set(items.map((f) => f.card))]);
        const problems = items.flatMap((f, i) => {
          const card = known.get(f.card);
          // A client may only give feedback on cards it was given.
          if (!card || card.clientIss !== client.iss)
            return [
              {
                field: `body.feedback.${i}.card`,
                message: 'no card with this uuid was issued by this service to this client',
              },
            ];
          const bad = (f.acceptedSuggestions ?? []).filter((s) => !card.suggestionUuids.includes(s.id));
          return bad.length
            ? [
                {
                  field: `body.feedback.${i}.acceptedSuggestions`,
                  message: `not a suggestion of this card: ${bad.map((s) => s.id).join(', ')}`,
                },
              ]
            : [];
        });
        if (problems.length) throw badRequest('Feedback refers to unknown cards or suggestions', problems);
        const stored = await cardStore.recordFeedback(deps.pg, id, client.iss, items);
        // One audit record per patient concerned; reasons as codes only (the free-text comment stays in the table).
        const byPatient = new Map<string | null, typeof items>();
        for (const f of items) {
          const p = known.get(f.card)!.patientId;
          byPatient.set(p, [...(byPatient.get(p) ?? []), f]);
        }
        for (const [patientId, list] of byPatient) {
          deps.audit.record({
            ...requestAuditFields(req, res),
            ...webUser(client),
            action: 'cds.feedback',
            outcome: 'success',
            clientId: client.iss,
            ...(patientId ? { patientId } : {}),
            details: {
              serviceId: id,
              items: list.map((f) => ({
                card: f.card,
                rule: known.get(f.card)!.ruleId,
                outcome: f.outcome,
                ...(f.overrideReason?.reason ? { reason: f.overrideReason.reason.code } : {}),
              })),
            },
          });
        }
        res.json({ received: items.length, stored });
      },
    ),
  );

  return router;
}

/** The WintEHR user behind a web-client token (claim set by POST /api/cds/client-token), for the audit record. */
function webUser(client: VerifiedCdsClient): { userId?: string } {
  const u = client.claims.wintehr_user;
  return typeof u === 'string' ? { userId: u } : {};
}
