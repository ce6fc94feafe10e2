import type { PatientAllergy, PharmacyDrugHit, PrescriberOverride, SigDetail } from '@wintehr/contracts';
import {
  controlledSchedule,
  EXT_SAFETY_OVERRIDE,
  ndcCandidates,
  searchDrugs,
  type DrugKnowledgeBase,
} from '../drug-safety';

/**
 * What the pharmacist needs beside the order on verification (pure): the prescriber's override reasons, the full
 * sig and the patient's allergies; and the drug look-up (by name or NDC) used when receiving stock.
 */

export function prescriberOverrides(mr: fhir4.MedicationRequest | undefined): PrescriberOverride[] {
  return (mr?.extension ?? [])
    .filter((e) => e.url === EXT_SAFETY_OVERRIDE)
    .map((e) => {
      const parts = e.extension ?? [];
      const all = (url: string) =>
        parts
          .filter((p) => p.url === url)
          .map((p) => p.valueString ?? '')
          .filter(Boolean);
      const by = parts.find((p) => p.url === 'by')?.valueReference;
      const at = parts.find((p) => p.url === 'at')?.valueDateTime;
      return {
        reason: parts.find((p) => p.url === 'reason')?.valueString ?? '',
        findingIds: all('finding'),
        ruleIds: all('rule'),
        ...(by?.display || by?.reference ? { by: by.display ?? by.reference } : {}),
        ...(at ? { at } : {}),
      };
    })
    .filter((o) => o.reason);
}

export function sigDetail(mr: fhir4.MedicationRequest | undefined): SigDetail | undefined {
  const d = mr?.dosageInstruction?.[0];
  if (!d) return undefined;
  const dose = d.doseAndRate?.[0]?.doseQuantity;
  const r = d.timing?.repeat;
  const route = d.route?.text ?? d.route?.coding?.find((c) => c.display)?.display;
  const max = d.maxDosePerPeriod?.numerator;
  const text = mr!
    .dosageInstruction!.map((x) => x.text)
    .filter(Boolean)
    .join('; ');
  return {
    ...(text ? { text } : {}),
    ...(d.patientInstruction ? { patientInstruction: d.patientInstruction } : {}),
    ...(typeof dose?.value === 'number' ? { dose: { value: dose.value, unit: dose.unit ?? dose.code ?? '' } } : {}),
    ...(route ? { route: route.replace(/ route$/i, '') } : {}),
    ...(typeof r?.frequency === 'number' ? { frequency: r.frequency } : {}),
    ...(typeof r?.period === 'number' ? { period: r.period } : {}),
    ...(r?.periodUnit ? { periodUnit: r.periodUnit } : {}),
    ...(d.asNeededCodeableConcept?.text
      ? { asNeeded: d.asNeededCodeableConcept.text }
      : d.asNeededBoolean !== undefined
        ? { asNeeded: d.asNeededBoolean }
        : {}),
    ...(typeof max?.value === 'number'
      ? { maxDosePerDay: { value: max.value, unit: max.unit ?? max.code ?? '' } }
      : {}),
  };
}

const text = (cc: fhir4.CodeableConcept | undefined) =>
  cc?.text ?? cc?.coding?.find((c) => c.display)?.display ?? cc?.coding?.find((c) => c.code)?.code;
const code = (cc: fhir4.CodeableConcept | undefined) => cc?.coding?.find((c) => c.code)?.code;

/** Active allergies first (entered-in-error and refuted ones are not allergies), most critical first. */
export function allergyView(all: readonly fhir4.AllergyIntolerance[]): PatientAllergy[] {
  const rank = (a: PatientAllergy) =>
    (a.clinicalStatus && a.clinicalStatus !== 'active' ? 2 : 0) + (a.criticality === 'high' ? 0 : 1);
  return all
    .filter((a) => a.id && !['entered-in-error', 'refuted'].includes(code(a.verificationStatus) ?? ''))
    .map((a): PatientAllergy => {
      const clinical = code(a.clinicalStatus);
      const verification = code(a.verificationStatus);
      return {
        id: a.id!,
        substance: text(a.code) ?? 'Unnamed substance',
        ...(clinical ? { clinicalStatus: clinical } : {}),
        ...(verification ? { verificationStatus: verification } : {}),
        ...(a.criticality ? { criticality: a.criticality } : {}),
        ...(a.category?.length ? { category: [...a.category] } : {}),
        reactions: (a.reaction ?? []).map((r) => ({
          manifestations: (r.manifestation ?? []).map((m) => text(m)).filter((m): m is string => !!m),
          ...(r.severity ? { severity: r.severity } : {}),
        })),
      };
    })
    .sort((a, b) => rank(a) - rank(b) || a.substance.localeCompare(b.substance));
}

const reverseNdc = new WeakMap<DrugKnowledgeBase, Map<string, string[]>>();
function ndcsOf(kb: DrugKnowledgeBase, rxcui: string): string[] {
  let idx = reverseNdc.get(kb);
  if (!idx) {
    idx = new Map();
    for (const [ndc, rx] of kb.ndc) {
      const l = idx.get(rx);
      if (l) l.push(ndc);
      else idx.set(rx, [ndc]);
    }
    for (const l of idx.values()) l.sort();
    reverseNdc.set(kb, idx);
  }
  return idx.get(rxcui) ?? [];
}

const STOCKABLE = new Set(['SCD', 'SBD', 'GPCK', 'BPCK']);

/** Drug look-up for receiving stock: an NDC (10/11 digits, hyphens or not) finds its product; a name searches products. */
export function lookupDrugs(
  kb: DrugKnowledgeBase,
  q: string,
  limit = 20,
): { byNdc: boolean; results: PharmacyDrugHit[] } {
  const hit = (rxcui: string, first?: string): PharmacyDrugHit | undefined => {
    const c = kb.concepts.get(rxcui);
    if (!c) return undefined;
    const ctl = controlledSchedule(kb, c);
    const ndcs = ndcsOf(kb, rxcui);
    return {
      rxcui,
      name: c.name,
      tty: c.tty,
      ...(ctl ? { schedule: ctl.schedule } : {}),
      ndcs: first ? [first, ...ndcs.filter((n) => n !== first)] : ndcs,
    };
  };
  if (/^[\d-]+$/.test(q.trim())) {
    for (const ndc of ndcCandidates(q)) {
      const rx = kb.ndc.get(ndc);
      const h = rx ? hit(rx, ndc) : undefined;
      if (h) return { byNdc: true, results: [h] };
    }
    return { byNdc: true, results: [] };
  }
  const results = searchDrugs(kb, q, limit * 3)
    .filter((h) => STOCKABLE.has(h.tty))
    .map((h) => hit(h.rxcui))
    .filter((h): h is PharmacyDrugHit => !!h && h.ndcs.length > 0)
    .slice(0, limit);
  return { byNdc: false, results };
}
