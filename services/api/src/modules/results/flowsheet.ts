import type { Flowsheet, FlowsheetCell, FlowsheetRow } from '@wintehr/contracts';
import { testName } from './critical-view';
import { INTERPRETATION_SYSTEM } from './interpretation';
import { LOINC } from './result-bundle';

const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
type Category = FlowsheetRow['category'];

const categoryOf = (o: fhir4.Observation): Category | undefined => {
  const codes = o.category?.flatMap((c) => c.coding ?? []).filter((c) => c.system === CATEGORY_SYSTEM);
  if (codes?.some((c) => c.code === 'vital-signs')) return 'vital-signs';
  if (codes?.some((c) => c.code === 'laboratory')) return 'laboratory';
  return undefined;
};

/** Sender's interpretation first; else what the reference range says (H/L), else nothing. */
function flagOf(
  interpretation: fhir4.CodeableConcept[] | undefined,
  value: number,
  range: fhir4.ObservationReferenceRange | undefined,
): string | undefined {
  const code = interpretation?.flatMap((c) => c.coding ?? []).find((c) => c.system === INTERPRETATION_SYSTEM)?.code;
  if (code) return code;
  if (range?.high?.value !== undefined && value > range.high.value) return 'H';
  if (range?.low?.value !== undefined && value < range.low.value) return 'L';
  if (range?.low?.value !== undefined || range?.high?.value !== undefined) return 'N';
  return undefined;
}

interface Measured {
  code: string;
  display: string;
  category: Category;
  cell: FlowsheetCell;
  range?: fhir4.ObservationReferenceRange;
}

const loincCode = (cc: fhir4.CodeableConcept) =>
  cc.coding?.find((c) => c.system === LOINC)?.code ?? cc.coding?.[0]?.code;

/** The numeric values in one Observation: its own value, or each component's (blood pressure). */
function measuredIn(o: fhir4.Observation): Measured[] {
  const category = categoryOf(o);
  const at = o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued;
  if (!category || !at || !o.id || o.status === 'entered-in-error' || o.status === 'cancelled') return [];
  const one = (
    cc: fhir4.CodeableConcept,
    q: fhir4.Quantity | undefined,
    interpretation: fhir4.CodeableConcept[] | undefined,
    ranges: fhir4.ObservationReferenceRange[] | undefined,
  ): Measured[] => {
    const code = loincCode(cc);
    if (!code || typeof q?.value !== 'number') return [];
    const range = ranges?.[0];
    const flag = flagOf(interpretation, q.value, range);
    const unit = q.unit ?? q.code;
    return [
      {
        code,
        display: testName({ ...o, code: cc }),
        category,
        cell: { observationId: o.id!, at, value: q.value, ...(unit ? { unit } : {}), ...(flag ? { flag } : {}) },
        ...(range ? { range } : {}),
      },
    ];
  };
  if (o.component?.length)
    return o.component.flatMap((c) => one(c.code, c.valueQuantity, c.interpretation, c.referenceRange));
  return one(o.code, o.valueQuantity, o.interpretation, o.referenceRange);
}

/**
 * Pure: labs and vitals over time as a flowsheet — one row per test (LOINC), one column per day with results
 * (newest first, the latest value of the day in the cell), and every value for the row's graph.
 */
export function buildFlowsheet(observations: readonly fhir4.Observation[], maxColumns: number): Flowsheet {
  const measured = observations.flatMap(measuredIn).sort((a, b) => Date.parse(a.cell.at) - Date.parse(b.cell.at));
  const columns = [...new Set(measured.map((m) => m.cell.at.slice(0, 10)))].sort().reverse().slice(0, maxColumns);
  const rows = new Map<string, FlowsheetRow>();
  for (const m of measured) {
    const key = `${m.category}|${m.code}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        code: m.code,
        display: m.display,
        category: m.category,
        ...(m.cell.unit ? { unit: m.cell.unit } : {}),
        referenceRange: {},
        cells: columns.map(() => null),
        points: [],
      };
      rows.set(key, row);
    }
    row.points.push(m.cell);
    // Oldest first, so the latest of each day (and the latest range) wins.
    if (m.range)
      row.referenceRange = {
        ...(m.range.low?.value !== undefined ? { low: m.range.low.value } : {}),
        ...(m.range.high?.value !== undefined ? { high: m.range.high.value } : {}),
        ...(m.range.text ? { text: m.range.text } : {}),
      };
    const col = columns.indexOf(m.cell.at.slice(0, 10));
    if (col >= 0) row.cells[col] = m.cell;
  }
  const order = (r: FlowsheetRow) => (r.category === 'vital-signs' ? 0 : 1);
  return {
    columns,
    rows: [...rows.values()]
      .filter((r) => r.cells.some((c) => c))
      .sort((a, b) => order(a) - order(b) || a.display.localeCompare(b.display)),
  };
}
