import { randomUUID } from 'node:crypto';
import { WINTEHR_EXT } from '../../core/fhir/fhir-kit';
import { analyte, rangeFor, type Range } from './analytes';
import { interpret, interpretationConcept, isCritical, type Interpretation } from './interpretation';
import type { IngestBody } from '@wintehr/contracts';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const EXT_ACKNOWLEDGED = `${WINTEHR_EXT}/acknowledged`;
export const EXT_ESCALATION_LEVEL = `${WINTEHR_EXT}/escalation-level`;
export const ACCESSION_SYSTEM = 'urn:wintehr:lab-accession';

export interface UnitProblem {
  field: string;
  message: string;
}

/** Pure: every observation names a known analyte in its UCUM unit (400 problems otherwise). */
export function observationProblems(body: IngestBody): UnitProblem[] {
  const problems: UnitProblem[] = [];
  body.observations.forEach((o, i) => {
    const x = analyte(o.code);
    if (!x)
      problems.push({
        field: `body.observations.${i}.code`,
        message: `LOINC ${o.code} is not a result code this system knows`,
      });
    else if (o.unit !== x.ucum)
      problems.push({
        field: `body.observations.${i}.unit`,
        message: `${x.display} is reported in ${x.ucum} (UCUM), not ${o.unit}`,
      });
  });
  return problems;
}

export interface InterpretedObservation {
  fullUrl: string;
  resource: fhir4.Observation;
  interpretation: Interpretation;
  code: string;
}

export interface ResultTransaction {
  bundle: fhir4.Bundle;
  observations: InterpretedObservation[];
  critical: InterpretedObservation[];
  /** Index of each kind of entry in the bundle (the response keeps the order). */
  index: { report: number; observations: number[]; serviceRequest: number; flag?: number; communication?: number };
}

/**
 * Pure: the one transaction that files a lab result: Observations (interpreted against the reference range and the
 * critical limits), the DiagnosticReport basedOn the order, the order completed (If-Match on the version read),
 * and for critical values a Flag on the chart plus a Communication to the ordering provider.
 */
