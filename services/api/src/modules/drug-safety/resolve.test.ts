import { codeSystemOf, ndcCandidates, resolveIngredients, resolveMedication } from './resolve';
import { NDC, RXNORM, SNOMED, kb, rx } from './test-helpers.test-util';

const ins = (code: string, system?: string) => {
  const r = resolveIngredients(kb(), code, system);
  return r.status === 'resolved' ? r.ingredients.map((i) => i.name).sort() : r.reason;
};

describe('resolveIngredients', () => {
  it.each([
    ['IN', '36567', ['simvastatin']],
    ['PIN (benazepril hydrochloride)', '235758', ['benazepril']],
    ['MIN (ezetimibe / simvastatin)', '484211', ['ezetimibe', 'simvastatin']],
    ['SCDC (simvastatin 40 MG)', '316674', ['simvastatin']],
    ['SCD (simvastatin 40 MG Oral Tablet)', '198211', ['simvastatin']],
    ['SBD (Zocor 40 MG)', '152923', ['simvastatin']],
    ['GPCK (amoxicillin/clarithromycin/lansoprazole)', '757968', ['amoxicillin', 'clarithromycin', 'lansoprazole']],
    ['BPCK (Omeclamox)', '1291987', ['amoxicillin', 'clarithromycin', 'omeprazole']],
    ['BN (Zocor)', '196503', ['simvastatin']],
    ['SCD with an A-gap co-ingredient (amlodipine / benazepril)', '898353', ['amlodipine', 'benazepril']],
    ['SCD with an A-gap co-ingredient (amoxicillin / clavulanate)', '562508', ['amoxicillin', 'clavulanate']],
    [
      'mixed amphetamine salts (PINs of amphetamine and dextroamphetamine)',
      '541363',
      ['amphetamine', 'dextroamphetamine'],
    ],
    ['supplement SCD (amlodipine 5 MG Oral Tablet)', '197361', ['amlodipine']],
    ['supplement SBD (Pacerone)', '834346', ['amiodarone']],
  ])('%s resolves to IN-level ingredients', (_label, code, expected) => {
    expect(ins(code, RXNORM)).toEqual(expected);
    expect(rx(code).code).toBe(code);
  });

  it('resolves NDCs (11-digit, hyphenated 5-4-2 and 4-4-2) to the product', () => {
    for (const c of ['00615805605', '00615-8056-05', '0615-8056-05']) {
      const r = resolveIngredients(kb(), c, NDC);
      expect(r.status).toBe('resolved');
      if (r.status === 'resolved') expect(r.concept.rxcui).toBe('198211');
    }
    expect(ins('00615805605')).toEqual(['simvastatin']); // system guessed from the shape
  });

  it('reports unknown, empty and unsupported codes as unresolved (never as an empty ingredient list)', () => {
    expect(ins('999999999', RXNORM)).toBe('unknown-code');
    expect(ins('', RXNORM)).toBe('no-code');
    expect(ins('12345-6789-01', NDC)).toBe('unknown-code');
    expect(ins('91936005', SNOMED)).toBe('unsupported-system');
  });

  it('marks products whose ingredients are only partly mapped', () => {
    const r = resolveIngredients(kb(), '243463', RXNORM); // aluminum hydroxide (outside the extract) / magnesium hydroxide
    expect(r.status === 'resolved' && r.partial).toBe(true);
    expect(r.status === 'resolved' && r.concept.unmapped).toEqual(['aluminum hydroxide']);
  });

  it('resolveMedication takes the first resolvable coding', () => {
    const r = resolveMedication(kb(), {
      codings: [
        { system: 'http://example.org/local', code: 'X1' },
        { system: NDC, code: '00615-8056-05' },
        { system: RXNORM, code: '152923' },
      ],
    });
    expect(r.status === 'resolved' && r.concept.rxcui).toBe('152923');
  });

  it('normalises code systems and NDC formats', () => {
    expect(codeSystemOf('http://www.nlm.nih.gov/research/umls/rxnorm', '1')).toBe('rxnorm');
    expect(codeSystemOf('urn:oid:2.16.840.1.113883.6.69', '1')).toBe('ndc');
    expect(codeSystemOf(undefined, '0615-8056-05')).toBe('ndc');
    expect(codeSystemOf(undefined, 'penicillin')).toBe('text');
    expect(ndcCandidates('1234567890')).toEqual(['01234567890', '12345067890', '12345678900']);
    expect(ndcCandidates('12345-678-9')).toEqual(['12345067809']);
  });
});
