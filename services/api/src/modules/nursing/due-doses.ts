/**
 * When a scheduled medication is due on a given day, from its FHIR Dosage timing. Pure. Clock times are on the
 * ward clock (UTC here), using the usual standard administration times: daily 09:00, BID 09/21, TID 08/14/20,
 * QID 08/12/16/20, q6h 00/06/12/18, q8h 06/14/22, q12h 09/21; explicit timeOfDay wins. An as-needed (PRN) dose is
 * never due. Bounds (timing.repeat.boundsPeriod) cut the schedule; every-other-day style periods count from its start.
 */
const HOURS_PER: Record<string, number> = { h: 1, d: 24, wk: 168 };
const PER_DAY: Record<number, number[]> = { 1: [9], 2: [9, 21], 3: [8, 14, 20], 4: [8, 12, 16, 20] };
const EVERY_HOURS: Record<number, number[]> = {
  4: [2, 6, 10, 14, 18, 22],
  6: [0, 6, 12, 18],
  8: [6, 14, 22],
  12: [9, 21],
};
/** timing.code (v3-GTSAbbreviation) as frequency per period. */
const CODES: Record<string, fhir4.TimingRepeat> = {
  QD: { frequency: 1, period: 1, periodUnit: 'd' },
  BID: { frequency: 2, period: 1, periodUnit: 'd' },
  TID: { frequency: 3, period: 1, periodUnit: 'd' },
  QID: { frequency: 4, period: 1, periodUnit: 'd' },
  Q4H: { frequency: 1, period: 4, periodUnit: 'h' },
  Q6H: { frequency: 1, period: 6, periodUnit: 'h' },
  Q8H: { frequency: 1, period: 8, periodUnit: 'h' },
  Q12H: { frequency: 1, period: 12, periodUnit: 'h' },
  AM: { frequency: 1, period: 1, periodUnit: 'd' },
};

export const isPrn = (d: fhir4.Dosage | undefined) =>
  !!d && (d.asNeededBoolean === true || !!d.asNeededCodeableConcept);

const DAY_MS = 86_400_000;

/** The hours of the day a dose falls due under an interval of `everyHours` (standard times where they exist). */
function hoursForInterval(everyHours: number): number[] {
  if (EVERY_HOURS[everyHours]) return EVERY_HOURS[everyHours]!;
  const out: number[] = [];
  for (let h = 0; h < 24; h += everyHours) out.push(h);
  return out;
}

/** Clock times (hours, fractional allowed) on the day, or [] when nothing is due that day. */
function clockTimes(repeat: fhir4.TimingRepeat, dayStart: number): number[] {
  if (repeat.timeOfDay?.length)
    return repeat.timeOfDay.map((t) => {
      const [h, m] = t.split(':').map(Number);
      return (h ?? 0) + (m ?? 0) / 60;
    });
  const frequency = repeat.frequency ?? 1;
  const period = repeat.period ?? 1;
  const perHours = HOURS_PER[repeat.periodUnit ?? ''];
  if (!perHours || frequency <= 0 || period <= 0) return [];
  const everyHours = (period * perHours) / frequency;
  if (everyHours < 24) {
    if (repeat.periodUnit === 'd' && period === 1 && PER_DAY[frequency]) return PER_DAY[frequency]!;
    return hoursForInterval(everyHours);
  }
  // Every n days/weeks: due on the days n apart counted from the start (or every day when there is no start).
  const everyDays = Math.round(everyHours / 24);
  const start = repeat.boundsPeriod?.start ? Date.parse(repeat.boundsPeriod.start.slice(0, 10)) : dayStart;
  const offset = Math.round((dayStart - start) / DAY_MS);
  return offset >= 0 && offset % everyDays === 0 ? [9] : [];
}

/** ISO instants at which the dosage's doses are due on `day` (YYYY-MM-DD), earliest first. */
export function dueTimes(dosage: fhir4.Dosage | undefined, day: string): string[] {
  if (!dosage || isPrn(dosage)) return [];
  const timing = dosage.timing;
  const coded = timing?.code?.coding?.map((c) => CODES[c.code ?? '']).find(Boolean);
  const repeat: fhir4.TimingRepeat | undefined = timing?.repeat ?? coded;
  if (!repeat) return [];
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  const from = repeat.boundsPeriod?.start ? Date.parse(repeat.boundsPeriod.start) : -Infinity;
  const to = repeat.boundsPeriod?.end ? Date.parse(repeat.boundsPeriod.end) : Infinity;
  return [...new Set(clockTimes({ ...coded, ...repeat }, dayStart))]
    .sort((a, b) => a - b)
    .map((h) => dayStart + Math.round(h * 3_600_000))
    .filter((t) => t >= from && t <= to && t < dayStart + DAY_MS)
    .map((t) => new Date(t).toISOString());
}
