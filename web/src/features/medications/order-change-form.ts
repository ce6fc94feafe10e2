/**
 * Forms of medication management (pure): modify and renew built from the order on screen, the coded discontinue
 * reasons, and the reconciliation decisions (defaults per line, the prescription an "add to orders" places).
 */
import {
  ROUTES as ROUTE_CODES,
  RXNORM,
  type ModifyRequest,
  type PrescribeRequest,
  type ReconciliationLine,
  type ReconciliationRequest,
  type RenewRequest,
} from '@wintehr/contracts';
import { FREQUENCIES, type FrequencyId } from './prescription';

export const STATUS_REASON_SYSTEM = 'http://terminology.hl7.org/CodeSystem/medicationrequest-status-reason';

/** Why an order is stopped (HL7 medicationrequest-status-reason), as the discontinue dialog offers them. */
export const DISCONTINUE_REASONS = [
  { code: 'altchoice', display: 'Try another treatment first' },
  { code: 'sintol', display: 'Suspected intolerance' },
  { code: 'salg', display: 'Allergy' },
  { code: 'sddi', display: 'Drug interacts with another drug' },
  { code: 'sdupther', display: 'Duplicate therapy' },
  { code: 'drughigh', display: 'Drug level too high' },
  { code: 'clarif', display: 'Prescription requires clarification' },
  { code: 'hospadm', display: 'Admission to hospital' },
  { code: 'surg', display: 'Patient scheduled for surgery' },
  { code: 'preg', display: 'Parent is pregnant/breast feeding' },
  { code: 'washout', display: 'Waiting for old drug to wash out' },
] as const;

export function discontinueBody(code: string, text: string, version?: string) {
  const coded = DISCONTINUE_REASONS.find((r) => r.code === code);
  const reason = text.trim() || coded?.display || '';
  return {
    reason,
    ...(coded ? { reasonCode: { system: STATUS_REASON_SYSTEM, code: coded.code, display: coded.display } } : {}),
    ...(version ? { ifMatch: version } : {}),
  };
}

export interface DosageForm {
  doseValue: string;
  doseUnit: string;
  route: string;
  frequencyId: FrequencyId;
}

const routeName = (code: string | undefined) =>
  Object.entries(ROUTE_CODES).find(([, v]) => v.code === code)?.[0] ?? 'oral';

/** The structured dosage of an order as the modify form starts it. */
export function dosageFormOf(mr: fhir4.MedicationRequest): DosageForm {
  const d = mr.dosageInstruction?.[0];
  const dose = d?.doseAndRate?.[0]?.doseQuantity;
  const r = d?.timing?.repeat;
  const freq = FREQUENCIES.find(
    (f) =>
      f.frequency === (r?.frequency ?? 1) && f.period === (r?.period ?? 1) && f.periodUnit === (r?.periodUnit ?? 'd'),
  );
  return {
    doseValue: dose?.value !== undefined ? String(dose.value) : '',
    doseUnit: dose?.code ?? '{tablet}',
    route: routeName(d?.route?.coding?.find((c) => c.code)?.code),
    frequencyId: freq?.id ?? 'QD',
  };
}

export function dosageProblem(f: DosageForm): string | undefined {
  const v = Number(f.doseValue);
  if (!f.doseValue.trim() || !Number.isFinite(v) || v <= 0) return 'Enter a dose greater than 0';
  return undefined;
}

type Override = { reason: string; findingIds?: string[] };

export function modifyBody(
  f: DosageForm,
  version: string | undefined,
  reason: string,
  override?: Override,
): ModifyRequest {
  const freq = FREQUENCIES.find((x) => x.id === f.frequencyId)!;
  return {
    dosage: {
      dose: { value: Number(f.doseValue), unit: f.doseUnit },
      route: f.route,
      frequency: freq.frequency,
      period: freq.period,
      periodUnit: freq.periodUnit,
    },
    ...(version ? { ifMatch: version } : {}),
    ...(reason.trim().length >= 3 ? { reason: reason.trim() } : {}),
    ...(override ? { override } : {}),
  };
}

export interface RenewForm {
  quantity: string;
  refills: string;
  daysSupply: string;
}

export function renewFormOf(mr: fhir4.MedicationRequest): RenewForm {
  const d = mr.dispenseRequest;
  return {
    quantity: d?.quantity?.value !== undefined ? String(d.quantity.value) : '',
    refills: String(d?.numberOfRepeatsAllowed ?? 0),
    daysSupply: String(d?.expectedSupplyDuration?.value ?? 30),
  };
}

export function renewProblem(f: RenewForm): string | undefined {
  const q = Number(f.quantity);
  const r = Number(f.refills);
  const days = Number(f.daysSupply);
  if (!(q > 0)) return 'Quantity must be greater than 0';
  if (!Number.isInteger(r) || r < 0 || r > 11) return 'Refills: 0 to 11';
  if (!Number.isInteger(days) || days < 1 || days > 365) return 'Days supply: 1 to 365';
  return undefined;
}

