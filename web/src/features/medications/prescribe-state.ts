/**
 * The prescribe dialog's state as one reducer: every transition (drug chosen, suggestion applied, sign started,
 * override asked for, sent…) is a named action whose effect on all the fields is decided in one place, so a
 * notice or error from an earlier step can never survive into the next one by a forgotten setter. Pure.
 */
import type { SafetyFinding } from '../../core/cds/card-logic';
import type { PrescribeResult } from './medications-api';
import { EMPTY_FORM, withComputedQuantity, withDrug, type DrugChoice, type PrescriptionForm } from './prescription';

export type Busy = false | 'checking' | 'signing' | 'sending';

export interface PrescribeState {
  form: PrescriptionForm;
  draftId: string;
  showErrors: boolean;
  busy: Busy;
  notice?: string;
  removedNotice?: string;
  signError?: unknown;
  uncovered: SafetyFinding[];
  manualReason: string;
  feedbackWarning?: string;
  created?: PrescribeResult;
  sendError?: unknown;
  stepUp: boolean;
}

type EditableField = Exclude<keyof PrescriptionForm, 'drug' | 'quantity' | 'quantityTouched'>;

export type PrescribeAction =
  | { type: 'reset'; draftId: string }
  | { type: 'field'; field: EditableField | 'pharmacy'; value: unknown }
  | { type: 'quantity'; value: string }
  | { type: 'drugChosen'; drug: DrugChoice | undefined; draftId: string }
  | { type: 'drugReplaced'; drug: DrugChoice; draftId: string; previousName: string | undefined }
  | { type: 'drugRemoved'; draftId: string; previousName: string | undefined }
  | { type: 'signStarted' }
  | { type: 'incomplete' }
  | { type: 'busy'; busy: Busy }
  | { type: 'notice'; notice: string | undefined }
  | { type: 'overrideNeeded'; uncovered: SafetyFinding[] }
  | { type: 'manualReason'; value: string }
  | { type: 'feedbackWarning'; message: string }
  | { type: 'signed'; rx: PrescribeResult }
  | { type: 'signFailed'; error: unknown }
  | { type: 'sendStarted' }
  | { type: 'sendFailed'; error: unknown }
  | { type: 'stepUp'; open: boolean; cancelled?: boolean };

export const initialPrescribeState = (draftId: string): PrescribeState => ({
  form: EMPTY_FORM,
  draftId,
  showErrors: false,
  busy: false,
  uncovered: [],
  manualReason: '',
  stepUp: false,
});

/** What every drug change clears: alerts, notices and errors were about the previous drug. */
const drugChanged = (
  s: PrescribeState,
  form: PrescriptionForm,
  draftId: string,
  removedNotice?: string,
): PrescribeState => ({
  ...s,
  form,
  draftId,
  notice: undefined,
  removedNotice,
  uncovered: [],
  signError: undefined,
});

export function prescribeReducer(s: PrescribeState, a: PrescribeAction): PrescribeState {
  switch (a.type) {
    case 'reset':
      return { ...initialPrescribeState(a.draftId), stepUp: s.stepUp };
    case 'field':
      return { ...s, form: withComputedQuantity({ ...s.form, [a.field]: a.value }) };
    case 'quantity':
      return { ...s, form: withComputedQuantity({ ...s.form, quantity: a.value, quantityTouched: true }) };
    case 'drugChosen':
      return drugChanged(s, withDrug(s.form, a.drug), a.draftId);
    case 'drugReplaced':
      return drugChanged(
        s,
        withDrug(s.form, a.drug),
        a.draftId,
        `${a.previousName ?? 'The drug'} was replaced by ${a.drug.name}. Set the dose for the new drug.`,
      );
    case 'drugRemoved':
      return drugChanged(
        s,
        withDrug(s.form, undefined),
        a.draftId,
        `${a.previousName ?? 'The draft'} was removed from this order. Choose another drug or cancel.`,
      );
    case 'signStarted':
      return { ...s, showErrors: true, notice: undefined, signError: undefined };
    case 'incomplete':
      return { ...s, notice: 'Complete the highlighted fields.' };
    case 'busy':
      return { ...s, busy: a.busy };
    case 'notice':
      return { ...s, notice: a.notice };
    case 'overrideNeeded':
      return { ...s, uncovered: a.uncovered };
    case 'manualReason':
      return { ...s, manualReason: a.value };
    case 'feedbackWarning':
      return { ...s, feedbackWarning: a.message };
    case 'signed':
      return { ...s, uncovered: [], created: a.rx };
    case 'signFailed':
      return { ...s, signError: a.error };
    case 'sendStarted':
      return { ...s, busy: 'sending', sendError: undefined };
    case 'sendFailed':
      return { ...s, sendError: a.error };
    case 'stepUp':
      return a.cancelled
        ? {
            ...s,
            stepUp: false,
            sendError: new Error('Sending was cancelled: verification is required for a controlled substance.'),
          }
        : { ...s, stepUp: a.open };
  }
}
