import { Router } from 'express';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { badRequest, conflict, forbidden, notFound } from '../../core/errors';
import { mount } from '../../core/http/route';
import type { Principal } from '../../core/auth/principal';
import {
  hasPermission,
  NewSmartClientBody,
  PatchSmartClientBody,
  SmartAppList,
  SmartClient,
  SmartClientList,
  SmartClientParams,
  SmartLaunch,
  SmartLaunchBody,
} from '@wintehr/contracts';
import { clientsRepository, clientView, type AuthMethod, type ClientType } from './clients.repository';
import { newOpaque, sha256 } from './hash';
import { launchContexts } from './grants.repository';
import { checkRequestedScopes, parseScopeString } from './scope-policy';
import { smartUrls } from './discovery';
import { requirePatientAccess } from '../../core/http/phi-guard';

/** Client administration needs system:config or user:manage (route contracts take one permission). */
function requireAdmin(p: Principal) {
  if (!hasPermission(p.role, 'system:config') && !hasPermission(p.role, 'user:manage'))
    throw forbidden('Requires permission system:config or user:manage');
}

/** Scope syntax and the per-type rules a registration must satisfy (backend: system/ only; apps: no system/). */
function checkScopesFor(type: ClientType, scopes: string[]) {
  const parsed = parseScopeString(scopes.join(' '));
  if (!parsed.ok)
    throw badRequest('Invalid scope', [{ field: 'body.allowedScopes', message: `malformed scope: ${parsed.bad}` }]);
  if (type === 'backend') {
    const c = checkRequestedScopes(parsed.scopes, scopes, 'client_credentials');
    if (!c.ok) throw badRequest('Invalid scope', [{ field: 'body.allowedScopes', message: c.description }]);
  } else if (parsed.scopes.some((s) => s.kind === 'resource' && s.context === 'system')) {
    throw badRequest('Invalid scope', [
      { field: 'body.allowedScopes', message: 'system/ scopes are for backend clients only' },
    ]);
  }
}

