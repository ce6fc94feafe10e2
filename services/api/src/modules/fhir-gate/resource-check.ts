/**
 * The outbound check: every resource that leaves the gate (read, search entries, includes, history versions,
 * operation outputs, batch results) must be allowed by the token's scopes (type, interaction, granular filters)
 * and, for patient/ tokens, be in the patient's compartment; for user/ tokens the user's role and relationship
 * to every patient the resource belongs to apply. Writes are checked here too (before they reach HAPI).
 */
import { hasPermission, type Permission } from '@wintehr/contracts';
import type { AccessDecision, PatientAccess } from '../../core/auth/patient-access';
import { allows, type Interaction } from '../../core/auth/smart-scopes';
import {
  allPatientRefs,
  compartmentPatients,
  containedAreSafe,
  inPatientCompartment,
  isCompartmentType,
  patientIdOfReference,
  PATIENT_COMPARTMENT,
  primaryReferences,
  REFERENCE_DATA_TYPES,
  referencesOtherPatient,
} from './compartment';
import type { GateToken } from './gate-token';
import { admittedByAny } from './scope-filters';

type AnyResource = { resourceType?: string; id?: string; contained?: unknown; [k: string]: unknown };

const READ_PERMISSION: Record<string, Permission> = {
  MedicationRequest: 'medication:view',
  MedicationStatement: 'medication:view',
  MedicationAdministration: 'medication:view',
  MedicationDispense: 'medication:view',
  Observation: 'results:view',
  DiagnosticReport: 'results:view',
  ImagingStudy: 'imaging:view',
  DocumentReference: 'document:read',
  Composition: 'document:read',
  ServiceRequest: 'order:view',
};
const WRITE_PERMISSION: Record<string, Permission> = {
  MedicationRequest: 'medication:prescribe',
  MedicationAdministration: 'medication:administer',
  MedicationDispense: 'medication:dispense',
  ServiceRequest: 'order:place',
  DocumentReference: 'document:write',
  Composition: 'document:write',
  DiagnosticReport: 'results:create',
};

/** The role permissions of which a user needs one for this type and interaction (reads vs writes vs deletes). */
export function permissionsFor(type: string, interaction: Interaction): Permission[] {
  if (interaction === 'r' || interaction === 's') return [READ_PERMISSION[type] ?? 'patient:read'];
  if (interaction === 'd') return ['patient:delete'];
  // Results and vital signs are both Observations.
  if (type === 'Observation') return ['results:create', 'vitals:record'];
  return [WRITE_PERMISSION[type] ?? 'patient:write'];
}

/** What of a patient's results the patient may read (the results module provides it; see results/patient-release.ts). */
export interface ReleaseView {
  report(r: fhir4.DiagnosticReport): boolean;
  observations(obs: readonly fhir4.Observation[]): fhir4.Observation[];
}
export type ReleaseProvider = (patientId: string) => Promise<ReleaseView>;

export type Verdict = { ok: true } | { ok: false; reason: string; status: 403 | 404 };

export class ResourceChecker {
  /** One decision per patient per request (PatientAccess does not cache denials; a search may name a patient many times). */
  private readonly decisions = new Map<string, Promise<AccessDecision>>();

  /** The patient's release view (held and not-final results), computed once per request when first needed. */
  private release?: Promise<ReleaseView>;

  constructor(
    private readonly token: GateToken,
    private readonly access: PatientAccess,
    private readonly releaseOf?: ReleaseProvider,
  ) {}

  /**
   * A patient (a patient/ token, or a user token of the patient role) reads results as the portal shows them:
   * released on final, none under a hold (Cures Act rule, results/release-rule.ts). Absent and withheld look alike.
   */
  private async released(resource: AnyResource): Promise<Verdict> {
    const type = resource.resourceType;
    const patientId = this.token.patientId ?? this.token.principal?.patientId;
    if (!this.releaseOf || !patientId || (type !== 'DiagnosticReport' && type !== 'Observation')) return { ok: true };
    const release = await (this.release ??= this.releaseOf(patientId));
    const shown =
      type === 'DiagnosticReport'
        ? release.report(resource as unknown as fhir4.DiagnosticReport)
        : release.observations([resource as unknown as fhir4.Observation]).length === 1;
    return shown ? { ok: true } : { ok: false, reason: 'not released to the patient', status: 404 };
  }

