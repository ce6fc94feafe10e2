/**
 * Code lists used by the SCRIPT 2017071 messages we build. Values come from public NCPDP SCRIPT 2017071 samples and
 * the FDA/NCI "Structured Product Labeling" terminology (NCPDP adopts NCI Thesaurus codes for units and DEA
 * schedules). The licensed NCPDP External Code List was NOT available to us: where a code is marked "unverified" it
 * follows public implementations rather than the ECL itself.
 */
import type { DeaSchedule } from '../../drug-safety/types';

export const SCRIPT_NAMESPACE = 'http://www.ncpdp.org/schema/SCRIPT';
/** Attributes of <Message> in 2017071 (every version attribute is 20170715 in public samples). */
export const SCRIPT_VERSION_ATTRIBUTES = {
  DatatypesVersion: '20170715',
  TransportVersion: '20170715',
  TransactionDomain: 'SCRIPT',
  TransactionVersion: '20170715',
  StructuresVersion: '20170715',
  ECLVersion: '20170715',
} as const;

/** DEA schedule → NCI code carried in DrugCoded/DEASchedule/Code. C38046 = "unspecified" (not controlled). */
export const DEA_SCHEDULE_NCI: Record<DeaSchedule | 'I', string> = {
  I: 'C48672',
  II: 'C48675',
  III: 'C48676',
  IV: 'C48677',
  V: 'C48679',
};
export const NCI_NOT_SCHEDULED = 'C38046';

/** Quantity unit of measure (NCI codes, code list qualifier 38 = "original quantity"). */
export const NCI_UNITS: Record<string, string> = {
  tablet: 'C48542',
  tab: 'C48542',
  capsule: 'C48480',
  cap: 'C48480',
  ml: 'C28254',
  milliliter: 'C28254',
  millilitre: 'C28254',
  g: 'C48155',
  gram: 'C48155',
  patch: 'C48524',
  suppository: 'C48539',
  each: 'C64933',
  ea: 'C64933',
  inhaler: 'C48499', // unverified: "Inhaler" in public samples
  unspecified: 'C38046',
};
export const NCI_CODE = /^C\d{4,6}$/;

/** NCPDP Status / Error codes the adapter and the simulator exchange (public descriptions; ECL not verified). */
export const STATUS_CODES = {
  TRANSACTION_SUCCESSFUL: '000',
  ACCEPTED_BY_RECEIVER: '010',
} as const;
export const ERROR_CODES = {
  COMMUNICATION_PROBLEM: '600', // try again later: retriable
  RECEIVER_UNABLE_TO_PROCESS: '601',
  RECEIVER_SYSTEM_ERROR: '602', // retriable
  TRANSACTION_REJECTED: '900',
} as const;
/** DescriptionCode values used here (subset; unverified against the ECL). */
export const ERROR_DESCRIPTION_CODES = {
  NOT_WELL_FORMED: '1000', // "Unable to identify based on information submitted"
  MISSING_REQUIRED: '2000', // unverified: required element missing
  UNKNOWN_RECEIVER: '1001', // unverified: receiver (pharmacy) not found in directory
  AUTHENTICATION_FAILED: '4000', // unverified
  DUPLICATE: '220', // unverified: "Message is a duplicate"
} as const;

/** RxNorm term types allowed as DrugDBCode qualifiers. */
export const RXNORM_QUALIFIERS = [
  'SCD',
  'SBD',
  'GPCK',
  'BPCK',
  'SCDF',
  'SBDF',
  'SCDG',
  'SBDG',
  'SBDC',
  'SCDC',
  'BN',
  'IN',
  'MIN',
  'PIN',
] as const;

export const FHIR_SYSTEMS = {
  npi: 'http://hl7.org/fhir/sid/us-npi',
  /** HL7 THO NamingSystem for the NCPDP Provider Identification Number (pharmacies). */
  ncpdp: 'http://terminology.hl7.org/NamingSystem/NCPDPProviderIdentificationNumber',
  ncpdpAlt: [
    'http://terminology.hl7.org/CodeSystem/NCPDPProviderIdentificationNumber',
    'urn:oid:2.16.840.1.113883.6.68',
  ],
  dea: 'http://hl7.org/fhir/sid/us-dea',
  deaAlt: ['urn:oid:2.16.840.1.113883.4.814'],
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ndc: 'http://hl7.org/fhir/sid/ndc',
} as const;
