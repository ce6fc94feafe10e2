import { createHash } from 'node:crypto';
import { PHARMACIES } from './directory';

/**
 * Medication history the network would return from PBM claims and pharmacy fills. The two fixed demo patients
 * (seed: Maria Garcia 1958-03-14, John Smith 1975-07-02) get a curated history; any other patient a small history
 * derived from a hash of name and birth date, so it is stable across calls; one in five patients has none.
 */
export interface DispensedItem {
  description: string;
  rxnorm: string;
  ndc: string;
  quantity: string;
  unitCode: string;
  daysSupply: number;
  lastFillDate: string;
  pharmacyName: string;
  sig: string;
}

const DRUGS: Array<Omit<DispensedItem, 'lastFillDate' | 'pharmacyName'>> = [
  {
    description: 'Metformin Hydrochloride 500 MG Oral Tablet',
    rxnorm: '861007',
    ndc: '00093104801',
    quantity: '60',
    unitCode: 'C48542',
    daysSupply: 30,
    sig: 'Take 1 tablet by mouth twice daily with meals',
  },
  {
    description: 'Lisinopril 10 MG Oral Tablet',
    rxnorm: '314076',
    ndc: '00093111101',
    quantity: '30',
    unitCode: 'C48542',
    daysSupply: 30,
    sig: 'Take 1 tablet by mouth once daily',
  },
  {
    description: 'Atorvastatin 20 MG Oral Tablet',
    rxnorm: '617310',
    ndc: '00378395277',
    quantity: '30',
    unitCode: 'C48542',
    daysSupply: 30,
    sig: 'Take 1 tablet by mouth at bedtime',
  },
  {
    description: 'Amlodipine 5 MG Oral Tablet',
    rxnorm: '197361',
    ndc: '00093716701',
    quantity: '30',
    unitCode: 'C48542',
    daysSupply: 30,
    sig: 'Take 1 tablet by mouth once daily',
  },
  {
    description: 'Levothyroxine Sodium 0.05 MG Oral Tablet',
    rxnorm: '966222',
    ndc: '00378180001',
    quantity: '30',
    unitCode: 'C48542',
    daysSupply: 30,
    sig: 'Take 1 tablet by mouth every morning',
  },
  {
    description: 'Omeprazole 20 MG Delayed Release Oral Capsule',
    rxnorm: '198053',
    ndc: '62175013643',
    quantity: '30',
    unitCode: 'C48480',
    daysSupply: 30,
    sig: 'Take 1 capsule by mouth daily before breakfast',
  },
  {
    description: 'Sertraline 50 MG Oral Tablet',
    rxnorm: '312940',
    ndc: '16729001217',
    quantity: '30',
    unitCode: 'C48542',
    daysSupply: 30,
    sig: 'Take 1 tablet by mouth once daily',
  },
  {
    description: 'Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler',
    rxnorm: '745679',
    ndc: '00173068220',
    quantity: '1',
    unitCode: 'C48499',
    daysSupply: 25,
    sig: 'Inhale 2 puffs every 4 hours as needed',
  },
];

const norm = (s: string) => s.trim().toLowerCase();
const CURATED: Record<string, number[]> = {
  'garcia|maria|1958-03-14': [0, 1, 2],
  'smith|john|1975-07-02': [3, 5],
};

export function medicationHistory(
  p: { last: string; first: string; dob: string },
  today = new Date(),
): DispensedItem[] {
  const key = `${norm(p.last)}|${norm(p.first)}|${p.dob}`;
  const hash = createHash('sha256').update(key).digest();
  let picks = CURATED[key];
  if (!picks) {
    if (hash[0]! % 5 === 0) return [];
    const n = 1 + (hash[1]! % 3);
    picks = [...new Set(Array.from({ length: n }, (_, i) => hash[2 + i]! % DRUGS.length))];
  }
  return picks.map((d, i) => {
    const daysAgo = 3 + ((hash[8 + i]! * 7) % 80);
    return {
      ...DRUGS[d]!,
      lastFillDate: new Date(today.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10),
      pharmacyName: PHARMACIES[hash[12 + i]! % 6]!.name,
    };
  });
}