export function renewBody(
  f: RenewForm,
  mr: fhir4.MedicationRequest,
  version: string | undefined,
  override?: Override,
): RenewRequest {
  const unit = mr.dispenseRequest?.quantity?.code ?? mr.dispenseRequest?.quantity?.unit ?? '{tablet}';
  return {
    dispense: {
      quantity: { value: Number(f.quantity), unit },
      numberOfRepeatsAllowed: Number(f.refills),
      expectedSupplyDays: Number(f.daysSupply),
    },
    ...(version ? { ifMatch: version } : {}),
    ...(override ? { override } : {}),
  };
}

// ---- reconciliation ------------------------------------------------------------------------------------

export type Action = 'continue' | 'discontinue' | 'add-to-orders' | 'mark-not-taking' | 'skip';

/** Which decisions make sense for a line: only an ordered drug can be continued as an order or discontinued. */
export function actionsFor(line: ReconciliationLine): Action[] {
  const out: Action[] = ['skip'];
  if (line.order) out.push('continue', 'discontinue');
  else if (prescriptionFromLine(line)) out.push('add-to-orders');
  if (line.order || line.patientReported) out.push('mark-not-taking');
  return out;
}

export const ACTION_LABELS: Record<Action, string> = {
  skip: 'No decision',
  continue: 'Continue',
  discontinue: 'Discontinue',
  'add-to-orders': 'Add to orders',
  'mark-not-taking': 'Not taking',
};

/** Doses a day from a written sig ("twice daily", "every 8 hours"), 1 when it says nothing clearer. */
export function frequencyFromSig(sig: string | undefined): FrequencyId {
  const s = (sig ?? '').toLowerCase();
  if (/\b(twice|two times|2 times|bid)\b/.test(s)) return 'BID';
  if (/\b(three times|3 times|tid)\b/.test(s)) return 'TID';
  if (/\b(four times|4 times|qid)\b/.test(s)) return 'QID';
  const hours = /every (\d+) hours?/.exec(s)?.[1];
  const byHours = FREQUENCIES.find((f) => f.periodUnit === 'h' && String(f.period) === hours);
  return byHours?.id ?? 'QD';
}

/**
 * The prescription "add to orders" places for a drug seen only outside (history) or on the patient's list: the
 * product and sig of the latest fill, one unit per dose. Undefined when there is no RxNorm product to order.
 */
export function prescriptionFromLine(line: ReconciliationLine): PrescribeRequest | undefined {
  const code = line.history?.rxnorm ?? line.patientReported?.rxnorm;
  if (!code) return undefined;
  const name = (line.history?.display ?? line.patientReported?.display ?? '').toLowerCase();
  const unit = /capsule/.test(name) ? '{capsule}' : /tablet/.test(name) ? '{tablet}' : undefined;
  if (!unit) return undefined; // inhalers, liquids ...: dose and quantity need the prescriber, use Prescribe
  const freq = FREQUENCIES.find(
    (f) => f.id === frequencyFromSig(line.history?.sig ?? line.patientReported?.dosageText),
  )!;
  return {
    medication: { system: RXNORM, code },
    dosage: {
      dose: { value: 1, unit },
      route: 'oral',
      frequency: freq.frequency,
      period: freq.period,
      periodUnit: freq.periodUnit,
      ...(line.history?.sig ? { text: line.history.sig } : {}),
    },
    dispense: { quantity: { value: 30 * freq.frequency, unit }, numberOfRepeatsAllowed: 0, expectedSupplyDays: 30 },
    reason: { text: 'Continued from medication reconciliation' },
  };
}

export interface LineChoice {
  action: Action;
  reason: string;
  override?: string;
}

/** The default: what the line suggests (an order the patient also reports or fills is continued). */
export function defaultChoice(line: ReconciliationLine): LineChoice {
  return { action: line.order && line.status === 'matched' ? 'continue' : 'skip', reason: '' };
}

export function choiceProblem(line: ReconciliationLine, c: LineChoice): string | undefined {
  if (c.action === 'discontinue' && c.reason.trim().length < 3) return 'Give a reason (at least 3 characters)';
  if (c.override !== undefined && c.override.trim().length < 5) return 'An override reason needs at least 5 characters';
  if (!actionsFor(line).includes(c.action)) return 'Not possible for this line';
  return undefined;
}

export function reconciliationBody(
  lines: readonly ReconciliationLine[],
  choices: Readonly<Record<string, LineChoice>>,
  note: string,
): ReconciliationRequest | undefined {
  const decisions: ReconciliationRequest['decisions'] = [];
  for (const line of lines) {
    const c = choices[line.key];
    if (!c || c.action === 'skip') continue;
    const reason = c.reason.trim();
    const base = { lineKey: line.key, ...(reason.length >= 3 ? { reason } : {}) };
    if (c.action === 'add-to-orders') {
      const rx = prescriptionFromLine(line)!;
      decisions.push({
        ...base,
        action: 'add-to-orders',
        prescription: c.override ? { ...rx, override: { reason: c.override.trim() } } : rx,
      });
    } else {
      decisions.push({
        ...base,
        action: c.action,
        ...(line.order ? { medicationRequestId: line.order.medicationRequestId } : {}),
        ...(line.patientReported && c.action !== 'discontinue'
          ? { medicationStatementId: line.patientReported.medicationStatementId }
          : {}),
      });
    }
  }
  if (!decisions.length) return undefined;
  return { decisions, ...(note.trim() ? { note: note.trim() } : {}) };
}
