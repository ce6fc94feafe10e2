import { buildScriptXml, type ScriptHeader } from './ncpdp';
import { classifyAnswer } from './outcome';

const h: ScriptHeader = {
  to: { qualifier: 'C', id: '1' },
  from: { qualifier: 'P', id: '2' },
  messageId: 'A',
  sentTime: '2026-11-23T10:00:00Z',
};
const xml = (type: 'Status' | 'Verify' | 'Error', code: string, descriptionCode?: string) =>
  buildScriptXml({ type, header: h, status: { code, descriptionCode, description: 'd' } });

describe('classifyAnswer', () => {
  test.each([
    ['Status 010', { status: 200, body: xml('Status', '010') }, 'accepted'],
    ['Verify 010', { status: 200, body: xml('Verify', '010') }, 'accepted'],
    ['Error 900', { status: 200, body: xml('Error', '900', '2000') }, 'rejected'],
    ['Error 601', { status: 200, body: xml('Error', '601') }, 'rejected'],
    ['Error 600', { status: 200, body: xml('Error', '600') }, 'retry'],
    ['Error 602', { status: 200, body: xml('Error', '602') }, 'retry'],
    ['HTTP 500', { status: 500, body: 'x' }, 'retry'],
    ['HTTP 502 (ack lost)', { status: 502, body: 'x' }, 'retry'],
    ['HTTP 429', { status: 429, body: '' }, 'retry'],
    ['HTTP 200 garbage', { status: 200, body: '<html>' }, 'retry'],
    ['HTTP 400 with Error XML', { status: 400, body: xml('Error', '900', '1000') }, 'rejected'],
    ['HTTP 400 without XML', { status: 400, body: 'bad' }, 'rejected'],
    ['HTTP 401', { status: 401, body: xml('Error', '900') }, 'fatal'],
  ])('%s → %s', (_l, answer, kind) => {
    expect(classifyAnswer(answer).kind).toBe(kind);
  });
  test('the rejection reason carries code, description code and text', () => {
    expect(classifyAnswer({ status: 200, body: xml('Error', '900', '2000') })).toEqual({
      kind: 'rejected',
      code: '900',
      reason: '900/2000: d',
    });
  });
});
