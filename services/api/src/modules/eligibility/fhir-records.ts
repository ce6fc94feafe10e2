import type { Benefit, Eligibility271 } from '@wintehr/x12';

/**
 * The FHIR trail of an eligibility check: CoverageEligibilityRequest, CoverageEligibilityResponse and the raw
 * X12 as Binary (readable only with access to the patient: securityContext). Pure builders.
 */
export const X12_SERVICE_TYPE_SYSTEM = 'https://x12.org/codes/service-type-codes';
export const X12_EB01_SYSTEM = 'http://wintehr.org/fhir/CodeSystem/x12-eligibility-benefit';
export const X12_AAA_SYSTEM = 'http://wintehr.org/fhir/CodeSystem/x12-reject-reason';
export const TRACE_SYSTEM = 'http://wintehr.org/fhir/sid/eligibility-trace';
export const RAW_X12_EXTENSION = 'http://wintehr.org/fhir/StructureDefinition/raw-x12';

export function x12Binary(x12: string, patientId: string): fhir4.Binary {
  return {
    resourceType: 'Binary',
    contentType: 'application/edi-x12',
    securityContext: { reference: `Patient/${patientId}` },
    data: Buffer.from(x12, 'utf8').toString('base64'),
  };
}

const rawRef = (binaryId: string): fhir4.Extension => ({
  url: RAW_X12_EXTENSION,
  valueReference: { reference: `Binary/${binaryId}` },
});

export function eligibilityRequest(o: {
  patientId: string;
  coverageId: string;
  payerId: string;
  providerRef?: string;
  serviceDate: string;
  serviceTypes: string[];
  traceNumber: string;
  created: string;
  binaryId: string;
}): fhir4.CoverageEligibilityRequest {
  return {
    resourceType: 'CoverageEligibilityRequest',
    extension: [rawRef(o.binaryId)],
    identifier: [{ system: TRACE_SYSTEM, value: o.traceNumber }],
    status: 'active',
    purpose: ['validation', 'benefits'],
    patient: { reference: `Patient/${o.patientId}` },
    servicedDate: o.serviceDate,
    created: o.created,
    ...(o.providerRef ? { provider: { reference: o.providerRef } } : {}),
    insurer: { reference: `Organization/${o.payerId}` },
    insurance: [{ focal: true, coverage: { reference: `Coverage/${o.coverageId}` } }],
    item: o.serviceTypes.map((code) => ({ category: { coding: [{ system: X12_SERVICE_TYPE_SYSTEM, code }] } })),
  };
}

const TERM: Record<string, fhir4.CodeableConcept['coding']> = {
  '23': [{ system: 'http://terminology.hl7.org/CodeSystem/benefit-term', code: 'annual' }],
  '32': [{ system: 'http://terminology.hl7.org/CodeSystem/benefit-term', code: 'lifetime' }],
  '7': [{ system: 'http://terminology.hl7.org/CodeSystem/benefit-term', code: 'day' }],
};
const UNIT: Record<string, string> = { IND: 'individual', FAM: 'family' };

