/**
 * The simulated pharmacy directory: the six demo pharmacies of the seed (scripts/seed/catalog.ts, NCPDP 1499901-
 * 1499906, the first being the in-house WintEHR Outpatient Pharmacy) and 24 outside pharmacies around them. Data,
 * not logic; NCPDP ids in the 14999xx range are fictional.
 */
export interface DirectoryPharmacy {
  ncpdpId: string;
  npi: string;
  name: string;
  /** The demo Organization's identifier value (urn:wintehr:demo) when the seed has one. */
  demoKey?: string;
  address: { line1: string; city: string; state: string; postalCode: string };
  phone: string;
  fax?: string;
  specialties: string[];
  /** Accepts electronic controlled-substance prescriptions (EPCS). */
  epcs: boolean;
  open24h: boolean;
}

type Row = [
  ncpdp: string,
  name: string,
  line1: string,
  city: string,
  zip: string,
  phone: string,
  epcs: boolean,
  open24h: boolean,
  specialties: string,
  demoKey?: string,
];
const ROWS: Row[] = [
  [
    '1499901',
    'WintEHR Outpatient Pharmacy',
    '100 Medical Center Dr, Suite 110',
    'Springfield',
    '62701',
    '2175550120',
    true,
    false,
    'Retail',
    'pharmacy-wintehr-outpatient',
  ],
  [
    '1499902',
    'Maple Avenue Pharmacy',
    '455 Maple Ave',
    'Springfield',
    '62704',
    '2175550131',
    true,
    false,
    'Retail',
    'pharmacy-maple-avenue',
  ],
  [
    '1499903',
    'Riverside Community Pharmacy',
    '12 River Rd',
    'Springfield',
    '62702',
    '2175550142',
    true,
    false,
    'Retail',
    'pharmacy-riverside-community',
  ],
  [
    '1499904',
    'Harbor Family Drug',
    '890 Harbor Blvd',
    'Chatham',
    '62629',
    '2175550153',
    false,
    false,
    'Retail',
    'pharmacy-harbor-family',
  ],
  [
    '1499905',
    'Sunrise 24-Hour Pharmacy',
    '3100 Sunset Dr',
    'Springfield',
    '62711',
    '2175550164',
    true,
    true,
    'Retail',
    'pharmacy-sunrise-24',
  ],
  [
    '1499906',
    'QuickCare Pharmacy #4412',
    '77 Lincoln Sq',
    'Rochester',
    '62563',
    '2175550175',
    true,
    false,
    'Retail',
    'pharmacy-quickcare-4412',
  ],
  ['1499907', 'Capitol Drug Mart', '210 S 5th St', 'Springfield', '62701', '2175550186', true, false, 'Retail'],
  [
    '1499908',
    'Lincoln Park Apothecary',
    '1802 N Grand Ave',
    'Springfield',
    '62702',
    '2175550197',
    false,
    false,
    'Retail,Compounding',
  ],
  [
    '1499909',
    'Prairie State Mail Order',
    '4400 Commerce Pkwy',
    'Springfield',
    '62707',
    '2175550208',
    true,
    true,
    'MailOrder',
  ],
  [
    '1499910',
    'Sangamon Specialty Pharmacy',
    '615 E Adams St',
    'Springfield',
    '62701',
    '2175550219',
    true,
    false,
    'Specialty',
  ],
  ['1499911', 'Chatham Corner Drug', '14 Main St', 'Chatham', '62629', '2175550220', true, false, 'Retail'],
  [
    '1499912',
    'Jacksonville Family Pharmacy',
    '230 W Morton Ave',
    'Jacksonville',
    '62650',
    '2175550231',
    true,
    false,
    'Retail',
  ],
  ['1499913', 'Decatur Health Pharmacy', '1550 N Main St', 'Decatur', '62526', '2175550242', true, true, 'Retail'],
  ['1499914', 'Taylorville Drug Co', '101 S Main St', 'Taylorville', '62568', '2175550253', false, false, 'Retail'],
  [
    '1499915',
    'Lakeshore Long-Term Care Pharmacy',
    '88 Lake Dr',
    'Springfield',
    '62712',
    '2175550264',
    true,
    false,
    'LongTermCare',
  ],
  [
    '1499916',
    'Heartland Infusion Pharmacy',
    '900 Medical Dr',
    'Springfield',
    '62702',
    '2175550275',
    true,
    false,
    'Specialty,Infusion',
  ],
  ['1499917', 'Westside Pharmacy', '2701 Wabash Ave', 'Springfield', '62704', '2175550286', true, false, 'Retail'],
  [
    '1499918',
    'Eastgate Pharmacy',
    '3001 E Clear Lake Ave',
    'Springfield',
    '62702',
    '2175550297',
    true,
    false,
    'Retail',
  ],
  ['1499919', 'Petersburg Village Drug', '5 Jackson St', 'Petersburg', '62675', '2175550308', false, false, 'Retail'],
  ['1499920', 'Auburn Pharmacy', '120 N 5th St', 'Auburn', '62615', '2175550319', true, false, 'Retail'],
  ['1499921', 'Riverton Rx', '45 E Lincoln St', 'Riverton', '62561', '2175550320', true, false, 'Retail'],
  [
    '1499922',
    'Sherman Family Pharmacy',
    '600 Business Park Dr',
    'Sherman',
    '62684',
    '2175550331',
    true,
    false,
    'Retail',
  ],
  ['1499923', 'Pawnee Drug', '712 Douglas St', 'Pawnee', '62558', '2175550342', false, false, 'Retail'],
  [
    '1499924',
    'Illinois Veterans Pharmacy',
    '1 Veterans Pkwy',
    'Springfield',
    '62703',
    '2175550353',
    true,
    false,
    'Retail',
  ],
  [
    '1499925',
    'Champaign Campus Pharmacy',
    '1109 S Fourth St',
    'Champaign',
    '61820',
    '2175550364',
    true,
    false,
    'Retail',
  ],
  ['1499926', 'Peoria Riverfront Pharmacy', '100 SW Water St', 'Peoria', '61602', '3095550375', true, true, 'Retail'],
  [
    '1499927',
    'Bloomington Medical Pharmacy',
    '1505 Eastland Dr',
    'Bloomington',
    '61701',
    '3095550386',
    true,
    false,
    'Retail',
  ],
  ['1499928', 'Quincy Square Drug', '400 Maine St', 'Quincy', '62301', '2175550397', true, false, 'Retail'],
  [
    '1499929',
    'Carbondale Health Pharmacy',
    '404 W Main St',
    'Carbondale',
    '62901',
    '6185550408',
    true,
    false,
    'Retail',
  ],
  ['1499930', 'Chicago Loop Specialty Rx', '55 E Monroe St', 'Chicago', '60603', '3125550419', true, true, 'Specialty'],
];

