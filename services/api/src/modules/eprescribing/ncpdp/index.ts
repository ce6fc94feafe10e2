/** NCPDP SCRIPT 2017071: typed messages, XML build/parse, pre-send validation and the FHIR mapping. All pure. */
export * from './types';
export * from './codes';
export { buildScriptXml } from './build';
export { parseScriptXml, ScriptParseError } from './parse';
export { validatePrescription, isValidNpi, isValidDea, LIMITS } from './validate';
export { prescriptionFromFhir, unitCodeOf } from './from-fhir';
