import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { badRequest, conflict, forbidden, notFound } from '../../core/errors';
import { mount } from '../../core/http/route';
import {
  BreakGlassBody,
  BreakGlassGrantList,
  BreakGlassListQuery,
  BreakGlassOpened,
  BreakGlassParams,
  BreakGlassReviewBody,
  BreakGlassReviewed,
  BreakGlassReviewParams,
  type BreakGlassVerdict,
  type Role,
} from '@wintehr/contracts';

interface GrantRow {
  id: string;
  user_id: string;
  username: string;
  role: Role;
  patient_id: string;
  reason: string;
  created_at: Date;
  expires_at: Date;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_outcome: BreakGlassVerdict | null;
  review_note: string | null;
}

/**
 * Break the glass (seed 004 §7.3): a clinician without a care relationship opens a chart in an emergency by
 * stating a reason. The grant is time-boxed, its use is audited with purpose ETREAT, and every grant waits
 * in a review queue for an admin (break-glass:review).
 */
export function breakGlassRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['access'];

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/break-glass',
      summary: 'Emergency access to an unrelated chart',
      tags,
      auth: 'patient:read',
      params: BreakGlassParams,
      body: BreakGlassBody,
      response: BreakGlassOpened,
      successStatus: 201,
    },
    async ({ req, res, params, body, principal }): Promise<BreakGlassOpened> => {
      if (principal.role === 'patient') throw forbidden('Break the glass is for clinical staff');
      const existing = await deps.access.check(principal, params.patientId);
      if (existing.allowed && existing.basis !== 'break-glass')
        throw conflict('You already have access to this patient', { basis: existing.basis }, 'ACCESS_EXISTS');
      try {
        await deps.fhir.read('Patient', params.patientId);
      } catch (err) {
        if ((err as { status?: number }).status === 404) throw notFound('Patient', params.patientId);
        throw err;
      }
      const id = randomUUID();
      const { rows } = await deps.pg.query<{ expires_at: Date }>(
        `INSERT INTO break_glass_grants (id, user_id, patient_id, reason, expires_at) VALUES ($1,$2,$3,$4, now() + make_interval(mins => $5)) RETURNING expires_at`,
        [id, principal.userId, params.patientId, body.reason, body.minutes],
      );
      deps.access.forget(principal.userId, params.patientId);
      // The reason is free text and may describe the patient: it stays in our table, not in the audit details.
      auditRequest(deps.audit, req, res, {
        action: 'break-glass.open',
        outcome: 'success',
        patientId: params.patientId,
        resourceType: 'Patient',
        resourceId: params.patientId,
        purposeOfUse: 'ETREAT',
        details: { grantId: id, minutes: body.minutes },
      });
      deps.logger.warn({ grantId: id, userId: principal.userId }, 'break-the-glass access opened');
      return { id, patientId: params.patientId, expiresAt: rows[0]!.expires_at.toISOString(), reviewRequired: true };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/break-glass',
      summary: 'Break-the-glass grants for review',
      tags,
      auth: 'break-glass:review',
      query: BreakGlassListQuery,
      response: BreakGlassGrantList,
    },
    async ({ req, res, query }): Promise<BreakGlassGrantList> => {
      const where =
        query.status === 'unreviewed'
          ? 'WHERE g.reviewed_at IS NULL'
          : query.status === 'reviewed'
            ? 'WHERE g.reviewed_at IS NOT NULL'
            : '';
      const { rows } = await deps.pg.query<GrantRow>(
        `SELECT g.*, u.username, u.role FROM break_glass_grants g JOIN users u ON u.id = g.user_id ${where} ORDER BY g.created_at DESC LIMIT $1`,
        [query.limit],
      );
      auditRequest(deps.audit, req, res, {
        action: 'break-glass.list',
        outcome: 'success',
        details: { count: rows.length, status: query.status },
      });
      return {
        grants: rows.map((g) => ({
          id: g.id,
          userId: g.user_id,
          username: g.username,
          role: g.role,
          patientId: g.patient_id,
          reason: g.reason,
          createdAt: g.created_at.toISOString(),
          expiresAt: g.expires_at.toISOString(),
          active: g.expires_at > new Date(),
          ...(g.reviewed_at
            ? {
                review: {
                  by: g.reviewed_by,
                  at: g.reviewed_at.toISOString(),
                  ...(g.review_outcome ? { outcome: g.review_outcome } : {}),
                  ...(g.review_note ? { note: g.review_note } : {}),
                },
              }
            : {}),
        })),
      };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/break-glass/:id/review',
      summary: 'Record the review of a break-the-glass grant',
      tags,
      auth: 'break-glass:review',
      params: BreakGlassReviewParams,
      body: BreakGlassReviewBody,
      response: BreakGlassReviewed,
    },
    async ({ req, res, params, body, principal }): Promise<BreakGlassReviewed> => {
      const { rows } = await deps.pg.query<{ user_id: string; patient_id: string; reviewed_at: Date | null }>(
        'SELECT user_id, patient_id, reviewed_at FROM break_glass_grants WHERE id = $1',
        [params.id],
      );
      const g = rows[0];
      if (!g) throw notFound('BreakGlassGrant', params.id);
      if (g.user_id === principal.userId) throw forbidden('You cannot review your own break-the-glass access');
      if (g.reviewed_at) throw conflict('Already reviewed', undefined, 'ALREADY_REVIEWED');
      const upd = await deps.pg.query(
        'UPDATE break_glass_grants SET reviewed_by = $2, reviewed_at = now(), review_outcome = $3, review_note = $4 WHERE id = $1 AND reviewed_at IS NULL',
        [params.id, principal.userId, body.outcome, body.note],
      );
      if (!upd.rowCount) throw badRequest('Review raced with another reviewer; reload');
      auditRequest(deps.audit, req, res, {
        action: 'break-glass.review',
        outcome: 'success',
        patientId: g.patient_id,
        details: { grantId: params.id, verdict: body.outcome },
      });
      return { id: params.id, outcome: body.outcome };
    },
  );
  return r;
}
