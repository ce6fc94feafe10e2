/**
 * CDS Hooks 2.0 cards and their parts (https://cds-hooks.hl7.org/2.0/) as this server issues them and the web app
 * (a CDS client) receives them, as the specification words them: one definition for both sides. Optional members are
 * omitted, never null. The server's own types narrow `uuid` to required (cds-hooks/cds-types.ts).
 */
/// <reference types="fhir" />

export type Indicator = 'info' | 'warning' | 'critical';

export interface CdsCoding {
  system: string;
  code: string;
  display?: string;
}

export interface CdsAction {
  type: 'create' | 'update' | 'delete';
  description: string;
  resource?: fhir4.FhirResource;
  /** For delete: a relative reference such as `MedicationRequest/123`. */
  resourceId?: string;
}

export interface CdsSuggestion {
  label: string;
  /** Optional in the specification; required to report an accepted suggestion. This server always sets it. */
  uuid?: string;
  isRecommended?: boolean;
  actions?: CdsAction[];
}

export interface CdsLink {
  label: string;
  url: string;
  type: 'absolute' | 'smart';
  appContext?: string;
}

export interface CdsCard {
  /** Optional in the specification; required for feedback. This server always sets it. */
  uuid?: string;
  summary: string;
  detail?: string;
  indicator: Indicator;
  source: { label: string; url?: string; topic?: CdsCoding };
  suggestions?: CdsSuggestion[];
  selectionBehavior?: 'at-most-one' | 'any';
  overrideReasons?: CdsCoding[];
  links?: CdsLink[];
}
