import { Router } from 'express';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { mount } from '../../core/http/route';
import {
  AdminUser,
  AdminUserList,
  AssignmentBody,
  AssignmentParams,
  CreateUserBody,
  ListUsersQuery,
  UpdateUserBody,
  UserIdParams,
} from '@wintehr/contracts';
import { UsersService } from './users.service';

/** Account administration (user:manage): accounts, EPCS grants (two admins), patient assignments. */
export function usersRouter(deps: AppDeps): Router {
  const r = Router();
  const users = new UsersService(deps);
  const tags = ['users'];

  mount(
    r,
    {
      method: 'get',
      path: '/api/users',
      summary: 'List accounts',
      tags,
      auth: 'user:manage',
      query: ListUsersQuery,
      response: AdminUserList,
    },
    ({ query }) => users.list(query.limit, query.offset),
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/users/:id',
      summary: 'One account',
      tags,
      auth: 'user:manage',
      params: UserIdParams,
      response: AdminUser,
    },
    ({ params }) => users.get(params.id),
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/users',
      summary: 'Create an account (staff get a Practitioner and PractitionerRole)',
      tags,
      auth: 'user:manage',
      body: CreateUserBody,
      response: AdminUser,
      successStatus: 201,
    },
    async ({ req, res, body }) => {
      const created = await users.create(body);
      auditRequest(deps.audit, req, res, {
        action: 'user.create',
        outcome: 'success',
        resourceType: 'User',
        resourceId: created.id,
        details: { role: created.role },
      });
      return created;
    },
  );

  mount(
    r,
    {
      method: 'patch',
      path: '/api/users/:id',
      summary: 'Update, disable, unlock or reset MFA of an account',
      tags,
      auth: 'user:manage',
      params: UserIdParams,
      body: UpdateUserBody,
      response: AdminUser,
    },
    async ({ req, res, params, body, principal }) => {
      const updated = await users.update(params.id, body, principal);
      auditRequest(deps.audit, req, res, {
        action: 'user.update',
        outcome: 'success',
        resourceType: 'User',
        resourceId: params.id,
        details: { fields: Object.keys(body) },
      });
      return updated;
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/users/:id/epcs-approvals',
      summary: 'Approve a prescriber for EPCS (two different admins needed)',
      tags,
      auth: 'user:manage',
      params: UserIdParams,
      response: AdminUser,
    },
    async ({ req, res, params, principal }) => {
      const u = await users.approveEpcs(params.id, principal);
      auditRequest(deps.audit, req, res, {
        action: 'epcs.approve',
        outcome: 'success',
        resourceType: 'User',
        resourceId: params.id,
        details: { approvals: u.epcsApprovals },
      });
      return u;
    },
  );

  mount(
    r,
    {
      method: 'delete',
      path: '/api/users/:id/epcs-approvals',
      summary: 'Withdraw EPCS access',
      tags,
      auth: 'user:manage',
      params: UserIdParams,
      response: AdminUser,
    },
    async ({ req, res, params }) => {
      const u = await users.revokeEpcs(params.id);
      auditRequest(deps.audit, req, res, {
        action: 'epcs.revoke',
        outcome: 'success',
        resourceType: 'User',
        resourceId: params.id,
      });
      return u;
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/users/:id/assignments',
      summary: 'Assign a patient to a clinician (care relationship)',
      tags,
      auth: 'user:manage',
      params: UserIdParams,
      body: AssignmentBody,
      successStatus: 204,
    },
    async ({ req, res, params, body, principal }) => {
      await users.assign(params.id, body.patientId, body.reason, body.expiresAt, principal);
      auditRequest(deps.audit, req, res, {
        action: 'assignment.create',
        outcome: 'success',
        resourceType: 'User',
        resourceId: params.id,
        patientId: body.patientId,
      });
    },
  );

  mount(
    r,
    {
      method: 'delete',
      path: '/api/users/:id/assignments/:patientId',
      summary: 'End a patient assignment',
      tags,
      auth: 'user:manage',
      params: AssignmentParams,
    },
    async ({ req, res, params }) => {
      await users.unassign(params.id, params.patientId);
      auditRequest(deps.audit, req, res, {
        action: 'assignment.delete',
        outcome: 'success',
        resourceType: 'User',
        resourceId: params.id,
        patientId: params.patientId,
      });
    },
  );
  return r;
}