  private decide(patientId: string): Promise<AccessDecision> {
    let d = this.decisions.get(patientId);
    if (!d) {
      d = this.access.check(this.token.principal!, patientId);
      this.decisions.set(patientId, d);
    }
    return d;
  }

  /** May this resource leave the gate? `interactions`: any of them suffices (search entries: s, or r for includes). */
  async admit(resource: AnyResource | undefined, interactions: readonly Interaction[]): Promise<Verdict> {
    if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string')
      return { ok: false, reason: 'entry without a resource', status: 403 };
    const type = resource.resourceType;
    if (type === 'OperationOutcome') return { ok: true };
    const matching = interactions.flatMap((i) => allows(this.token.scopes, this.token.mode, type, i));
    if (matching.length === 0) return { ok: false, reason: `scopes do not allow ${type}`, status: 403 };
    if (!admittedByAny(resource, matching))
      return { ok: false, reason: `${type} is outside the granted scope restrictions`, status: 403 };

    if (this.token.mode === 'system') return { ok: true };
    if (this.token.mode === 'patient') {
      if (REFERENCE_DATA_TYPES.has(type)) return { ok: true };
      return inPatientCompartment(resource, this.token.patientId!)
        ? this.released(resource)
        : { ok: false, reason: 'outside the patient in context', status: 404 };
    }
    const v = await this.userMay(resource, 'r');
    return v.ok && this.token.principal?.role === 'patient' ? this.released(resource) : v;
  }

  /** User tokens: role permission for the type, and a relationship with every patient the resource belongs to. */
  async userMay(resource: AnyResource, interaction: Interaction): Promise<Verdict> {
    const principal = this.token.principal!;
    const type = resource.resourceType!;
    if (
      !REFERENCE_DATA_TYPES.has(type) &&
      !permissionsFor(type, interaction).some((p) => hasPermission(principal.role, p))
    ) {
      return {
        ok: false,
        reason: `role ${principal.role} may not ${interaction === 'r' || interaction === 's' ? 'read' : 'write'} ${type}`,
        status: 403,
      };
    }
    // Outside the compartment definition but able to carry anyone's data: a stored Bundle is checked entry by
    // entry, a Binary through the patient its securityContext names (none named: nobody's to read through a user token).
    if (type === 'Bundle') {
      for (const e of (Array.isArray(resource.entry) ? resource.entry : []) as Array<{ resource?: AnyResource }>) {
        if (!e?.resource || typeof e.resource.resourceType !== 'string') continue;
        const v = await this.userMay(e.resource, interaction);
        if (!v.ok) return { ok: false, reason: `a Bundle entry: ${v.reason}`, status: 403 };
      }
    }
    if (type === 'Binary') {
      const pid = patientIdOfReference((resource.securityContext as { reference?: unknown } | undefined)?.reference);
      if (!pid)
        return {
          ok: false,
          reason: 'a Binary is reachable through a user token only when its securityContext names a patient',
          status: 403,
        };
      const d = await this.decide(pid);
      if (!d.allowed) return { ok: false, reason: `no access to patient ${pid}: ${d.reason}`, status: 403 };
    }
    const patients =
      interaction === 'r' || interaction === 's' ? compartmentPatients(resource) : allPatientRefs(resource);
    for (const pid of patients) {
      const d = await this.decide(pid);
      if (!d.allowed) return { ok: false, reason: `no access to patient ${pid}: ${d.reason}`, status: 403 };
    }
    if (Array.isArray(resource.contained)) {
      for (const c of resource.contained as AnyResource[]) {
        for (const pid of allPatientRefs(c)) {
          const d = await this.decide(pid);
          if (!d.allowed)
            return { ok: false, reason: 'a contained resource names a patient without access', status: 403 };
        }
      }
    }
    return { ok: true };
  }

