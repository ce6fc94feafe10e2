import type { AppDeps } from '../../core/deps';
import type { NetworkHistoryItem } from '@wintehr/contracts';
import { newMessageId, SOFTWARE } from '../eprescribing/erx.service';
import { historyItems } from '../eprescribing/history-items';
import { buildScriptXml, FHIR_SYSTEMS, parseScriptXml } from '../eprescribing/ncpdp';
import { patientFromFhir } from '../eprescribing/ncpdp/from-fhir';
import { postScript } from '../eprescribing/transport';

export type OutsideHistory =
  { status: 'ok'; retrievedAt: string; items: NetworkHistoryItem[] } | { status: 'unavailable'; message: string };

/**
 * The network's dispensing history (SCRIPT RxHistoryRequest) for reconciliation. Unlike GET medication-history,
 * a network that cannot answer is not an error here: reconciliation goes on with the two local sources and
 * says the third is missing. The message carries no PHI (it is shown, not logged).
 */
export async function outsideHistory(
  deps: AppDeps,
  patient: fhir4.Patient,
  practitionerId: string | undefined,
): Promise<OutsideHistory> {
  const p = patientFromFhir(patient);
  if (!p.name.last || !p.name.first || !p.dateOfBirth)
    return { status: 'unavailable', message: 'The patient needs a first name, last name and birth date' };
  try {
    let npi = 'WINTEHR';
    if (practitionerId) {
      const pr = await deps.fhir.read('Practitioner', practitionerId).catch(() => undefined);
      npi = pr?.identifier?.find((i) => i.system === FHIR_SYSTEMS.npi)?.value ?? npi;
    }
    const xml = buildScriptXml({
      type: 'RxHistoryRequest',
      header: {
        to: { qualifier: 'M', id: 'SURESCRIPTS' },
        from: { qualifier: 'C', id: npi },
        messageId: newMessageId(),
        sentTime: new Date().toISOString(),
        software: SOFTWARE,
      },
      patient: p,
    });
    const answer = await postScript(deps.config.erx, xml);
    const msg = parseScriptXml(answer.body);
    if (msg.type !== 'RxHistoryResponse')
      return { status: 'unavailable', message: 'The e-prescribing network did not return a history' };
    return {
      status: 'ok',
      retrievedAt: new Date().toISOString(),
      items: historyItems(msg),
    };
  } catch (err) {
    deps.logger.warn({ err: { message: (err as Error).message } }, 'reconciliation: medication history unavailable');
    return { status: 'unavailable', message: 'The e-prescribing network is not reachable' };
  }
}
