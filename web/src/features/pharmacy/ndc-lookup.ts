import type { PharmacyDrugSearch } from '@wintehr/contracts';

/** One package to receive: a product and one of its NDCs. */
export interface PackageOption {
  ndc: string;
  rxcui: string;
  name: string;
  schedule?: string;
}

/** "00378001801" → "00378-0018-01" (the 5-4-2 form inventory is keyed on). */
export const formatNdc = (ndc: string) =>
  /^\d{11}$/.test(ndc) ? `${ndc.slice(0, 5)}-${ndc.slice(5, 9)}-${ndc.slice(9)}` : ndc;

/** The packages to offer: for an NDC search every package of the product, for a name the first few of each. */
export function packageOptions(r: PharmacyDrugSearch, perProduct = 3): PackageOption[] {
  return r.results.flatMap((h) =>
    h.ndcs.slice(0, r.byNdc ? 1 : perProduct).map((ndc) => ({
      ndc,
      rxcui: h.rxcui,
      name: h.name,
      ...(h.schedule ? { schedule: h.schedule } : {}),
    })),
  );
}
