/**
 * CDS Hooks 2.0 shapes (https://cds-hooks.hl7.org/2.0/). Optional members are omitted, never null: builders only
 * add a key when they have a value.
 */
import type { ZodType } from 'zod';

import type * as Wire from '@wintehr/contracts';

export type { CdsAction, CdsCoding, CdsLink, Indicator } from '@wintehr/contracts';
/** What this server issues: the specification's shapes with the uuids it always sets. */
export type CdsSuggestion = Wire.CdsSuggestion & { uuid: string };
export type CdsCard = Omit<Wire.CdsCard, 'uuid' | 'suggestions'> & { uuid: string; suggestions?: CdsSuggestion[] };

/** A card before it is issued: the uuid is assigned when the response is built, the rule id is kept for feedback. */
export interface CardDraft extends Omit<CdsCard, 'uuid' | 'suggestions'> {
  ruleId: string;
  suggestions?: Omit<CdsSuggestion, 'uuid'>[];
}

export interface CdsServiceDefinition {
  hook: 'patient-view' | 'order-select' | 'order-sign';
  id: string;
  title: string;
  description: string;
  prefetch: Record<string, string>;
  usageRequirements?: string;
}

/** One prefetch key's data: a resource or bundle, null (the client had nothing), or a failure to fetch it. */
export type PrefetchValue = fhir4.FhirResource | null;
export interface PrefetchData {
  values: ReadonlyMap<string, PrefetchValue>;
  /** Keys that could not be fetched (timeout, network, HTTP error), with a non-PHI reason. */
  failed: ReadonlyMap<string, string>;
}

export interface HookRequest<C = Record<string, unknown>> {
  hook: string;
  hookInstance: string;
  fhirServer?: string;
  fhirAuthorization?: {
    access_token: string;
    token_type: string;
    expires_in?: number;
    scope?: string;
    subject?: string;
    patient?: string;
  };
  context: C;
  prefetch?: Record<string, unknown>;
}

export interface HookInput<C> {
  request: HookRequest<C>;
  data: PrefetchData;
  now: Date;
}

export interface CdsService<C = unknown> {
  definition: CdsServiceDefinition;
  /** The zod schema of this hook's context. */
  context: ZodType<C>;
  /** Patient id of the request (for audit and access), from the context. */
  patientOf(context: C): string | undefined;
  handle(input: HookInput<C>): CardDraft[];
}
