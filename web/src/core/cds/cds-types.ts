/** CDS Hooks 2.0 shapes as the web app (a CDS client) receives and sends them (https://cds-hooks.hl7.org/2.0/). */

// The cards and their parts are the server's (packages/contracts); the rest is what this client keeps.
import type { CdsCard, CdsCoding } from '@wintehr/contracts';

export type { CdsAction, CdsCard, CdsCoding, CdsLink, CdsSuggestion, Indicator } from '@wintehr/contracts';

export interface CdsServiceDefinition {
  hook: string;
  id: string;
  title?: string;
  description: string;
  prefetch?: Record<string, string>;
}

export interface HookRequest {
  hook: string;
  hookInstance: string;
  context: Record<string, unknown>;
  prefetch?: Record<string, fhir4.FhirResource | null>;
}

export interface FeedbackItem {
  card: string;
  outcome: 'accepted' | 'overridden';
  overrideReason?: { reason?: CdsCoding; userComment?: string };
  acceptedSuggestions?: { id: string }[];
  outcomeTimestamp: string;
}

/** A card as shown in the app, with the service (and so the hook) that returned it and a key unique in the session. */
export interface ShownCard {
  key: string;
  serviceId: string;
  hook: string;
  card: CdsCard;
}

/** What the user did with a card. Overriding needs one of the card's override reasons when it offers any. */
export type CardDecision =
  | { outcome: 'accepted'; suggestionUuid?: string; at: string }
  | { outcome: 'overridden'; reason?: CdsCoding; comment?: string; at: string };

export type Decisions = Readonly<Record<string, CardDecision>>;
