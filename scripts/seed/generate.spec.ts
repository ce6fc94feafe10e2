/**
 * Unit tests for the demo-data generator.
 * Run: node --import tsx --test scripts/seed/*.spec.ts
 */

import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { ALLOWED_RXNORM, INTERACTION_SCENARIOS, MEDICATIONS, SYS } from './catalog';
import {
  DEMO_IDS,
  FIXED_PATIENTS,
  directoryRefsFromBundle,
  directoryRefsFromResponse,
  generateDirectory,
  generatePatient,
  isValidNpi,
  parseLocation,
  patientDemoIdentifier,
} from './generate';
import { NO_RANGE_LOINCS, collectReferences, expectedInterpretation, validateTransactionBundle } from './validate';

const SEED = 42;
const ANCHOR = '2026-06-01';
const SAMPLE = 60; // patients checked in the "every patient" tests

const directory = generateDirectory(SEED);
const refs = directoryRefsFromBundle(directory);
const patients = Array.from({ length: SAMPLE }, (_, i) => generatePatient(SEED, i, refs, { anchor: ANCHOR }));

function resources<T extends fhir4.FhirResource['resourceType']>(
  bundle: fhir4.Bundle,
  type: T,
): Extract<fhir4.FhirResource, { resourceType: T }>[] {
  return (bundle.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is Extract<fhir4.FhirResource, { resourceType: T }> => r?.resourceType === type);
}

function rxcodes(bundle: fhir4.Bundle): string[] {
  return resources(bundle, 'MedicationRequest').map(
    (m) => m.medicationCodeableConcept?.coding?.find((c) => c.system === SYS.RXNORM)?.code ?? '',
  );
}

function demoId(r: { identifier?: fhir4.Identifier[] }): string | undefined {
  return r.identifier?.find((i) => i.system === SYS.DEMO)?.value;
}

function latestLab(bundle: fhir4.Bundle, loinc: string): fhir4.Observation | undefined {
  return resources(bundle, 'Observation')
    .filter((o) => o.code.coding?.some((c) => c.code === loinc))
    .sort((a, b) => String(a.effectiveDateTime).localeCompare(String(b.effectiveDateTime)))
    .at(-1);
}

function interpretationOf(o: { interpretation?: fhir4.CodeableConcept[] }): string | undefined {
  return o.interpretation?.[0]?.coding?.[0]?.code;
}

describe('determinism', () => {
  it('same seed gives byte-identical directory and patient bundles', () => {
    assert.equal(JSON.stringify(generateDirectory(SEED)), JSON.stringify(directory));
    for (const i of [0, 1, 2, 7, 15, 123, 9999]) {
      const a = JSON.stringify(generatePatient(SEED, i, refs, { anchor: ANCHOR }));
      const b = JSON.stringify(generatePatient(SEED, i, refs, { anchor: ANCHOR }));
      assert.equal(a, b, `patient ${i} differs between runs`);
    }
  });

  it('a patient does not depend on how many / which other patients were generated', () => {
    const direct = JSON.stringify(generatePatient(SEED, 37, refs, { anchor: ANCHOR }));
    assert.equal(JSON.stringify(patients[37]), direct);
  });

  it('different seeds give different random patients, but the same fixed demo patients', () => {
    const other = directoryRefsFromBundle(generateDirectory(7));
    assert.notEqual(JSON.stringify(generatePatient(7, 20, other, { anchor: ANCHOR })), JSON.stringify(patients[20]));
    assert.equal(JSON.stringify(generatePatient(7, 0, other, { anchor: ANCHOR })), JSON.stringify(patients[0]));
    assert.equal(JSON.stringify(generatePatient(7, 1, other, { anchor: ANCHOR })), JSON.stringify(patients[1]));
  });

  it('demo identifiers are stable and scoped by seed', () => {
    assert.equal(patientDemoIdentifier(SEED, 0), 'fixed-0-patient');
    assert.equal(patientDemoIdentifier(SEED, 5), 's42-p5-patient');
    assert.equal(demoId(resources(patients[5]!, 'Patient')[0]!), 's42-p5-patient');
    assert.equal(demoId(resources(patients[0]!, 'Patient')[0]!), FIXED_PATIENTS[0].demoIdentifier);
  });
});

