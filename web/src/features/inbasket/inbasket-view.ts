import type { InbasketActionBody, InbasketActionName, InbasketKind } from '@wintehr/contracts';

/** Labels and dialog shapes of the in-basket (pure, unit-tested). */

export const KIND_LABELS: Record<InbasketKind, string> = {
  'erx-renewal': 'Renewal requests',
  'erx-change': 'Change requests',
  'pharmacy-return': 'Pharmacy returns',
  'critical-result': 'Critical results',
  'note-cosign': 'Notes to co-sign',
  'patient-message': 'Patient messages',
  'refill-request': 'Refill requests',
};

export const ACTION_LABELS: Record<InbasketActionName, string> = {
  approve: 'Approve',
  deny: 'Deny',
  acknowledge: 'Acknowledge',
  discontinue: 'Discontinue',
  resend: 'Re-send',
  reply: 'Reply',
  cosign: 'Co-sign',
  complete: 'Mark done',
};

/** What the dialog of an action asks for: a required reason, a required reply text, an optional note, or nothing. */
export type ActionInput = 'reason' | 'text' | 'note' | 'none';

export function inputOf(action: InbasketActionName): ActionInput {
  if (action === 'deny' || action === 'discontinue') return 'reason';
  if (action === 'reply') return 'text';
  if (action === 'cosign') return 'none';
  return 'note';
}

/**
 * The request body for an action from what the dialog collected, or a message saying what is missing
 * (the API refuses the same things; checking here keeps the dialog open with the field marked).
 */
export function actionBody(
  action: InbasketActionName,
  value: string,
  reasonCode?: string,
): { body: InbasketActionBody } | { error: string } {
  const v = value.trim();
  switch (inputOf(action)) {
    case 'reason':
      if (v.length < 3) return { error: 'Give a reason (at least 3 characters)' };
      if (action === 'deny') return { body: { action, reason: v, ...(reasonCode ? { reasonCode } : {}) } };
      return { body: { action: 'discontinue', reason: v } };
    case 'text':
      if (!v) return { error: 'Write a reply' };
      return { body: { action: 'reply', text: v } };
    case 'none':
      return { body: { action: 'cosign' } };
    case 'note':
      if (v.length > 210) return { error: 'Keep the note under 210 characters' };
      return {
        body: { action, ...(v ? { note: v } : {}) } as InbasketActionBody,
      };
  }
}

/** NCPDP denial reasons offered when denying an e-prescribing request. */
export const DENIAL_REASONS = [
  { code: 'AA', label: 'Other (see reason)' },
  { code: 'AB', label: 'Patient unknown to the prescriber' },
  { code: 'AC', label: 'Patient not under the prescriber’s care' },
  { code: 'AF', label: 'No longer on this medication' },
  { code: 'AG', label: 'Needs an appointment' },
] as const;

export const isErxKind = (k: InbasketKind) => k === 'erx-renewal' || k === 'erx-change';

/** "3 open" / "nothing waiting" for the badge's accessible label. */
export const countLabel = (n: number) => (n === 0 ? 'In-basket: nothing waiting' : `In-basket: ${n} open`);
