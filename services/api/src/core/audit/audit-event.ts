import type { AuditRecord } from './audit-types';
import { FHIR_ID_RE } from '../fhir/fhir-kit';

/**
 * AuditRecord -> FHIR R4 AuditEvent, shaped after the IHE Basic Audit Log Patterns (BALP): RESTful
 * interactions as type `rest` with a restful-interaction subtype, logins as DICOM User Authentication,
 * break-glass as a DICOM Security Alert (Emergency Override), other patient activity as DICOM Patient Record.
 */

export const SYSTEMS = {
  dicom: 'http://dicom.nema.org/resources/ontology/DCM',
  eventType: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  restful: 'http://hl7.org/fhir/restful-interaction',
  entityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  sourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  networkType: 'http://hl7.org/fhir/network-type',
  user: 'urn:wintehr:user',
  role: 'urn:wintehr:role',
  client: 'urn:wintehr:oauth-client',
  audit: 'urn:wintehr:audit',
  system: 'urn:wintehr:system',
} as const;

type Action = NonNullable<fhir4.AuditEvent['action']>;

export interface EventClass {
  type: fhir4.Coding;
  subtype?: fhir4.Coding;
  action: Action;
}

const dcm = (code: string, display: string): fhir4.Coding => ({ system: SYSTEMS.dicom, code, display });
const rest = (code: string, display: string): fhir4.Coding => ({ system: SYSTEMS.restful, code, display });
const REST_TYPE: fhir4.Coding = { system: SYSTEMS.eventType, code: 'rest', display: 'Restful Operation' };

const REST_VERBS: Record<string, [Action, fhir4.Coding]> = {};
const verbs = (names: string[], action: Action, subtype: fhir4.Coding) => {
  for (const n of names) REST_VERBS[n] = [action, subtype];
};
verbs(['read', 'view', 'get', 'open-chart'], 'R', rest('read', 'read'));
verbs(['vread'], 'R', rest('vread', 'vread'));
verbs(['history'], 'R', rest('history-instance', 'history-instance'));
verbs(['search', 'list', 'query', 'search-type'], 'E', rest('search-type', 'search-type'));
verbs(
  ['create', 'add', 'prescribe', 'order', 'register', 'upload', 'import', 'dispense', 'administer', 'result'],
  'C',
  rest('create', 'create'),
);
verbs(
  ['update', 'edit', 'modify', 'sign', 'verify', 'cancel', 'discontinue', 'complete', 'amend', 'acknowledge', 'status'],
  'U',
  rest('update', 'update'),
);
verbs(['patch'], 'U', rest('patch', 'patch'));
verbs(['delete', 'remove', 'expunge'], 'D', rest('delete', 'delete'));
verbs(['operation', 'export', 'everything', 'validate'], 'E', rest('operation', 'operation'));

/** Which kind of event a dotted action ('patient.read', 'auth.login', 'break-glass.open') is. */
export function classifyAction(action: string, hasPatient: boolean): EventClass {
  const parts = action.toLowerCase().split('.');
  const domain = parts[0] ?? '';
  const verb = parts[parts.length - 1] ?? '';
  if (domain === 'auth' || domain === 'login' || domain === 'logout') {
    if (/logout|sign-?out/.test(verb) || domain === 'logout') {
      return { type: dcm('110114', 'User Authentication'), subtype: dcm('110123', 'Logout'), action: 'E' };
    }
    if (/password|mfa-(enroll|disable|reset)|totp|role|unlock|lock/.test(verb)) {
      return {
        type: dcm('110113', 'Security Alert'),
        subtype: dcm('110137', 'User Security Attributes Changed'),
        action: 'E',
      };
    }
    return { type: dcm('110114', 'User Authentication'), subtype: dcm('110122', 'Login'), action: 'E' };
  }
  if (domain === 'break-glass' || domain === 'emergency-access') {
    const stop = /close|end|stop|revoke|expire/.test(verb);
    return {
      type: dcm('110113', 'Security Alert'),
      subtype: stop ? dcm('110138', 'Emergency Override Stopped') : dcm('110127', 'Emergency Override Started'),
      action: 'E',
    };
  }
  if (domain === 'audit') {
    const hit = REST_VERBS[verb];
    return { type: dcm('110101', 'Audit Log Used'), action: hit?.[0] ?? 'R' };
  }
  const hit = REST_VERBS[verb];
  if (hit) return { type: REST_TYPE, subtype: hit[1], action: hit[0] };
  return hasPatient
    ? { type: dcm('110110', 'Patient Record'), action: 'E' }
    : { type: dcm('110100', 'Application Activity'), action: 'E' };
}

const OUTCOME: Record<AuditRecord['outcome'], { code: NonNullable<fhir4.AuditEvent['outcome']>; desc: string }> = {
  success: { code: '0', desc: 'Success' },
  denied: { code: '4', desc: 'Access denied' },
  failure: { code: '8', desc: 'Failure' },
};

const PURPOSE_DISPLAY: Record<string, string> = {
  TREAT: 'treatment',
  ETREAT: 'Emergency Treatment',
  HOPERAT: 'healthcare operations',
  PATRQT: 'patient requested',
  HPAYMT: 'healthcare payment',
  PUBHLTH: 'public health',
  HRESCH: 'healthcare research',
  HSYSADMIN: 'health system administration',
  SYSDEV: 'system development',
};

const FHIR_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/**
 * The AuditEvent's own id: the row id plus the start of the row's chain hash. Deterministic, so exporting a
 * record again PUTs the same resource instead of making a copy; and since the hash covers the whole chain,
 * two databases (or a restored one reusing ids) exporting into one HAPI never overwrite each other's events.
 */
