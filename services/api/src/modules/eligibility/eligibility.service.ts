import { randomInt, randomUUID } from 'node:crypto';
import { build270, read271, read999, readTa1, X12SyntaxError, type Eligibility271 } from '@wintehr/x12';
import type { EligibilityCheckBody, EligibilityResult } from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import { AppError, ServiceUnavailableError } from '../../core/errors';
import { idFromReference, readOr404 } from '../../core/fhir/fhir-kit';
import { answersOurInquiry, rejectionError, toResult } from './answer';
import { ClearinghouseTimeout, ClearinghouseUnreachable, postRealtime } from './clearinghouse';
import { eligibilityRequest, eligibilityResponse, failedEligibilityResponse, x12Binary } from './fhir-records';
import { memberIdOf, patientIsSubscriber, providerOf, toInquiry } from './inquiry';

const badGateway = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(502, code, message, details);
const PAYLOAD_271 = 'X12_271_Response_005010X279A1';

export interface CheckOutcome {
  result: EligibilityResult;
  /** Ids only, for the audit record. */
  audit: Record<string, unknown>;
}

/** The Coverage to check: the one named (it must be this patient's), else the patient's active one. */
async function coverageFor(deps: AppDeps, patientId: string, coverageId?: string): Promise<fhir4.Coverage> {
  if (coverageId) {
    const c = await readOr404(deps, 'Coverage', coverageId);
    if (c.beneficiary?.reference !== `Patient/${patientId}`)
      throw new AppError(404, 'RESOURCE_NOT_FOUND', `Coverage with ID '${coverageId}' not found for this patient`, {
        resourceType: 'Coverage',
        resourceId: coverageId,
      });
    return c;
  }
  const active = await deps.fhir.searchResources('Coverage', {
    beneficiary: `Patient/${patientId}`,
    status: 'active',
    _sort: '-_lastUpdated',
    _count: '5',
  });
  const c = active[0];
  if (!c)
    throw new AppError(
      422,
      'NO_ACTIVE_COVERAGE',
      'The patient has no active coverage to check: record the insurance first',
    );
  return c;
}

/**
 * One real-time eligibility check: FHIR → 270 → clearinghouse → 271 → business answer, with the request,
 * response and both raw X12 messages stored in HAPI. Transport and payer failures become clear 5xx/422 answers.
 */
export async function checkEligibility(
  deps: AppDeps,
  o: { patientId: string; practitionerId?: string; body: EligibilityCheckBody; now?: Date },
): Promise<CheckOutcome> {
  const cfg = deps.config.eligibility;
  const now = o.now ?? new Date();
  const serviceDate = o.body.serviceDate ?? now.toISOString().slice(0, 10);
  const serviceTypes = o.body.serviceTypes ?? ['30'];

  const patient = await readOr404(deps, 'Patient', o.patientId);
  const coverage = await coverageFor(deps, o.patientId, o.body.coverageId);
  const payerId = idFromReference(coverage.payor?.[0]?.reference, 'Organization');
  if (!payerId)
    throw new AppError(422, 'ELIGIBILITY_DATA_MISSING', 'The coverage names no payer organization', {
      coverageId: coverage.id,
    });
  const [payer, practitioner, subscriber] = await Promise.all([
    readOr404(deps, 'Organization', payerId),
    o.practitionerId ? deps.fhir.read('Practitioner', o.practitionerId).catch(() => undefined) : undefined,
    patientIsSubscriber(coverage, o.patientId) ? undefined : readSubscriber(deps, coverage),
  ]);
  const traceNumber = randomUUID().replace(/-/g, '').slice(0, 30);
  const x270 = build270(
    toInquiry(
      {
        patient,
        coverage,
        subscriber,
        payer,
        provider: providerOf(practitioner, { npi: cfg.providerNpi, name: cfg.providerName }),
      },
      {
        serviceDate,
        serviceTypes,
        at: now,
        controlNumber: randomInt(1, 999_999_999),
        traceNumber,
        senderId: cfg.senderId,
        receiverId: cfg.receiverId,
      },
    ),
  );

  const created = now.toISOString();
  const bin270 = await deps.fhir.create(x12Binary(x270, o.patientId));
  const request = await deps.fhir.create(
    eligibilityRequest({
      patientId: o.patientId,
      coverageId: coverage.id!,
      payerId,
      providerRef: practitioner?.id ? `Practitioner/${practitioner.id}` : undefined,
      serviceDate,
      serviceTypes,
      traceNumber,
      created,
      binaryId: bin270.id!,
    }),
  );
  const audit: Record<string, unknown> = { coverageId: coverage.id, requestId: request.id };

  let x271: string;
  let answer: Eligibility271;
  try {
    x271 = await exchange(cfg, x270, now);
    answer = readAnswer(x271, traceNumber);
  } catch (e) {
    if (e instanceof AppError && e.status >= 502 && e.status <= 504) {
      // The attempt is kept (outcome error) so the chart and the audit show it; storing it must not hide the cause.
      const failed = await deps.fhir
        .create(
          failedEligibilityResponse({
            patientId: o.patientId,
            coverageId: coverage.id!,
            payerId,
            requestId: request.id!,
            created: new Date().toISOString(),
            serviceDate,
            code: e.code,
            message: e.message,
          }),
        )
        .catch(() => undefined);
      Object.assign(audit, { responseId: failed?.id, outcome: 'error' });
      const details = {
        ...(e.details && !Array.isArray(e.details) ? e.details : {}),
        eligibilityRequestId: request.id,
        ...(failed?.id ? { eligibilityResponseId: failed.id } : {}),
      };
      throw Object.assign(new AppError(e.status, e.code, e.message, details, e.headers), { audit });
    }
    throw e;
  }

  const bin271 = await deps.fhir.create(x12Binary(x271, o.patientId));
  const response = await deps.fhir.create(
    eligibilityResponse({
      patientId: o.patientId,
      coverageId: coverage.id!,
      payerId,
      requestId: request.id!,
      created: new Date().toISOString(),
      serviceDate,
      binaryId: bin271.id!,
      answer,
    }),
  );
  Object.assign(audit, {
    responseId: response.id,
    outcome: response.outcome,
    aaa: answer.rejections.map((r) => r.reasonCode),
  });
  if (answer.rejections.length) throw Object.assign(rejectionError(answer.rejections, response.id!), { audit });
  return {
    result: toResult(answer, {
      coverageId: coverage.id!,
      requestId: request.id!,
      responseId: response.id!,
      memberId: memberIdOf(coverage)!,
      serviceDate,
      checkedAt: created,
    }),
    audit,
  };
}