  /**
   * May a write point at this (existing) resource? Compartment only, not scopes: a token allowed to write
   * Observations may name its own Encounter without an Encounter read scope, but never another patient's.
   */
  async mayReference(resource: AnyResource | undefined): Promise<Verdict> {
    if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string')
      return { ok: false, reason: 'not a resource', status: 403 };
    if (this.token.mode === 'system' || REFERENCE_DATA_TYPES.has(resource.resourceType)) return { ok: true };
    if (this.token.mode === 'patient') {
      return inPatientCompartment(resource, this.token.patientId!)
        ? { ok: true }
        : { ok: false, reason: 'outside the patient in context', status: 403 };
    }
    const patients = compartmentPatients(resource);
    if (patients.length === 0 && isCompartmentType(resource.resourceType))
      return { ok: false, reason: 'belongs to no patient the user can reach', status: 403 };
    for (const pid of patients) {
      const d = await this.decide(pid);
      if (!d.allowed) return { ok: false, reason: `no access to patient ${pid}`, status: 403 };
    }
    return { ok: true };
  }

  /** Can this resource body be written (create/update) by this token? */
  async mayWrite(resource: AnyResource, type: string, interaction: 'c' | 'u'): Promise<Verdict> {
    if (!resource || typeof resource !== 'object' || resource.resourceType !== type)
      return { ok: false, reason: `body must be a ${type} resource`, status: 403 };
    const matching = allows(this.token.scopes, this.token.mode, type, interaction);
    if (matching.length === 0)
      return {
        ok: false,
        reason: `scopes do not allow ${interaction === 'c' ? 'create' : 'update'} of ${type}`,
        status: 403,
      };
    if (!admittedByAny(resource, matching))
      return { ok: false, reason: `${type} is outside the granted scope restrictions`, status: 403 };
    return this.ownsWritten(resource, type, interaction);
  }

  /** The compartment half of the write check (no scopes): also run on what HAPI stored, after the write. */
  async ownsWritten(resource: AnyResource, type: string, interaction: 'c' | 'u'): Promise<Verdict> {
    if (!resource || typeof resource !== 'object' || resource.resourceType !== type)
      return { ok: false, reason: `body must be a ${type} resource`, status: 403 };
    if (this.token.mode === 'system') return { ok: true };
    if (this.token.mode === 'patient') {
      const pid = this.token.patientId!;
      if (type === 'Patient') {
        return interaction === 'u' &&
          resource.id === pid &&
          containedAreSafe(resource, pid) &&
          !hasPatientLinkElsewhere(resource, pid)
          ? { ok: true }
          : { ok: false, reason: 'a patient-scoped token may only update its own Patient', status: 403 };
      }
      if (!isCompartmentType(type))
        return { ok: false, reason: `${type} is not patient data; patient-scoped tokens cannot write it`, status: 403 };
      // The subject itself must be a plain Patient/<id> of the patient in context: not another patient, not a
      // bundle-local or conditional reference that HAPI would resolve after this check.
      const primary = primaryReferences(resource);
      const primaryOk =
        PATIENT_COMPARTMENT[type]!.primary.length === 0 ||
        (primary.length > 0 && primary.every((r) => patientIdOfReference(r) === pid));
      if (!primaryOk || !inPatientCompartment(resource, pid) || referencesOtherPatient(resource, pid)) {
        return { ok: false, reason: `the ${type} must belong to the patient in context (Patient/${pid})`, status: 403 };
      }
      return { ok: true };
    }
    if (
      isCompartmentType(type) &&
      allPatientRefs(resource).length === 0 &&
      type !== 'Patient' &&
      PATIENT_COMPARTMENT[type]?.primary.length
    ) {
      return { ok: false, reason: `the ${type} must name its patient`, status: 403 };
    }
    return this.userMay(resource, interaction);
  }
}

function hasPatientLinkElsewhere(resource: AnyResource, pid: string): boolean {
  const links = Array.isArray(resource.link) ? (resource.link as Array<{ other?: { reference?: string } }>) : [];
  return links.some((l) => {
    const id = patientIdOfReference(l.other?.reference);
    return id !== undefined && id !== pid;
  });
}
