import { passwordProblems } from './password-policy';

describe('passwordProblems', () => {
  it.each([
    ['short', 'Ab1!', /at least 12/],
    ['no variety', 'aaaaaaaaaaaaaaaa', /three of/],
    ['contains username', 'Dr.Wilson-2026!x', /username/],
  ])('rejects %s', (_label, pw, re) => {
    expect(passwordProblems(pw, 'wilson').join('; ')).toMatch(re);
  });
  it('accepts a long, varied password', () => {
    expect(passwordProblems('Correct-Horse-42-Battery', 'dr.wilson')).toEqual([]);
  });
});