export function buildResultTransaction(
  body: IngestBody,
  o: { order: fhir4.ServiceRequest; patient: fhir4.Patient; now: Date },
): ResultTransaction {
  const patientRef = { reference: `Patient/${o.patient.id}` };
  const orderRef = { reference: `ServiceRequest/${o.order.id}` };
  const issued = body.report.issued ?? o.now.toISOString();
  const effective = body.report.effectiveDateTime ?? issued;
  const performer = body.report.performer ? [{ display: body.report.performer }] : undefined;

  const observations: InterpretedObservation[] = body.observations.map((input) => {
    const x = analyte(input.code)!;
    const range: Range = input.referenceRange ?? rangeFor(x, o.patient.gender);
    const interpretation = interpret(input.value, range, { low: x.criticalLow, high: x.criticalHigh });
    const q = (value: number) => ({ value, unit: x.ucum, system: UCUM, code: x.ucum });
    const resource: fhir4.Observation = {
      resourceType: 'Observation',
      status: body.report.status,
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/observation-category',
              code: 'laboratory',
              display: 'Laboratory',
            },
          ],
        },
      ],
      code: { coding: [{ system: LOINC, code: x.code, display: x.display }], text: x.display },
      subject: patientRef,
      basedOn: [orderRef],
      effectiveDateTime: input.effectiveDateTime ?? effective,
      issued,
      valueQuantity: q(input.value),
      interpretation: [interpretationConcept(interpretation)],
      referenceRange: [
        {
          ...(range.low !== undefined ? { low: q(range.low) } : {}),
          ...(range.high !== undefined ? { high: q(range.high) } : {}),
          ...(range.text ? { text: range.text } : {}),
        },
      ],
      ...(performer ? { performer } : {}),
      ...(input.note ? { note: [{ text: input.note }] } : {}),
    };
    return { fullUrl: `urn:uuid:${randomUUID()}`, resource, interpretation, code: x.code };
  });
  const critical = observations.filter((x) => isCritical(x.interpretation));

  const reportUrl = `urn:uuid:${randomUUID()}`;
  const report: fhir4.DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    ...(body.report.accession ? { identifier: [{ system: ACCESSION_SYSTEM, value: body.report.accession }] } : {}),
    basedOn: [orderRef],
    status: body.report.status,
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB', display: 'Laboratory' }] },
    ],
    code: o.order.code ?? { text: 'Laboratory report' },
    subject: patientRef,
    ...(o.order.encounter ? { encounter: o.order.encounter } : {}),
    effectiveDateTime: effective,
    issued,
    ...(performer ? { performer } : {}),
    result: observations.map((x) => ({ reference: x.fullUrl })),
    ...(body.report.conclusion ? { conclusion: body.report.conclusion } : {}),
  };

  const entries: fhir4.BundleEntry[] = [
    ...observations.map((x) => ({
      fullUrl: x.fullUrl,
      resource: x.resource,
      request: { method: 'POST' as const, url: 'Observation' },
    })),
    { fullUrl: reportUrl, resource: report, request: { method: 'POST', url: 'DiagnosticReport' } },
    {
      resource: { ...o.order, status: body.report.status === 'final' ? 'completed' : o.order.status },
      request: {
        method: 'PUT',
        url: `ServiceRequest/${o.order.id}`,
        ...(o.order.meta?.versionId ? { ifMatch: `W/"${o.order.meta.versionId}"` } : {}),
      },
    },
  ];
  const index: ResultTransaction['index'] = {
    observations: observations.map((_, i) => i),
    report: observations.length,
    serviceRequest: observations.length + 1,
  };

  if (critical.length) {
    const what = critical
      .map(
        (x) =>
          `${x.resource.code.text} ${x.resource.valueQuantity!.value} ${x.resource.valueQuantity!.unit} (${x.interpretation})`,
      )
      .join('; ');
    index.flag = entries.length;
    entries.push({
      fullUrl: `urn:uuid:${randomUUID()}`,
      resource: {
        resourceType: 'Flag',
        status: 'active',
        category: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'lab', display: 'Lab' }] },
        ],
        code: {
          coding: [
            {
              system: `${WINTEHR_EXT.replace('StructureDefinition', 'CodeSystem')}/flag`,
              code: 'critical-result',
              display: 'Critical result awaiting acknowledgement',
            },
          ],
          text: `Critical result: ${what}`,
        },
        subject: patientRef,
        period: { start: o.now.toISOString() },
        extension: [
          { url: 'http://hl7.org/fhir/StructureDefinition/flag-detail', valueReference: { reference: reportUrl } },
        ],
      } satisfies fhir4.Flag,
      request: { method: 'POST', url: 'Flag' },
    });
    const orderer = o.order.requester?.reference;
    if (orderer?.startsWith('Practitioner/')) {
      index.communication = entries.length;
      entries.push({
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: criticalCommunication({
          patientRef,
          reportRef: reportUrl,
          recipients: [orderer],
          text: `Critical result: ${what}. Please acknowledge.`,
          level: 0,
          now: o.now,
        }),
        request: { method: 'POST', url: 'Communication' },
      });
    }
  }
  return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries }, observations, critical, index };
}

/** Pure: the alert Communication (to the orderer at level 0, to the care team / covering physician when escalated). */
export function criticalCommunication(o: {
  patientRef: fhir4.Reference;
  reportRef: string;
  recipients: string[];
  text: string;
  level: number;
  now: Date;
}): fhir4.Communication {
  return {
    resourceType: 'Communication',
    status: 'completed',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: 'alert', display: 'Alert' },
        ],
      },
    ],
    priority: 'stat',
    subject: o.patientRef,
    about: [{ reference: o.reportRef }],
    recipient: o.recipients.map((reference) => ({ reference })),
    sent: o.now.toISOString(),
    payload: [{ contentString: o.text }],
    extension: [{ url: EXT_ESCALATION_LEVEL, valueInteger: o.level }],
  };
}

/** Pure: the acknowledged extension (who, when) added to a resource; the CDS service reads the same URL. */
export function withAcknowledgement<R extends fhir4.DiagnosticReport | fhir4.Observation>(
  r: R,
  by: fhir4.Reference,
  at: Date,
): R {
  return {
    ...r,
    extension: [
      ...(r.extension ?? []).filter((e) => e.url !== EXT_ACKNOWLEDGED),
      {
        url: EXT_ACKNOWLEDGED,
        extension: [
          { url: 'by', valueReference: by },
          { url: 'at', valueDateTime: at.toISOString() },
        ],
      },
    ],
  };
}

export function acknowledgementOf(r: fhir4.DomainResource): { by?: string; at?: string } | undefined {
  const ext = r.extension?.find((e) => e.url === EXT_ACKNOWLEDGED);
  if (!ext) return undefined;
  return {
    by: ext.extension?.find((e) => e.url === 'by')?.valueReference?.reference,
    at: ext.extension?.find((e) => e.url === 'at')?.valueDateTime,
  };
}
