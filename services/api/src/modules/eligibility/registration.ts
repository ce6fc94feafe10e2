import type { EligibilityOutcome, RegistrationInsurance } from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import { AppError } from '../../core/errors';
import { outcomeOf } from './batch-outcome';
import { checkEligibility } from './eligibility.service';
import { X12_PAYER_ID_SYSTEM } from './inquiry';

/**
 * Insurance at registration (issue 17): the payer named by its clearinghouse payer id, a Coverage for the new patient
 * as its own subscriber, then a real-time check. The check never fails the registration: a payer rejection or a
 * clearinghouse outage comes back as the outcome ("not checked (clearinghouse unavailable)").
 */
export async function payerByX12Id(deps: Pick<AppDeps, 'fhir'>, payerId: string): Promise<fhir4.Organization> {
  const found = await deps.fhir.searchResources('Organization', {
    identifier: `${X12_PAYER_ID_SYSTEM}|${payerId}`,
    _count: 2,
  });
  const payer = found[0];
  if (!payer?.id)
    throw new AppError(422, 'UNKNOWN_PAYER', `No payer with the clearinghouse payer id ${payerId} is on file`, {
      field: 'body.insurance.payerId',
    });
  return payer;
}

export function registrationCoverage(
  patientId: string,
  payer: fhir4.Organization,
  insurance: RegistrationInsurance,
): fhir4.Coverage {
  return {
    resourceType: 'Coverage',
    status: 'active',
    beneficiary: { reference: `Patient/${patientId}` },
    subscriber: { reference: `Patient/${patientId}` },
    subscriberId: insurance.memberId,
    relationship: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship', code: 'self' }],
    },
    payor: [{ reference: `Organization/${payer.id}`, ...(payer.name ? { display: payer.name } : {}) }],
    ...(insurance.groupNumber
      ? {
          class: [
            {
              type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'group' }] },
              value: insurance.groupNumber,
            },
          ],
        }
      : {}),
  };
}

export async function coverAndCheck(
  deps: AppDeps,
  o: { patientId: string; payer: fhir4.Organization; insurance: RegistrationInsurance; practitionerId?: string },
): Promise<{ coverageId: string; outcome: EligibilityOutcome }> {
  const coverage = await deps.fhir.create(registrationCoverage(o.patientId, o.payer, o.insurance));
  const r = await checkEligibility(deps, {
    patientId: o.patientId,
    practitionerId: o.practitionerId,
    body: { coverageId: coverage.id },
  }).then(
    (ok) => ({ ok }),
    (error: unknown) => ({ error }),
  );
  try {
    return { coverageId: coverage.id!, outcome: outcomeOf(r, coverage.id) };
  } catch (err) {
    // The patient and the coverage exist: an unexpected check error is reported, not turned into a failed registration.
    deps.logger.warn({ err: { message: (err as Error).message } }, 'eligibility check at registration failed');
    return {
      coverageId: coverage.id!,
      outcome: { state: 'not-checked', coverageId: coverage.id, code: 'CHECK_FAILED', message: 'not checked (error)' },
    };
  }
}