function item(b: Benefit): fhir4.CoverageEligibilityResponseInsuranceItem {
  const type: fhir4.CodeableConcept = { coding: [{ system: X12_EB01_SYSTEM, code: b.code, display: b.description }] };
  const benefit: fhir4.CoverageEligibilityResponseInsuranceItemBenefit[] = [];
  if (b.amount !== undefined) benefit.push({ type, allowedMoney: { value: b.amount, currency: 'USD' } });
  if (b.percent !== undefined) benefit.push({ type, allowedString: `${b.percent}%` });
  // An item needs a category (invariant ces-1); a benefit without service types is about the plan as a whole (30).
  const st = b.serviceTypes[0] ?? { code: '30', description: 'Health Benefit Plan Coverage' };
  return {
    category: { coding: [{ system: X12_SERVICE_TYPE_SYSTEM, code: st.code, display: st.description }] },
    ...(b.inNetwork !== undefined
      ? {
          network: {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/benefit-network', code: b.inNetwork ? 'in' : 'out' },
            ],
          },
        }
      : {}),
    ...(b.coverageLevel && UNIT[b.coverageLevel.code]
      ? {
          unit: {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/benefit-unit', code: UNIT[b.coverageLevel.code] },
            ],
          },
        }
      : {}),
    ...(b.timePeriod && TERM[b.timePeriod.code] ? { term: { coding: TERM[b.timePeriod.code] } } : {}),
    ...(b.authorizationRequired !== undefined ? { authorizationRequired: b.authorizationRequired } : {}),
    description: [b.description, b.planDescription, ...b.serviceTypes.map((s) => s.description), ...b.messages]
      .filter(Boolean)
      .join(' · ')
      .slice(0, 1000),
    ...(benefit.length ? { benefit } : {}),
  };
}

export function eligibilityResponse(o: {
  patientId: string;
  coverageId: string;
  payerId: string;
  requestId: string;
  created: string;
  serviceDate: string;
  binaryId: string;
  answer: Eligibility271;
}): fhir4.CoverageEligibilityResponse {
  const a = o.answer;
  const member = a.dependent ?? a.subscriber;
  const rejected = a.rejections.length > 0;
  return {
    resourceType: 'CoverageEligibilityResponse',
    extension: [rawRef(o.binaryId)],
    status: 'active',
    purpose: ['validation', 'benefits'],
    patient: { reference: `Patient/${o.patientId}` },
    servicedDate: o.serviceDate,
    created: o.created,
    request: { reference: `CoverageEligibilityRequest/${o.requestId}` },
    outcome: rejected ? 'error' : 'complete',
    disposition: rejected
      ? a.rejections.map((r) => r.message).join(' ')
      : a.active === true
        ? `Active coverage${a.planName ? `: ${a.planName}` : ''}`
        : a.active === false
          ? 'Coverage inactive'
          : 'Eligibility not stated',
    insurer: { reference: `Organization/${o.payerId}` },
    ...(rejected
      ? {
          error: a.rejections.map((r) => ({
            code: { coding: [{ system: X12_AAA_SYSTEM, code: r.reasonCode }], text: r.message },
          })),
        }
      : {
          insurance: [
            {
              coverage: { reference: `Coverage/${o.coverageId}` },
              ...(a.active !== undefined ? { inforce: a.active } : {}),
              ...(member?.benefits.length ? { item: member.benefits.map(item) } : {}),
            },
          ],
        }),
  };
}

/** Where a failed check says what went wrong (our error codes: CLEARINGHOUSE_TIMEOUT, CLEARINGHOUSE_ERROR, ...). */
export const CHECK_FAILURE_SYSTEM = 'http://wintehr.org/fhir/CodeSystem/eligibility-check-failure';

/**
 * A check that got no usable answer (clearinghouse down, timed out, 5xx, malformed 271) is still recorded: the
 * request stays linked to a response with outcome `error`, so the chart and an audit show the attempt and why.
 */
export function failedEligibilityResponse(o: {
  patientId: string;
  coverageId: string;
  payerId: string;
  requestId: string;
  created: string;
  serviceDate: string;
  code: string;
  message: string;
}): fhir4.CoverageEligibilityResponse {
  return {
    resourceType: 'CoverageEligibilityResponse',
    status: 'active',
    purpose: ['validation', 'benefits'],
    patient: { reference: `Patient/${o.patientId}` },
    servicedDate: o.serviceDate,
    created: o.created,
    request: { reference: `CoverageEligibilityRequest/${o.requestId}` },
    outcome: 'error',
    disposition: o.message.slice(0, 500),
    insurer: { reference: `Organization/${o.payerId}` },
    error: [{ code: { coding: [{ system: CHECK_FAILURE_SYSTEM, code: o.code }], text: o.message.slice(0, 500) } }],
  };
}