/** The 271 read and matched to our inquiry, or the 502 that says why it cannot be used. */
function readAnswer(x271: string, traceNumber: string): Eligibility271 {
  let answer: Eligibility271;
  try {
    answer = read271(x271);
  } catch (e) {
    if (e instanceof X12SyntaxError)
      throw badGateway(
        'CLEARINGHOUSE_BAD_RESPONSE',
        'The clearinghouse answered with a malformed 271; the eligibility is unknown. Try again later.',
        { reason: e.message },
      );
    throw e;
  }
  if (!answersOurInquiry(answer, traceNumber))
    throw badGateway(
      'CLEARINGHOUSE_BAD_RESPONSE',
      'The clearinghouse answered a different inquiry (trace number mismatch)',
    );
  return answer;
}

async function readSubscriber(
  deps: AppDeps,
  coverage: fhir4.Coverage,
): Promise<fhir4.Patient | fhir4.RelatedPerson | undefined> {
  const ref = coverage.subscriber?.reference ?? '';
  const [type, id] = ref.split('/');
  if (!id || (type !== 'Patient' && type !== 'RelatedPerson')) return undefined;
  return deps.fhir.read(type, id).catch(() => undefined);
}

/** Sends the 270 and returns the 271 text, or throws the gateway error that says what went wrong. */
async function exchange(cfg: AppDeps['config']['eligibility'], x270: string, now: Date): Promise<string> {
  let a;
  try {
    a = await postRealtime(cfg, x270, now);
  } catch (e) {
    if (e instanceof ClearinghouseTimeout) {
      throw new AppError(
        504,
        'CLEARINGHOUSE_TIMEOUT',
        `The clearinghouse did not answer within ${Math.round(cfg.timeoutMs / 100) / 10} s; eligibility could not be checked. Try again in a few minutes.`,
      );
    }
    if (e instanceof ClearinghouseUnreachable)
      throw new ServiceUnavailableError(
        'CLEARINGHOUSE_UNAVAILABLE',
        'The clearinghouse cannot be reached; eligibility could not be checked.',
      );
    throw e;
  }
  const f = a.fields;
  if (a.status >= 500)
    throw badGateway(
      'CLEARINGHOUSE_ERROR',
      `The clearinghouse failed (HTTP ${a.status}); eligibility could not be checked. Try again later.`,
    );
  if (a.status !== 200 || (f.ErrorCode && f.ErrorCode !== 'Success')) {
    throw badGateway(
      'CLEARINGHOUSE_REFUSED',
      `The clearinghouse refused the request (${f.ErrorCode ?? `HTTP ${a.status}`})`,
      { errorCode: f.ErrorCode, status: a.status },
    );
  }
  const payload = f.Payload ?? '';
  // TA1/999: the clearinghouse found our X12 malformed. That is our fault, never the user's: 502 with its words.
  if (f.PayloadType?.startsWith('X12_TA1')) {
    const ta1 = safely(() => readTa1(payload).message);
    throw badGateway(
      'CLEARINGHOUSE_REJECTED_X12',
      `The clearinghouse rejected the interchange: ${ta1 ?? 'unreadable TA1'}`,
    );
  }
  if (f.PayloadType?.startsWith('X12_999')) {
    const ack = safely(() => read999(payload).messages);
    throw badGateway('CLEARINGHOUSE_REJECTED_X12', 'The clearinghouse rejected the 270 as malformed', {
      errors: ack ?? ['unreadable 999'],
    });
  }
  if (f.PayloadType !== PAYLOAD_271)
    throw badGateway(
      'CLEARINGHOUSE_BAD_RESPONSE',
      `The clearinghouse answered an unexpected payload type "${(f.PayloadType ?? '').slice(0, 60)}"`,
    );
  return payload;
}

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
