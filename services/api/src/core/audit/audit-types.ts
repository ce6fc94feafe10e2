/** What one audit record says: who did what to which resource of which patient, and how it ended. */
export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditInput {
  /** Verb-like, dotted: 'patient.read', 'fhir.search', 'auth.login', 'medication.prescribe', 'break-glass.open'… */
  action: string;
  outcome: AuditOutcome;
  userId?: string;
  username?: string;
  role?: string;
  /** OAuth client id for SMART / backend calls. */
  clientId?: string;
  resourceType?: string;
  resourceId?: string;
  patientId?: string;
  clientIp?: string;
  userAgent?: string;
  requestId?: string;
  /** HL7 v3 PurposeOfUse code, e.g. TREAT, ETREAT (break the glass), HOPERAT, PATRQT. */
  purposeOfUse?: string;
  /** Extra non-PHI facts (reason codes, counts, query parameter NAMES — never values). */
  details?: Record<string, unknown>;
  /**
   * Set when a portal user acts for another patient (proxy access): the user fields name the proxy, patientId the
   * subject. Stored as details.proxy, so the audit_log columns and the hash chain's shape stay as they are.
   */
  proxy?: AuditProxy;
}

export interface AuditProxy {
  grantId: string;
  relationship: string;
}

export interface AuditRecord extends AuditInput {
  id: string; // bigint as string
  occurredAt: string; // ISO 8601 with milliseconds
  prevHash: string;
  hash: string;
}

/** Request handlers call record() and do not wait: the writer batches, chains and persists. */
export interface AuditLogger {
  record(entry: AuditInput): void;
  /** Resolves when everything recorded so far is durably in PostgreSQL. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
