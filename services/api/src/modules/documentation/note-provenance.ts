/** The Provenance recorded with a signature or an amendment, naming the signer as attester. */
export function provenance(
  targets: string[],
  signer: fhir4.Reference,
  now: string,
  activity: 'sign' | 'amend',
  reason?: string,
): fhir4.Provenance {
  return {
    resourceType: 'Provenance',
    target: targets.map((reference) => ({ reference })),
    recorded: now,
    activity: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
          code: activity === 'sign' ? 'UPDATE' : 'CREATE',
        },
      ],
      text: activity === 'sign' ? 'Note signed' : 'Note amended',
    },
    agent: [
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
              code: 'attester',
              display: 'Attester',
            },
          ],
        },
        who: signer,
      },
    ],
    signature: [
      {
        type: [{ system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.1', display: "Author's Signature" }],
        when: now,
        who: signer,
        sigFormat: 'text/plain',
        data: Buffer.from(`signed ${targets.join(',')} by ${signer.reference} at ${now}`).toString('base64'),
      },
    ],
    ...(reason ? { reason: [{ text: reason }] } : {}),
  };
}
