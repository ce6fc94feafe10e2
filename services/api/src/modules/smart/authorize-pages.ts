import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { describeScope, narrowingOptions, type ParsedScope } from './scope-policy';

/** Escapes text for HTML element content and attribute values. */
export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface PageCtx {
  requestId: string;
  csrf: string;
  clientName: string;
  redirectOrigin?: string;
}

/**
 * Sends a server-rendered page with a strict CSP: no scripts at all, styles only by nonce, forms only to us
 * and to the client's redirect origin (browsers apply form-action to the redirect that ends the flow),
 * never framed.
 */
export function sendPage(res: Response, status: number, title: string, body: string, redirectOrigin?: string): void {
  const nonce = randomBytes(16).toString('base64');
  const formAction = ["'self'", ...(redirectOrigin ? [redirectOrigin] : [])].join(' ');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
  );
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.status(status).type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – WintEHR</title>
<style nonce="${nonce}">
body{font-family:Roboto,Arial,sans-serif;background:#f5f7fa;color:#1a1a1a;margin:0}
main{max-width:34rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin-top:0}label{display:block;margin:.8rem 0 .3rem;font-weight:500}
input[type=text],input[type=password]{width:100%;padding:.55rem;font-size:1rem;box-sizing:border-box}
button{margin-top:1.2rem;margin-right:.6rem;padding:.6rem 1.2rem;font-size:1rem;cursor:pointer}
.primary{background:#1565c0;color:#fff;border:0;border-radius:4px}.error{color:#c62828;font-weight:500}
fieldset{border:1px solid #ccd;border-radius:6px;margin:.6rem 0;padding:.6rem}.narrow{margin-left:1.6rem;font-size:.92rem}
.inline{display:inline}.scope{font-family:monospace;font-size:.82rem;color:#555}ul{padding-left:1.1rem}
</style></head><body><main>${body}</main></body></html>`);
}

const hidden = (c: PageCtx) =>
  `<input type="hidden" name="request_id" value="${esc(c.requestId)}"><input type="hidden" name="csrf" value="${esc(c.csrf)}">`;
const errorLine = (e?: string) => (e ? `<p class="error" role="alert">${esc(e)}</p>` : '');

export function errorPage(res: Response, status: number, message: string): void {
  sendPage(
    res,
    status,
    'Authorization error',
    `<h1>Authorization error</h1><p class="error" role="alert">${esc(message)}</p><p>You can close this window and return to the application.</p>`,
  );
}

export function loginPage(res: Response, c: PageCtx, error?: string): void {
  sendPage(
    res,
    error ? 401 : 200,
    'Sign in',
    `<h1>Sign in to WintEHR</h1><p><strong>${esc(c.clientName)}</strong> asks to connect to your WintEHR account.</p>${errorLine(error)}
<form method="post" action="/oauth/authorize/login">${hidden(c)}
<label for="username">Username</label><input id="username" name="username" type="text" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button class="primary" type="submit">Sign in</button></form>`,
    c.redirectOrigin,
  );
}

/** The second step: a TOTP code (staff), or the code sent to `sentTo` by email or SMS (patients). */
export function mfaPage(res: Response, c: PageCtx, error?: string, sentTo?: string): void {
  const label = sentTo ? `6-digit code we sent to ${esc(sentTo)}` : '6-digit code from your authenticator app';
  sendPage(
    res,
    error ? 401 : 200,
    'Two-factor authentication',
    `<h1>Two-factor authentication</h1>${errorLine(error)}
<form method="post" action="/oauth/authorize/mfa">${hidden(c)}
<label for="code">${label}</label><input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required autofocus>
<button class="primary" type="submit">Verify</button></form>`,
    c.redirectOrigin,
  );
}

export function patientPickerPage(
  res: Response,
  c: PageCtx,
  candidates: Array<{ id: string; label: string }>,
  error?: string,
): void {
  const options = candidates
    .map(
      (p, i) =>
        `<div><input type="radio" id="p${i}" name="patient_id" value="${esc(p.id)}"${i === 0 ? ' required' : ''}><label for="p${i}" class="inline">${esc(p.label)}</label></div>`,
    )
    .join('');
  sendPage(
    res,
    error ? 403 : 200,
    'Select a patient',
    `<h1>Select a patient</h1><p><strong>${esc(c.clientName)}</strong> will see the selected patient's record.</p>${errorLine(error)}
<form method="post" action="/oauth/authorize/patient">${hidden(c)}
<fieldset><legend>Your patients</legend>${options || '<p>No patients with a care relationship were found.</p>'}</fieldset>
<label for="patient_other">Or enter a patient id</label><input id="patient_other" name="patient_other" type="text" pattern="[A-Za-z0-9.\\-]{1,64}">
<button class="primary" type="submit">Continue</button></form>`,
    c.redirectOrigin,
  );
}

export function consentPage(res: Response, c: PageCtx, scopes: ParsedScope[], patientLabel?: string): void {
  const items = scopes
    .map((s, i) => {
      const narrow = narrowingOptions(s);
      const sub = narrow.length
        ? `<div class="narrow"><span id="n${i}">Limit to (optional):</span>${narrow.map((o, j) => `<div><input type="checkbox" id="n${i}_${j}" name="narrow:${esc(s.raw)}" value="${esc(o.code)}" aria-describedby="n${i}"><label for="n${i}_${j}" class="inline">${esc(o.label)}</label></div>`).join('')}</div>`
        : '';
      return `<div><input type="checkbox" id="s${i}" name="scope" value="${esc(s.raw)}" checked><label for="s${i}" class="inline">${esc(describeScope(s))}</label> <span class="scope">${esc(s.raw)}</span>${sub}</div>`;
    })
    .join('');
  sendPage(
    res,
    200,
    'Allow access',
    `<h1>Allow ${esc(c.clientName)} to access your data?</h1>
${patientLabel ? `<p>Patient: <strong>${esc(patientLabel)}</strong></p>` : ''}
<form method="post" action="/oauth/authorize/consent">${hidden(c)}
<fieldset><legend>Untick anything you do not want to share</legend>${items}</fieldset>
<button class="primary" type="submit" name="decision" value="allow">Allow</button><button type="submit" name="decision" value="deny">Deny</button></form>`,
    c.redirectOrigin,
  );
}