export function auditEventId(r: Pick<AuditRecord, 'id' | 'hash'>): string {
  return `wintehr-audit-${r.id}-${r.hash.slice(0, 16)}`;
}

export interface AuditEventOptions {
  /**
   * Point at targets by identifier rather than by reference, for records whose target HAPI does not hold (a
   * read that ended 404, a deleted resource), since HAPI enforces referential integrity. `true`: patient and
   * resource; 'resource': only the resource (the patient reference stays searchable).
   */
  logicalReferences?: boolean | 'resource';
}

export function toAuditEvent(r: AuditRecord, opts: AuditEventOptions = {}): fhir4.AuditEvent {
  const cls = classifyAction(r.action, !!r.patientId);
  const outcome = OUTCOME[r.outcome] ?? OUTCOME.failure;
  const purpose: fhir4.CodeableConcept[] | undefined = r.purposeOfUse
    ? [
        {
          coding: [
            {
              system: SYSTEMS.actReason,
              code: r.purposeOfUse,
              ...(PURPOSE_DISPLAY[r.purposeOfUse] ? { display: PURPOSE_DISPLAY[r.purposeOfUse] } : {}),
            },
          ],
        },
      ]
    : undefined;

  const ref = (type: string, id: string, logical: boolean): fhir4.Reference =>
    !logical && FHIR_TYPE.test(type) && FHIR_ID_RE.test(id)
      ? { reference: `${type}/${id}` }
      : { identifier: { system: `urn:wintehr:fhir:${type}`, value: id }, type, display: `${type}/${id}` };

  const network = r.clientIp ? { address: r.clientIp, type: '2' as const } : undefined;
  const hasUser = !!(r.userId || r.username);
  const agents: fhir4.AuditEventAgent[] = [];
  if (hasUser || !r.clientId) {
    agents.push({
      who: hasUser
        ? {
            ...(r.userId ? { identifier: { system: SYSTEMS.user, value: r.userId } } : {}),
            ...(r.username ? { display: r.username } : {}),
          }
        : { display: 'unauthenticated' },
      ...(r.username ? { name: r.username } : {}),
      ...(r.role ? { role: [{ coding: [{ system: SYSTEMS.role, code: r.role }], text: r.role }] } : {}),
      requestor: true,
      ...(network ? { network } : {}),
      ...(purpose ? { purposeOfUse: purpose } : {}),
    });
  }
  if (r.clientId) {
    agents.push({
      type: { coding: [dcm('110150', 'Application')] },
      who: { identifier: { system: SYSTEMS.client, value: r.clientId }, display: r.clientId },
      requestor: !hasUser,
      ...(!hasUser && network ? { network } : {}),
      ...(!hasUser && purpose ? { purposeOfUse: purpose } : {}),
    });
  }

  const entities: fhir4.AuditEventEntity[] = [];
  if (r.patientId) {
    entities.push({
      what: ref('Patient', r.patientId, opts.logicalReferences === true),
      type: { system: SYSTEMS.entityType, code: '1', display: 'Person' },
      role: { system: SYSTEMS.objectRole, code: '1', display: 'Patient' },
    });
  }
  if (r.resourceType) {
    if (r.resourceId) {
      entities.push({
        what: ref(r.resourceType, r.resourceId, !!opts.logicalReferences),
        type: { system: SYSTEMS.entityType, code: '2', display: 'System Object' },
        role: { system: SYSTEMS.objectRole, code: '4', display: 'Domain Resource' },
      });
    } else {
      entities.push({
        type: { system: SYSTEMS.entityType, code: '2', display: 'System Object' },
        role: {
          system: SYSTEMS.objectRole,
          code: cls.action === 'E' ? '24' : '4',
          display: cls.action === 'E' ? 'Query' : 'Domain Resource',
        },
        description: r.resourceType,
      });
    }
  }
  const detail: fhir4.AuditEventEntityDetail[] = [
    { type: 'action', valueString: r.action },
    { type: 'hash', valueString: r.hash },
  ];
  if (r.requestId) detail.push({ type: 'requestId', valueString: r.requestId });
  if (r.userAgent) detail.push({ type: 'userAgent', valueString: r.userAgent });
  for (const [k, v] of Object.entries(r.details ?? {})) {
    if (v === undefined) continue;
    detail.push({ type: `details.${k}`, valueString: typeof v === 'string' ? v : JSON.stringify(v) });
  }
  entities.push({
    what: {
      identifier: { system: SYSTEMS.audit, value: r.id },
      display: `WintEHR audit record ${r.id}`,
    },
    type: { system: SYSTEMS.entityType, code: '4', display: 'Other' },
    description: 'WintEHR audit log record (id, chain hash)',
    detail,
  });

  return {
    resourceType: 'AuditEvent',
    id: auditEventId(r),
    type: cls.type,
    ...(cls.subtype ? { subtype: [cls.subtype] } : {}),
    action: cls.action,
    recorded: r.occurredAt,
    outcome: outcome.code,
    outcomeDesc: typeof r.details?.reason === 'string' ? `${outcome.desc}: ${r.details.reason}` : outcome.desc,
    ...(purpose ? { purposeOfEvent: purpose } : {}),
    agent: agents,
    source: {
      site: 'WintEHR',
      observer: { identifier: { system: SYSTEMS.system, value: 'wintehr-api' }, display: 'WintEHR API' },
      type: [{ system: SYSTEMS.sourceType, code: '4', display: 'Application Server' }],
    },
    entity: entities,
  };
}
