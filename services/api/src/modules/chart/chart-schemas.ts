import { CODE_SYSTEMS, type CodedConcept } from '@wintehr/contracts';

/** A validated coded concept (see the contract's request schemas) as the FHIR CodeableConcept HAPI stores. */
export const toConcept = (c: CodedConcept): fhir4.CodeableConcept => ({
  coding: [{ system: CODE_SYSTEMS[c.system], code: c.code, display: c.display }],
  text: c.display,
});