describe('bundle structure', () => {
  it('directory and patient bundles pass structural validation', () => {
    assert.deepEqual(validateTransactionBundle(directory), []);
    const external = Object.values(refs);
    patients.forEach((b, i) => assert.deepEqual(validateTransactionBundle(b, external), [], `patient ${i}`));
  });

  it('every reference resolves to an entry fullUrl or a directory reference', () => {
    const dirUrls = new Set((directory.entry ?? []).map((e) => e.fullUrl!));
    for (const ref of collectReferences(directory)) assert.ok(dirUrls.has(ref), `directory: ${ref}`);
    let checked = 0;
    patients.forEach((b, i) => {
      const own = new Set((b.entry ?? []).map((e) => e.fullUrl!));
      for (const ref of collectReferences(b)) {
        assert.ok(own.has(ref) || dirUrls.has(ref), `patient ${i}: unresolved ${ref}`);
        checked++;
      }
    });
    assert.ok(checked > 1000);
  });

  it('every entry is a conditional create with ifNoneExist on its urn:wintehr:demo identifier', () => {
    for (const b of [directory, ...patients]) {
      for (const e of b.entry ?? []) {
        const value = demoId(e.resource as { identifier?: fhir4.Identifier[] });
        assert.ok(value, `${e.resource?.resourceType} without demo identifier`);
        assert.equal(e.request?.method, 'POST');
        assert.equal(e.request?.ifNoneExist, `identifier=${SYS.DEMO}|${value}`);
        assert.match(e.fullUrl ?? '', /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
    }
    // identifiers are unique across patients too (no two bundles create "the same" resource)
    const all = new Set<string>();
    for (const b of patients)
      for (const e of b.entry ?? []) {
        const v = demoId(e.resource as { identifier?: fhir4.Identifier[] })!;
        assert.ok(!all.has(v), `duplicate identifier ${v}`);
        all.add(v);
      }
  });

  it('each patient has the expected resource mix', () => {
    const anchorMs = Date.parse(`${ANCHOR}T00:00:00Z`);
    patients.forEach((b, i) => {
      assert.equal(resources(b, 'Patient').length, 1);
      assert.equal(resources(b, 'CareTeam').length, 1);
      assert.equal(resources(b, 'Coverage').length, 1);
      const enc = resources(b, 'Encounter');
      assert.ok(enc.length >= 2 && enc.length <= 8, `patient ${i}: ${enc.length} encounters`);
      for (const e of enc) {
        assert.equal(e.class.code, 'AMB');
        assert.ok(Date.parse(e.period!.start!) < anchorMs, 'encounters are in the past');
      }
      const appts = resources(b, 'Appointment');
      assert.ok(appts.length <= 2);
      for (const a of appts) assert.ok(Date.parse(a.start!) > anchorMs, 'appointments are in the future');
      // vitals over time => trends
      const bp = resources(b, 'Observation').filter((o) => o.code.coding?.[0]?.code === '85354-9');
      assert.equal(bp.length, enc.length);
      const reports = resources(b, 'DiagnosticReport');
      assert.ok(reports.length >= 2, `patient ${i}: ${reports.length} reports`);
    });
  });
});

describe('observations', () => {
  it('every Observation with a value has a referenceRange and a consistent interpretation', () => {
    let checked = 0;
    for (const b of patients) {
      for (const o of resources(b, 'Observation')) {
        const items: Array<{
          code: fhir4.CodeableConcept;
          q?: fhir4.Quantity;
          rr?: fhir4.ObservationReferenceRange[];
          interp?: fhir4.CodeableConcept[];
        }> = [
          { code: o.code, q: o.valueQuantity, rr: o.referenceRange, interp: o.interpretation },
          ...(o.component ?? []).map((c) => ({
            code: c.code,
            q: c.valueQuantity,
            rr: c.referenceRange,
            interp: c.interpretation,
          })),
        ];
        for (const it of items) {
          if (!it.q) continue;
          const loinc = it.code.coding!.find((c) => c.system === SYS.LOINC)!.code!;
          assert.equal(it.q.system, 'http://unitsofmeasure.org');
          if (NO_RANGE_LOINCS.has(loinc)) continue; // body height / weight
          assert.ok(it.rr?.[0], `${loinc} without referenceRange`);
          const code = interpretationOf({ interpretation: it.interp });
          assert.ok(code, `${loinc} without interpretation`);
          assert.equal(
            it.interp![0]!.coding![0]!.system,
            'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
          );
          assert.equal(code, expectedInterpretation(loinc, it.q.value!, it.rr[0]!), `${loinc}=${it.q.value}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 2000, `checked ${checked}`);
  });

  it('categories follow the vital-signs profile and lab conventions', () => {
    const b = patients[0]!;
    const vitals = resources(b, 'Observation').filter((o) => o.category?.[0]?.coding?.[0]?.code === 'vital-signs');
    const codes = new Set(vitals.map((o) => o.code.coding![0]!.code));
    for (const c of ['85354-9', '8867-4', '9279-1', '8310-5', '8302-2', '29463-7', '39156-5', '59408-5'])
      assert.ok(codes.has(c), `missing vital ${c}`);
    const spo2 = vitals.find((o) => o.code.coding![0]!.code === '59408-5')!;
    assert.ok(spo2.code.coding!.some((c) => c.code === '2708-6'));
    const bp = vitals.find((o) => o.code.coding![0]!.code === '85354-9')!;
    assert.deepEqual(
      bp.component!.map((c) => c.code.coding![0]!.code),
      ['8480-6', '8462-4'],
    );
    assert.equal(bp.valueQuantity, undefined);
    const reports = resources(b, 'DiagnosticReport');
    const panelCodes = new Set(reports.map((r) => r.code.coding![0]!.code));
    for (const c of ['58410-2', '51990-0', '57698-3', '6301-6']) assert.ok(panelCodes.has(c), `missing panel ${c}`);
  });

  it('includes a few critical results: K 6.8 HH, glucose 38 LL, INR 5.2 HH, hemoglobin 6.2 LL', () => {
    const found = new Map<string, string>();
    for (const b of patients.slice(0, 11)) {
      for (const o of resources(b, 'Observation')) {
        const code = interpretationOf(o);
        if (code === 'HH' || code === 'LL') found.set(`${o.code.coding![0]!.code}=${o.valueQuantity!.value}`, code);
      }
    }
    assert.equal(found.get('2823-3=6.8'), 'HH');
    assert.equal(found.get('2345-7=38'), 'LL');
    assert.equal(found.get('6301-6=5.2'), 'HH');
    assert.equal(found.get('718-7=6.2'), 'LL');
    // "a FEW": critical results stay rare overall
    let critical = 0;
    let total = 0;
    for (const b of patients)
      for (const o of resources(b, 'Observation')) {
        total++;
        if (['HH', 'LL'].includes(interpretationOf(o) ?? '')) critical++;
      }
    assert.ok(critical / total < 0.01, `${critical}/${total} critical`);
  });
});

describe('medications', () => {
  it('every MedicationRequest code is one of the allowed RxNorm SCDs, with its exact display', () => {
    for (const b of patients) {
      for (const m of resources(b, 'MedicationRequest')) {
        const c = m.medicationCodeableConcept!.coding!.find((x) => x.system === SYS.RXNORM)!;
        assert.ok(ALLOWED_RXNORM.has(c.code!), `not allowed: ${c.code}`);
        assert.equal(c.display, ALLOWED_RXNORM.get(c.code!));
        assert.equal(m.status, 'active');
        assert.equal(m.intent, 'order');
        assert.ok(m.requester?.reference && m.encounter?.reference && m.reasonReference?.[0]?.reference);
        const dr = m.dispenseRequest!;
        assert.ok(
          dr.quantity!.value! > 0 && dr.expectedSupplyDuration!.code === 'd' && dr.numberOfRepeatsAllowed! >= 0,
        );
      }
    }
  });

  it('allowed RxNorm codes exist as SCDs with the same name in the shared RxNorm data', (t) => {
    const repoRoot = path.resolve(__dirname, '..', '..');
    const dataDir = path.resolve(repoRoot, '..', 'shared', 'data', 'rxnorm-prescribable-2025-10');
    if (!existsSync(dataDir)) {
      t.skip(`shared RxNorm data not found at ${dataDir}; skipping the RxNorm verification`);
      return;
    }
    interface Rec {
      RXCUI: string;
      Name: string;
      SCDCs?: Array<{ SCDs?: Array<{ RXCUI: string; Name: string; TTY: string }> }>;
    }
    const scd = new Map<string, string>();
    for (const f of readdirSync(dataDir).filter((x) => x.endsWith('.json'))) {
      for (const rec of JSON.parse(readFileSync(path.join(dataDir, f), 'utf8')) as Rec[]) {
        for (const c of rec.SCDCs ?? []) for (const s of c.SCDs ?? []) if (s.TTY === 'SCD') scd.set(s.RXCUI, s.Name);
      }
    }
    assert.ok(scd.size > 1000, 'RxNorm data looks empty');
    for (const m of Object.values(MEDICATIONS)) {
      assert.equal(
        scd.get(m.rxcui),
        m.display,
        `${m.key}: RxNorm ${m.rxcui} should be "${m.display}", data has "${scd.get(m.rxcui)}"`,
      );
    }
    for (const b of patients)
      for (const code of rxcodes(b)) assert.ok(scd.has(code), `generated code ${code} not an SCD in RxNorm data`);
  });

  it('the interacting pairs are present for some patients', () => {
    for (const sc of INTERACTION_SCENARIOS) {
      const a = MEDICATIONS[sc.meds[0]].rxcui;
      const b = MEDICATIONS[sc.meds[1]].rxcui;
      const holders = patients.filter((p) => {
        const codes = rxcodes(p);
        return codes.includes(a) && codes.includes(b);
      });
      assert.ok(holders.length >= 1, `no patient with ${sc.key}`);
    }
    // the curated ones are patients 2..8, in catalog order
    INTERACTION_SCENARIOS.forEach((sc, k) => {
      const codes = rxcodes(patients[2 + k]!);
      assert.ok(
        codes.includes(MEDICATIONS[sc.meds[0]].rxcui) && codes.includes(MEDICATIONS[sc.meds[1]].rxcui),
        `patient ${2 + k} should have ${sc.key}`,
      );
    });
    // the sildenafil + nitrate patient had an MI and is male
    const mi = patients[2 + INTERACTION_SCENARIOS.findIndex((s) => s.key === 'sildenafil-nitrate')]!;
    assert.equal(resources(mi, 'Patient')[0]!.gender, 'male');
    assert.ok(resources(mi, 'Condition').some((c) => c.code!.coding!.some((x) => x.code === '22298006')));
  });

  it('no patient is prescribed a drug they are documented to be allergic to (by class)', () => {
    for (const b of patients) {
      const allergies = resources(b, 'AllergyIntolerance').map((a) => a.code!.coding![0]!.code);
      const codes = rxcodes(b);
      if (allergies.includes('387406002')) assert.ok(!codes.includes(MEDICATIONS.smxTmpDs.rxcui));
      if (allergies.includes('372665008'))
        for (const k of ['ibuprofen600', 'naproxen500', 'meloxicam15'] as const)
          assert.ok(!codes.includes(MEDICATIONS[k].rxcui));
    }
  });
});

describe('fixed demo patients', () => {
  const wilson = refs[DEMO_IDS.practitioner('wilson')]!;
  const joy = refs[DEMO_IDS.practitioner('nurse-joy')]!;

  it('patient 0 is Maria Garcia with the documented chart', () => {
    const b = patients[0]!;
    const p = resources(b, 'Patient')[0]!;
    assert.equal(p.name![0]!.family, 'Garcia');
    assert.equal(p.name![0]!.given![0], 'Maria');
    assert.equal(p.gender, 'female');
    assert.equal(p.birthDate, '1958-03-14');
    const mrn = p.identifier!.find((i) => i.system === SYS.MRN)!;
    assert.equal(mrn.value, 'MRN-000001');
    assert.equal(mrn.type!.coding![0]!.code, 'MR');
    assert.match(p.identifier!.find((i) => i.system === SYS.SSN)!.value!, /^999-\d\d-\d{4}$/);
    assert.equal(p.generalPractitioner![0]!.reference, wilson);
    const conds = resources(b, 'Condition').map((c) => c.code!.coding!.map((x) => x.code).join('/'));
    assert.deepEqual(conds.sort(), ['38341003/I10', '433144002/N18.30', '49436004/I48.91'].sort());
    const meds = resources(b, 'MedicationRequest').map((m) => m.medicationCodeableConcept!.text);
    assert.deepEqual(meds, [
      'warfarin sodium 5 MG Oral Tablet',
      'lisinopril 20 MG Oral Tablet',
      'spironolactone 25 MG Oral Tablet',
    ]);
    const allergy = resources(b, 'AllergyIntolerance')[0]!;
    assert.equal(allergy.code!.coding![0]!.code, '764146007');
    assert.equal(allergy.criticality, 'high');
    assert.equal(allergy.verificationStatus!.coding![0]!.code, 'confirmed');
    const k = latestLab(b, '2823-3')!;
    assert.equal(k.valueQuantity!.value, 6.8);
    assert.equal(interpretationOf(k), 'HH');
    assert.ok(latestLab(b, '6301-6'), 'warfarin patient has INR results');
    const team = resources(b, 'CareTeam')[0]!;
    const members = team.participant!.map((x) => x.member!.reference);
    assert.ok(members.includes(wilson) && members.includes(joy));
    assert.equal(team.subject!.reference, b.entry![0]!.fullUrl);
  });

  it('patient 1 is John Smith with the documented chart', () => {
    const b = patients[1]!;
    const p = resources(b, 'Patient')[0]!;
    assert.equal(p.name![0]!.family, 'Smith');
    assert.equal(p.name![0]!.given![0], 'John');
    assert.equal(p.gender, 'male');
    assert.equal(p.birthDate, '1975-07-02');
    assert.equal(p.identifier!.find((i) => i.system === SYS.MRN)!.value, 'MRN-000002');
    assert.equal(p.generalPractitioner![0]!.reference, wilson);
    const conds = resources(b, 'Condition').map((c) => c.code!.coding![0]!.code);
    assert.deepEqual(conds.sort(), ['35489007', '44054006', '55822004'].sort());
    const meds = resources(b, 'MedicationRequest').map((m) => m.medicationCodeableConcept!.text);
    assert.deepEqual(meds, [
      'metformin hydrochloride 1000 MG Oral Tablet',
      'simvastatin 40 MG Oral Tablet',
      'sertraline 50 MG Oral Tablet',
    ]);
    assert.equal(resources(b, 'AllergyIntolerance')[0]!.code!.coding![0]!.code, '387406002');
    const a1c = latestLab(b, '4548-4')!;
    assert.ok(a1c.valueQuantity!.value! > 5.6);
    assert.equal(interpretationOf(a1c), 'H');
    const members = resources(b, 'CareTeam')[0]!.participant!.map((x) => x.member!.reference);
    assert.ok(members.includes(wilson) && members.includes(joy));
  });

  it('generated patients get MRNs after the fixed ones', () => {
    const p = resources(patients[2]!, 'Patient')[0]!;
    assert.equal(p.identifier!.find((i) => i.system === SYS.MRN)!.value, 'MRN-000003');
  });
});

describe('directory', () => {
  const practitioners = resources(directory, 'Practitioner');

  it('has the staff the demo accounts link to, findable by stable identifiers', () => {
    for (const key of ['wilson', 'chen', 'patel', 'nurse-joy', 'pharm-lee', 'lab-kim']) {
      const p = practitioners.find((x) => demoId(x) === `practitioner-${key}`);
      assert.ok(p, `missing practitioner-${key}`);
      const npi = p.identifier!.find((i) => i.system === 'http://hl7.org/fhir/sid/us-npi')!.value!;
      assert.ok(isValidNpi(npi), `invalid NPI ${npi}`);
    }
    const wilson = practitioners.find((x) => demoId(x) === 'practitioner-wilson')!;
    assert.equal(wilson.name![0]!.family, 'Wilson');
    assert.match(wilson.identifier!.find((i) => i.system === SYS.DEA)!.value!, /^[A-Z]W\d{7}$/);
    assert.equal(resources(directory, 'PractitionerRole').length, practitioners.length);
  });

  it('has the medical center and pharmacies with NCPDP ids', () => {
    const orgs = resources(directory, 'Organization');
    const mc = orgs.find((o) => demoId(o) === DEMO_IDS.medicalCenter)!;
    assert.equal(mc.name, 'WintEHR Medical Center');
    assert.ok(isValidNpi(mc.identifier!.find((i) => i.system === SYS.NPI)!.value!));
    const pharmacies = orgs.filter((o) => o.identifier?.some((i) => i.system === SYS.NCPDP));
    assert.ok(pharmacies.length >= 5 && pharmacies.length <= 7);
    assert.ok(pharmacies.some((p) => p.name === 'WintEHR Outpatient Pharmacy'));
    for (const p of pharmacies) assert.match(p.identifier!.find((i) => i.system === SYS.NCPDP)!.value!, /^\d{7}$/);
    assert.ok(
      orgs.some((o) => o.type?.[0]?.coding?.[0]?.code === 'pay'),
      'payer organizations',
    );
  });

  it('maps transaction-response locations to directory references', () => {
    const response: fhir4.Bundle = {
      resourceType: 'Bundle',
      type: 'transaction-response',
      entry: directory.entry!.map((e, i) => ({
        response: {
          status: i % 2 ? '200 OK' : '201 Created',
          location: `${e.resource!.resourceType}/${100 + i}/_history/1`,
        },
      })),
    };
    const server = directoryRefsFromResponse(directory, response);
    assert.equal(server[DEMO_IDS.medicalCenter], 'Organization/100');
    assert.match(server['practitioner-wilson']!, /^Practitioner\/\d+$/);
    assert.equal(parseLocation('http://h:8080/fhir/Patient/abc-1/_history/3'), 'Patient/abc-1');
    // patient bundles built with server refs point at them
    const b = generatePatient(SEED, 0, server, { anchor: ANCHOR });
    assert.equal(resources(b, 'Patient')[0]!.generalPractitioner![0]!.reference, server['practitioner-wilson']);
    assert.deepEqual(validateTransactionBundle(b, Object.values(server)), []);
  });
});
