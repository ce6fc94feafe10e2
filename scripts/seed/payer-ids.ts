/**
 * Payer Organizations loaded before they carried a clearinghouse payer id get it added: the directory is loaded with
 * conditional creates, which leave an existing resource as it was. Pure: the loader reads the payers and sends the
 * transaction this returns (empty when nothing is missing).
 */
import { PAYERS, SYS } from './catalog';
import { DEMO_IDS } from './generate';

export function payerIdUpdates(existing: readonly fhir4.Organization[]): fhir4.Bundle {
  const entry: fhir4.BundleEntry[] = [];
  for (const org of existing) {
    const demo = org.identifier?.find((i) => i.system === SYS.DEMO)?.value;
    const payer = PAYERS.find((p) => DEMO_IDS.payer(p.key) === demo);
    if (!payer || !org.id || org.identifier?.some((i) => i.system === SYS.X12_PAYER_ID)) continue;
    entry.push({
      resource: {
        ...org,
        identifier: [{ system: SYS.X12_PAYER_ID, value: payer.x12PayerId }, ...(org.identifier ?? [])],
      },
      request: { method: 'PUT', url: `Organization/${org.id}` },
    });
  }
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

/** The search that finds the demo payers (their urn:wintehr:demo identifiers). */
export function payerSearch(): string {
  return `Organization?identifier=${PAYERS.map((p) => encodeURIComponent(`${SYS.DEMO}|${DEMO_IDS.payer(p.key)}`)).join(',')}&_count=50`;
}