/** NPIs: 10 digits with the CMS Luhn check digit (prefix 80840), derived from the NCPDP id. */
function npiFor(base9: string): string {
  const digits = `80840${base9}`.split('').map(Number);
  let sum = 0;
  for (let i = digits.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let d = digits[i]!;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${base9}${(10 - (sum % 10)) % 10}`;
}

export const PHARMACIES: readonly DirectoryPharmacy[] = ROWS.map(
  ([ncpdpId, name, line1, city, postalCode, phone, epcs, open24h, specialties, demoKey]) => ({
    ncpdpId,
    npi: npiFor(`1999100${ncpdpId.slice(-2)}`),
    name,
    demoKey,
    address: { line1, city, state: 'IL', postalCode },
    phone,
    specialties: specialties.split(','),
    epcs,
    open24h,
  }),
);

const BY_ID = new Map(PHARMACIES.map((p) => [p.ncpdpId, p]));
export const pharmacyById = (ncpdpId: string) => BY_ID.get(ncpdpId);

export interface DirectoryQuery {
  name?: string;
  zip?: string;
  ncpdpId?: string;
  limit?: number;
}

/** Case-insensitive name containment, ZIP prefix, exact NCPDP id; all given criteria must match. */
export function searchPharmacies(q: DirectoryQuery): DirectoryPharmacy[] {
  const name = q.name?.trim().toLowerCase();
  const zip = q.zip?.trim();
  return PHARMACIES.filter(
    (p) =>
      (!name || p.name.toLowerCase().includes(name)) &&
      (!zip || p.address.postalCode.startsWith(zip)) &&
      (!q.ncpdpId || p.ncpdpId === q.ncpdpId),
  ).slice(0, q.limit ?? 50);
}
