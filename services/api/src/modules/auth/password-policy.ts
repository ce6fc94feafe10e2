/** Password rules (seed 004 §7.2): length first, then variety, and no obvious choices. */
const COMMON = new Set([
  'password',
  'password1',
  'password123',
  'qwerty123',
  'letmein',
  'welcome1',
  'admin123',
  'changeme',
  'iloveyou',
]);

export function passwordProblems(password: string, username?: string): string[] {
  const problems: string[] = [];
  if (password.length < 12) problems.push('must be at least 12 characters');
  if (password.length > 128) problems.push('must be at most 128 characters');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) problems.push('must mix at least three of: lower case, upper case, digits, symbols');
  if (COMMON.has(password.toLowerCase())) problems.push('is too common');
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    problems.push('must not contain the username');
  return problems;
}
