import type { Page } from 'playwright-core';
import { adminToken, resetMfa } from './api';
import { login } from './browser';

/**
 * The page's own access token, read from the Authorization header of the app's API calls. Set-up and checks use it
 * instead of logging in again through the API (login is rate-limited per IP).
 */
export function sessionToken(page: Page): () => string {
  let token = '';
  page.on('request', (r) => {
    void r.allHeaders().then(
      (h) => {
        if (h.authorization?.startsWith('Bearer ')) token = h.authorization.slice(7);
      },
      () => undefined,
    );
  });
  return () => {
    if (!token) throw new Error('the page has made no authenticated API call yet');
    return token;
  };
}

/** Signs in through the form; a demo account left with MFA by another run is reset by the admin first. */
export async function signIn(page: Page, username: string): Promise<void> {
  await login(page, username);
  const home = page.getByRole('heading', { name: /^Welcome, / });
  const mfa = page.getByRole('heading', { name: 'Two-step verification' });
  await home.or(mfa).first().waitFor();
  if (await mfa.isVisible()) {
    await resetMfa(await adminToken(), username);
    await login(page, username);
    await home.waitFor();
  }
}