/** Admin API for SMART clients, the app list for the launcher, and the EHR launch. */
export function smartClientsRouter(deps: AppDeps): Router {
  const r = Router();
  const { pg } = deps;

  mount(
    r,
    {
      method: 'post',
      path: '/api/smart/clients',
      summary: 'Register a SMART client (public, confidential or backend)',
      tags: ['smart'],
      auth: 'authenticated',
      body: NewSmartClientBody,
      response: SmartClient,
      successStatus: 201,
    },
    async ({ req, res, body, principal }): Promise<SmartClient> => {
      requireAdmin(principal);
      checkScopesFor(body.type, body.allowedScopes);
      let authMethod: AuthMethod = 'none';
      if (body.type === 'backend') authMethod = 'private_key_jwt';
      if (body.type === 'confidential') authMethod = body.tokenEndpointAuthMethod ?? 'client_secret_basic';
      if (authMethod === 'private_key_jwt' && !body.jwks && !body.jwksUri)
        throw badRequest('A private_key_jwt client needs jwks or jwksUri', [
          { field: 'body.jwks', message: 'required' },
        ]);
      if (body.type !== 'backend' && body.redirectUris.length === 0)
        throw badRequest('At least one redirect URI is required', [
          { field: 'body.redirectUris', message: 'required' },
        ]);
      const secret = authMethod === 'client_secret_basic' ? newOpaque() : undefined;
      const created = await clientsRepository.insert(pg, {
        clientId: body.clientId ?? `app-${newOpaque().slice(0, 16)}`,
        name: body.name,
        clientType: body.type,
        authMethod,
        secretHash: secret ? sha256(secret) : undefined,
        jwks: body.jwks as never,
        jwksUri: body.jwksUri,
        redirectUris: body.type === 'backend' ? [] : body.redirectUris,
        allowedScopes: body.allowedScopes,
        launchUrl: body.launchUrl,
        createdBy: principal.userId,
      });
      if (!created) throw conflict('client_id already registered', { clientId: body.clientId }, 'CLIENT_EXISTS');
      auditRequest(deps.audit, req, res, {
        action: 'smart.client.create',
        outcome: 'success',
        clientId: created.client_id,
        details: { type: body.type, authMethod },
      });
      return { ...clientView(created), ...(secret ? { clientSecret: secret } : {}) };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/smart/clients',
      summary: 'List SMART clients',
      tags: ['smart'],
      auth: 'authenticated',
      response: SmartClientList,
    },
    async ({ principal }): Promise<SmartClientList> => {
      requireAdmin(principal);
      return { clients: (await clientsRepository.list(pg)).map(clientView) };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/smart/clients/:clientId',
      summary: 'Read a SMART client',
      tags: ['smart'],
      auth: 'authenticated',
      params: SmartClientParams,
      response: SmartClient,
    },
    async ({ params, principal }): Promise<SmartClient> => {
      requireAdmin(principal);
      const c = await clientsRepository.byId(pg, params.clientId);
      if (!c) throw notFound('SmartClient', params.clientId);
      return clientView(c);
    },
  );

  mount(
    r,
    {
      method: 'patch',
      path: '/api/smart/clients/:clientId',
      summary: 'Update a SMART client (or rotate its secret)',
      tags: ['smart'],
      auth: 'authenticated',
      params: SmartClientParams,
      body: PatchSmartClientBody,
      response: SmartClient,
    },
    async ({ req, res, params, body, principal }): Promise<SmartClient> => {
      requireAdmin(principal);
      const c = await clientsRepository.byId(pg, params.clientId);
      if (!c) throw notFound('SmartClient', params.clientId);
      if (body.allowedScopes) checkScopesFor(c.client_type, body.allowedScopes);
      if (body.rotateSecret && c.auth_method !== 'client_secret_basic')
        throw badRequest('Only client_secret_basic clients have a secret');
      const jwksAfter = body.jwks !== undefined ? body.jwks : c.jwks;
      const jwksUriAfter = body.jwksUri !== undefined ? body.jwksUri : c.jwks_uri;
      if (c.auth_method === 'private_key_jwt' && !jwksAfter && !jwksUriAfter)
        throw badRequest('A private_key_jwt client needs jwks or jwksUri', [
          { field: 'body.jwks', message: 'required' },
        ]);
      if (c.client_type !== 'backend' && body.redirectUris?.length === 0)
        throw badRequest('At least one redirect URI is required', [
          { field: 'body.redirectUris', message: 'required' },
        ]);
      const secret = body.rotateSecret ? newOpaque() : undefined;
      const updated = await clientsRepository.update(pg, params.clientId, {
        name: body.name,
        redirectUris: body.redirectUris,
        allowedScopes: body.allowedScopes,
        launchUrl: body.launchUrl,
        jwks: body.jwks as never,
        jwksUri: body.jwksUri,
        disabled: body.disabled,
        ...(secret ? { secretHash: sha256(secret) } : {}),
      });
      auditRequest(deps.audit, req, res, {
        action: 'smart.client.update',
        outcome: 'success',
        clientId: c.client_id,
        details: { fields: Object.keys(body) },
      });
      return { ...clientView(updated!), ...(secret ? { clientSecret: secret } : {}) };
    },
  );

  mount(
    r,
    {
      method: 'delete',
      path: '/api/smart/clients/:clientId',
      summary: 'Delete a SMART client',
      tags: ['smart'],
      auth: 'authenticated',
      params: SmartClientParams,
    },
    async ({ req, res, params, principal }) => {
      requireAdmin(principal);
      if (!(await clientsRepository.remove(pg, params.clientId))) throw notFound('SmartClient', params.clientId);
      auditRequest(deps.audit, req, res, {
        action: 'smart.client.delete',
        outcome: 'success',
        clientId: params.clientId,
      });
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/smart/apps',
      summary: 'SMART apps the web app can launch',
      tags: ['smart'],
      auth: 'smart:launch',
      response: SmartAppList,
    },
    async (): Promise<SmartAppList> => ({
      apps: (await clientsRepository.list(pg, { launchable: true })).map((c) => ({
        clientId: c.client_id,
        name: c.name,
        launchUrl: c.launch_url,
      })),
    }),
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/smart/launch',
      summary: 'EHR launch: a single-use launch value bound to this user, patient and encounter',
      tags: ['smart'],
      auth: 'smart:launch',
      body: SmartLaunchBody,
      response: SmartLaunch,
    },
    async ({ req, res, body, principal }): Promise<SmartLaunch> => {
      const client = await clientsRepository.byId(pg, body.clientId);
      if (!client || client.disabled || !client.launch_url) throw notFound('SmartApp', body.clientId);
      const phi = await requirePatientAccess(deps, { req, res, principal }, body.patientId, {
        action: 'smart.launch',
        resourceType: 'Patient',
        resourceId: body.patientId,
      });
      phi.note({ clientId: client.client_id, encounter: !!body.encounterId });
      const launch = await launchContexts.create(pg, {
        clientId: client.client_id,
        userId: principal.userId,
        patientId: body.patientId,
        encounterId: body.encounterId,
      });
      const url = new URL(client.launch_url);
      url.searchParams.set('iss', smartUrls(deps.config.publicBaseUrl).fhirBase);
      url.searchParams.set('launch', launch);
      res.setHeader('Cache-Control', 'no-store');
      return { launchUrl: url.toString(), expiresIn: 300 };
    },
  );
  return r;
}
