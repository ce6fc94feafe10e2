import type { ReleaseView } from '../fhir-gate/resource-check';
import { releasedDocument } from './release-document';
import { withoutWithheld } from './release-rule';

const obs = (id: string, status: fhir4.Observation['status'], text: string): fhir4.Observation => ({
  resourceType: 'Observation',
  id,
  status,
  category: [{ coding: [{ code: 'laboratory' }] }],
  code: { text },
  valueQuantity: { value: 6.8, unit: 'mmol/L' },
});
const report = (id: string, status: fhir4.DiagnosticReport['status'], results: string[]): fhir4.DiagnosticReport => ({
  resourceType: 'DiagnosticReport',
  id,
  status,
  code: { text: `Panel ${id}` },
  result: results.map((r) => ({ reference: `Observation/${r}` })),
});
const row = (id: string, text: string) =>
  `<tr id="Observation-http://localhost:8080/fhir/Observation/${id}/_history/1"><td> ${text} </td></tr>`;
const table = (...rows: string[]) =>
  `<div xmlns="http://www.w3.org/1999/xhtml"><table><thead><tr><th>Code</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;

/** The rule the portal applies, with report `held` under a hold. */
const view = (held: string[], all: fhir4.FhirResource[]): ReleaseView => {
  const h = new Set(held);
  return {
    report: (r) => withoutWithheld([r], h).length === 1,
    observations: (list) =>
      withoutWithheld<fhir4.FhirResource>(
        [...all.filter((r) => r.resourceType === 'DiagnosticReport'), ...list],
        h,
      ).filter((r): r is fhir4.Observation => r.resourceType === 'Observation'),
  };
};

function ips(resources: fhir4.FhirResource[], sections: fhir4.CompositionSection[]): fhir4.Bundle {
  const composition: fhir4.Composition = {
    resourceType: 'Composition',
    id: 'c',
    status: 'final',
    type: { text: 'Patient summary' },
    date: '2026-12-04',
    author: [{ display: 'HAPI' }],
    title: 'International Patient Summary',
    section: sections,
  };
  return {
    resourceType: 'Bundle',
    type: 'document',
    entry: [composition, ...resources].map((resource) => ({ resource })),
  };
}

describe('an International Patient Summary as the patient may see it', () => {
  const k = obs('k', 'final', 'Potassium 6.8');
  const hb = obs('hb', 'final', 'Hemoglobin 12.7');
  const na = obs('na', 'preliminary', 'Sodium 139');
  const heldReport = report('r-held', 'final', ['k']);
  const released = report('r-ok', 'final', ['hb']);
  const prelim = report('r-pre', 'preliminary', ['na']);
  const resources = [heldReport, released, prelim, k, hb, na];
  const results: fhir4.CompositionSection = {
    title: 'Diagnostic Results',
    entry: [
      { reference: 'DiagnosticReport/r-held' },
      { reference: 'DiagnosticReport/r-ok' },
      { reference: 'DiagnosticReport/r-pre' },
    ],
    text: {
      status: 'generated',
      div: table(row('k', 'Potassium 6.8'), row('hb', 'Hemoglobin 12.7'), row('na', 'Sodium 139')),
    },
  };

  it('drops held and preliminary results from the bundle, the section entries and the narrative', () => {
    const { bundle, withheld } = releasedDocument(ips(resources, [results]), view(['r-held'], resources));
    const kept = (bundle.entry ?? []).map((e) => `${e.resource!.resourceType}/${e.resource!.id}`);
    expect(kept).toEqual(['Composition/c', 'DiagnosticReport/r-ok', 'Observation/hb']);
    expect(withheld).toBe(4);
    const section = (bundle.entry![0]!.resource as fhir4.Composition).section![0]!;
    expect(section.entry).toEqual([{ reference: 'DiagnosticReport/r-ok' }]);
    expect(section.text!.div).toContain('Hemoglobin 12.7');
    expect(section.text!.div).not.toMatch(/Potassium|Sodium/);
    expect(section.text!.div).toContain('<th>Code</th>');
  });

  it('a section left without results says they are withheld', () => {
    const only: fhir4.CompositionSection = {
      title: 'Diagnostic Results',
      entry: [{ reference: 'DiagnosticReport/r-held' }],
      text: { status: 'generated', div: table(row('k', 'Potassium 6.8')) },
    };
    const { bundle } = releasedDocument(ips([heldReport, k], [only]), view(['r-held'], [heldReport, k]));
    const section = (bundle.entry![0]!.resource as fhir4.Composition).section![0]!;
    expect(section.entry).toBeUndefined();
    expect(section.emptyReason?.coding?.[0]?.code).toBe('withheld');
    expect(section.text!.div).not.toContain('Potassium');
  });

  it('a narrative row it cannot attribute is not trusted: the section table is rebuilt from what is kept', () => {
    const anonymous: fhir4.CompositionSection = {
      ...results,
      text: { status: 'generated', div: table('<tr><td>Potassium 6.8</td></tr>', row('hb', 'Hemoglobin 12.7')) },
    };
    const { bundle } = releasedDocument(ips(resources, [anonymous]), view(['r-held'], resources));
    const div = (bundle.entry![0]!.resource as fhir4.Composition).section![0]!.text!.div;
    expect(div).not.toContain('Potassium');
    expect(div).toContain('Panel r-ok');
  });

  it('with nothing withheld the document is returned as HAPI made it', () => {
    const doc = ips([released, hb], [{ ...results, entry: [{ reference: 'DiagnosticReport/r-ok' }] }]);
    expect(releasedDocument(doc, view([], [released, hb]))).toEqual({ bundle: doc, withheld: 0 });
  });
});
