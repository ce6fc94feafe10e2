import { applyJsonPatch, JsonPatchError } from './json-patch';

const doc = {
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  subject: { reference: 'Patient/a' },
  performer: [{ reference: 'Practitioner/p' }],
  'a/b': 1,
  'c~d': 2,
};

describe('applyJsonPatch (RFC 6902)', () => {
  test.each([
    ['replace', [{ op: 'replace', path: '/status', value: 'amended' }], { status: 'amended' }],
    ['add to object', [{ op: 'add', path: '/note', value: [{ text: 'n' }] }], { note: [{ text: 'n' }] }],
    [
      'append to array',
      [{ op: 'add', path: '/performer/-', value: { reference: 'Practitioner/q' } }],
      { performer: [{ reference: 'Practitioner/p' }, { reference: 'Practitioner/q' }] },
    ],
    [
      'insert into array',
      [{ op: 'add', path: '/performer/0', value: { reference: 'Practitioner/q' } }],
      { performer: [{ reference: 'Practitioner/q' }, { reference: 'Practitioner/p' }] },
    ],
    ['remove', [{ op: 'remove', path: '/performer' }], { performer: undefined }],
    [
      'nested replace',
      [{ op: 'replace', path: '/subject/reference', value: 'Patient/b' }],
      { subject: { reference: 'Patient/b' } },
    ],
    [
      'escaped keys',
      [
        { op: 'replace', path: '/a~1b', value: 3 },
        { op: 'replace', path: '/c~0d', value: 4 },
      ],
      { 'a/b': 3, 'c~d': 4 },
    ],
    ['copy', [{ op: 'copy', from: '/subject', path: '/focus' }], { focus: { reference: 'Patient/a' } }],
    [
      'move',
      [{ op: 'move', from: '/subject', path: '/focus' }],
      { focus: { reference: 'Patient/a' }, subject: undefined },
    ],
    [
      'test then replace',
      [
        { op: 'test', path: '/status', value: 'final' },
        { op: 'replace', path: '/status', value: 'amended' },
      ],
      { status: 'amended' },
    ],
  ])('%s', (_n, ops, expected) => {
    const out = applyJsonPatch(doc, ops) as Record<string, unknown>;
    for (const [k, v] of Object.entries(expected)) expect(out[k]).toEqual(v);
    expect(doc.status).toBe('final');
    expect(doc.performer).toHaveLength(1);
  });

  test.each([
    ['not an array', { op: 'replace' }],
    ['empty', []],
    ['unknown op', [{ op: 'merge', path: '/status' }]],
    ['bad pointer', [{ op: 'replace', path: 'status', value: 1 }]],
    ['missing path', [{ op: 'replace', path: '/nope/x', value: 1 }]],
    ['remove missing', [{ op: 'remove', path: '/nope' }]],
    ['array index out of range', [{ op: 'replace', path: '/performer/5', value: 1 }]],
    ['bad array index', [{ op: 'add', path: '/performer/01', value: 1 }]],
    ['root', [{ op: 'replace', path: '', value: {} }]],
    ['failed test', [{ op: 'test', path: '/status', value: 'draft' }]],
    ['move into itself', [{ op: 'move', from: '/subject', path: '/subject/x' }]],
    ['prototype pollution', [{ op: 'add', path: '/__proto__', value: { polluted: true } }]],
  ])('refuses %s', (_n, ops) => {
    expect(() => applyJsonPatch(doc, ops)).toThrow(JsonPatchError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
