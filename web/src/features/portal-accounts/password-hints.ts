/** The password policy as the user reads it (the server enforces it; this only explains it beforehand). */
export const PASSWORD_HINT =
  'At least 12 characters, mixing three of: lower case, upper case, digits, symbols; not containing your username.';

export function tokenFromSearch(search: string): string {
  return new URLSearchParams(search).get('token') ?? '';
}
