import type { NextFunction, Request, Response, Router } from 'express';
import { z, type ZodType } from 'zod';
import type { Principal } from '../auth/principal';
import type { Permission } from '@wintehr/contracts';
import { AppError, badRequest, forbidden, unauthorized } from '../errors';
import { hasPermission } from '@wintehr/contracts';

/**
 * A route's contract as data: the schemas that validate the request are the ones the OpenAPI document is
 * generated from, and the permission it needs is declared beside them.
 */
export interface RouteContract<B extends ZodType = ZodType, Q extends ZodType = ZodType, P extends ZodType = ZodType> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tags: string[];
  /** 'public' routes need no token; 'authenticated' needs any valid token. */
  auth: Permission | 'authenticated' | 'public';
  body?: B;
  query?: Q;
  params?: P;
  response?: ZodType;
  successStatus?: number;
}

export interface HandlerContext<B, Q, P> {
  req: Request;
  res: Response;
  body: B;
  query: Q;
  params: P;
  principal: Principal;
}

type Infer<T> = T extends ZodType ? z.infer<T> : undefined;

/** Contracts by the router they were mounted on: each app gathers its own (no process-wide list that grows in tests). */
const contractsByRouter = new WeakMap<object, RouteContract[]>();

/** The contracts an app serves (createApp gathers them from its module routers). */
export function appRoutes(app: { locals: Record<string, unknown> }): RouteContract[] {
  return (app.locals.routes as RouteContract[] | undefined) ?? [];
}

/** Every contract mounted on this router and on the routers it uses, in mount order. */
export function routeContracts(router: Router): RouteContract[] {
  const out: RouteContract[] = [...(contractsByRouter.get(router) ?? [])];
  for (const layer of (router as unknown as { stack?: Array<{ handle?: unknown }> }).stack ?? []) {
    const h = layer.handle as Router | undefined;
    if (typeof h === 'function' && Array.isArray((h as unknown as { stack?: unknown }).stack))
      out.push(...routeContracts(h));
  }
  return out;
}

// Under test every answer is checked against the response schema its route declares (the one the web app's types
// and the OpenAPI document come from), so a contract that drifts from the code fails a test instead of a user.
const CHECK_RESPONSES = process.env.NODE_ENV === 'test';

function checkResponse(contract: RouteContract, result: unknown): void {
  const r = contract.response!.safeParse(result);
  if (!r.success) {
    throw new AppError(
      500,
      'RESPONSE_CONTRACT_VIOLATION',
      `${contract.method.toUpperCase()} ${contract.path} answered outside its response schema`,
      zodDetails(r.error, 'response'),
    );
  }
}

/** Field-level details for a zod failure: [{ field: 'dosage.0.route', message, code }]. */
export function zodDetails(err: z.ZodError, where: string) {
  return err.issues.map((i) => ({ field: [where, ...i.path.map(String)].join('.'), message: i.message, code: i.code }));
}

function parse<T extends ZodType>(schema: T | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(`Invalid request ${where}`, zodDetails(r.error, where));
  return r.data;
}

export function mount<B extends ZodType, Q extends ZodType, P extends ZodType>(
  router: Router,
  contract: RouteContract<B, Q, P>,
  handler: (ctx: HandlerContext<Infer<B>, Infer<Q>, Infer<P>>) => Promise<unknown> | unknown,
): void {
  let contracts = contractsByRouter.get(router);
  if (!contracts) contractsByRouter.set(router, (contracts = []));
  contracts.push(contract as RouteContract);
  router[contract.method](contract.path, async (req: Request, res: Response, next: NextFunction) => {
    try {
      const principal = res.locals.principal as Principal | undefined;
      if (contract.auth !== 'public') {
        if (!principal) throw unauthorized();
        if (contract.auth !== 'authenticated' && !hasPermission(principal.role, contract.auth)) {
          throw forbidden(`Requires permission ${contract.auth}`, { permission: contract.auth });
        }
      }
      const ctx = {
        req,
        res,
        principal: principal as Principal,
        params: parse(contract.params, req.params, 'params'),
        query: parse(contract.query, req.query, 'query'),
        body: parse(contract.body, req.body, 'body'),
      } as HandlerContext<Infer<B>, Infer<Q>, Infer<P>>;
      const result = await handler(ctx);
      if (CHECK_RESPONSES && contract.response && result !== undefined)
        checkResponse(contract as RouteContract, result);
      if (res.headersSent) return;
      if (result === undefined) res.status(contract.successStatus ?? 204).end();
      else res.status(contract.successStatus ?? 200).json(result);
    } catch (err) {
      next(err);
    }
  });
}
