import type { Pool } from 'pg';
import type { PatientAccessBasis } from '@wintehr/contracts';
import type { FhirClient } from '../fhir/fhir-client';
import type { Principal } from './principal';

/** Why a user may open a chart (the same list the API tells clients, see the contract). */
export type AccessBasis = PatientAccessBasis;
export type AccessDecision = { allowed: true; basis: AccessBasis } | { allowed: false; reason: string };

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** SNOMED CT 363679005 |Imaging|: the category the order catalog gives imaging ServiceRequests. */
const IMAGING_ORDER_CATEGORY = 'http://snomed.info/sct|363679005';

/**
 * Patient-level access (seed 004 §7.3): staff reach patients they are related to — CareTeam membership,
 * Encounter or Appointment participation, an explicit assignment, for pharmacists a prescription routed to their
 * pharmacy, for radiologists an available imaging study or an active imaging order (the reading worklist) — plus
 * time-boxed break-the-glass grants; a patient only itself. Admins have no implicit
 * relationship with any patient (administration is not care): like anyone else, they break the glass.
 * Allowed decisions are cached briefly per user and patient; denials are not, so a new relationship
 * takes effect at once.
 */
export class PatientAccess {
  private readonly cache = new Map<string, { basis: AccessBasis; until: number }>();

  constructor(
    private readonly pg: Pool,
    private readonly fhir: FhirClient,
    private readonly ttlMs = 60_000,
  ) {}

  async check(p: Principal, patientId: string): Promise<AccessDecision> {
    if (!ID.test(patientId)) return { allowed: false, reason: 'invalid patient id' };
    if (p.role === 'patient')
      return p.patientId === patientId
        ? { allowed: true, basis: 'self' }
        : { allowed: false, reason: 'outside own record' };

    const key = `${p.userId}|${patientId}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return { allowed: true, basis: hit.basis };

    const basis = await this.findBasis(p, patientId);
    if (!basis) return { allowed: false, reason: 'no care relationship with this patient' };
    // Break-glass grants are time-boxed; never cache them past their own expiry check.
    if (basis !== 'break-glass') this.cache.set(key, { basis, until: Date.now() + this.ttlMs });
    return { allowed: true, basis };
  }

  forget(userId: string, patientId: string): void {
    this.cache.delete(`${userId}|${patientId}`);
  }

  private async findBasis(p: Principal, patientId: string): Promise<AccessBasis | undefined> {
    const local = await this.pg.query<{ basis: AccessBasis }>(
      `SELECT 'assignment' AS basis FROM patient_assignments WHERE user_id = $1 AND patient_id = $2 AND (expires_at IS NULL OR expires_at > now())
       UNION ALL
       SELECT 'break-glass' FROM break_glass_grants WHERE user_id = $1 AND patient_id = $2 AND expires_at > now()
       LIMIT 1`,
      [p.userId, patientId],
    );
    if (local.rows[0]) return local.rows[0].basis;

    const checks: Array<Promise<AccessBasis | undefined>> = [];
    const count = (b: fhir4.Bundle) => b.total ?? 0;
    if (p.practitionerId) {
      const who = `Practitioner/${p.practitionerId}`;
      checks.push(
        this.fhir
          .search('CareTeam', { patient: patientId, participant: who, status: 'active', _summary: 'count' })
          .then((b) => (count(b) > 0 ? 'care-team' : undefined)),
      );
      checks.push(
        this.fhir
          .search('Encounter', { patient: patientId, participant: who, _summary: 'count' })
          .then((b) => (count(b) > 0 ? 'encounter' : undefined)),
      );
      // A booked visit is a treatment relationship: the clinician on today's schedule can open the chart to prepare.
      checks.push(
        this.fhir
          .search('Appointment', {
            patient: patientId,
            actor: who,
            'status:not': ['cancelled', 'entered-in-error', 'noshow'],
            _summary: 'count',
          })
          .then((b) => (count(b) > 0 ? 'appointment' : undefined)),
      );
    }
    if (p.role === 'pharmacist') {
      const pharmacy = await this.pg.query<{ pharmacy_org_id: string | null }>(
        'SELECT pharmacy_org_id FROM users WHERE id = $1',
        [p.userId],
      );
      const org = pharmacy.rows[0]?.pharmacy_org_id;
      if (org) {
        checks.push(
          this.fhir
            .search('MedicationRequest', {
              patient: patientId,
              'intended-dispenser': `Organization/${org}`,
              status: 'active',
              _summary: 'count',
            })
            .then((b) => (count(b) > 0 ? 'pharmacy-queue' : undefined)),
        );
      }
    }
    if (p.role === 'radiologist') {
      // The reading worklist shows studies across patients: a radiologist must be able to open the chart of the
      // study (or the imaging order) it asks them to read, and nothing beyond charts with imaging.
      checks.push(
        Promise.all([
          this.fhir.search('ImagingStudy', { patient: patientId, status: 'available', _summary: 'count' }),
          this.fhir.search('ServiceRequest', {
            patient: patientId,
            category: IMAGING_ORDER_CATEGORY,
            status: 'active',
            _summary: 'count',
          }),
        ]).then(([studies, orders]) => (count(studies) + count(orders) > 0 ? 'imaging-worklist' : undefined)),
      );
    }
    const found = await Promise.all(checks);
    return found.find((b) => b !== undefined);
  }
}
