import { historyItems } from './history-items';
import type { MedicationInfo, PatientInfo, ScriptHeader } from './ncpdp';

const header: ScriptHeader = {
  to: { qualifier: 'C', id: '1' },
  from: { qualifier: 'M', id: 'SURESCRIPTS' },
  messageId: 'H1',
  sentTime: '2026-11-23T10:00:00Z',
};
const fill: MedicationInfo = {
  description: 'Lisinopril 20 MG Oral Tablet',
  ndc: '00378001801',
  rxnorm: { code: '314077', qualifier: 'SCD' },
  quantity: { value: '30', unitCode: 'C48542' },
  daysSupply: 30,
  writtenDate: '2026-09-01',
  substitutionsAllowed: true,
  refills: 2,
  sig: 'Take 1 tablet by mouth daily',
};
const patient: PatientInfo = { name: { last: 'Doe', first: 'Jane' }, gender: 'F', dateOfBirth: '1970-01-01' };

describe('historyItems', () => {
  it('maps each fill with its codes, quantity, supply, date and pharmacy', () => {
    const items = historyItems({
      type: 'RxHistoryResponse',
      header,
      patient,
      dispensed: [{ ...fill, lastFillDate: '2026-10-01', pharmacyName: 'Main St Pharmacy' }],
    });
    expect(items).toEqual([
      {
        description: 'Lisinopril 20 MG Oral Tablet',
        rxnorm: '314077',
        ndc: '00378001801',
        quantity: '30',
        unitCode: 'C48542',
        daysSupply: 30,
        lastFillDate: '2026-10-01',
        pharmacyName: 'Main St Pharmacy',
        sig: 'Take 1 tablet by mouth daily',
      },
    ]);
  });

  it('turns the parts the network left out into null', () => {
    const { ndc: _n, rxnorm: _r, daysSupply: _d, ...bare } = fill;
    const [item] = historyItems({ type: 'RxHistoryResponse', header, patient, dispensed: [bare] });
    expect(item).toMatchObject({ rxnorm: null, ndc: null, daysSupply: null, lastFillDate: null, pharmacyName: null });
  });

  it('gives no items for an empty history', () => {
    expect(historyItems({ type: 'RxHistoryResponse', header, patient, dispensed: [] })).toEqual([]);
  });
});
