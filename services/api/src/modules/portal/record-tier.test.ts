import type { PortalRecord } from '@wintehr/contracts';
import { recordForTier } from './record-tier';

const record: PortalRecord = {
  problems: [{ id: 'c1', name: 'Asthma', status: 'active', onset: null }] as unknown as PortalRecord['problems'],
  medications: [{ id: 'm1' }] as unknown as PortalRecord['medications'],
  allergies: { state: 'recorded', items: [{ id: 'a1' }] } as unknown as PortalRecord['allergies'],
  immunizations: [{ id: 'i1', vaccine: 'MMR', date: '2020-01-01' }],
  vitals: [{ id: 'v1' }] as unknown as PortalRecord['vitals'],
  visits: [{ id: 'e1' }] as unknown as PortalRecord['visits'],
  notes: [{ id: 'n1' }] as unknown as PortalRecord['notes'],
};

describe('recordForTier', () => {
  it('leaves the record whole for the patient and a full proxy', () => {
    expect(recordForTier(record, 'self')).toBe(record);
    expect(recordForTier(record, 'full')).toBe(record);
  });

  it('empties and names the confidential sections for a limited proxy, keeping the rest', () => {
    const r = recordForTier(record, 'limited');
    expect(r.problems).toEqual([]);
    expect(r.medications).toEqual([]);
    expect(r.notes).toEqual([]);
    expect(r.vitals).toEqual([]);
    expect(r.hidden).toEqual(['problems', 'medications', 'vitals', 'notes']);
    expect(r.allergies).toBe(record.allergies);
    expect(r.immunizations).toBe(record.immunizations);
    expect(r.visits).toBe(record.visits);
  });
});
