import { Router, type Response } from 'express';
import type { AppDeps } from '../../core/deps';
import { notFound } from '../../core/errors';
import { DEMO_CLIENT_ID } from '../smart/demo-client';
import { CALLBACK_JS, DEMO_CSS, LAUNCH_JS } from './browser-scripts';
import { callbackPage, launchPage } from './pages';

/**
 * Where fhirclient's browser build lives, or undefined when the package is not installed (it is a root
 * devDependency: a pruned production image has no demo app, and the routes answer 404 instead of failing).
 */
function fhirClientBundle(): string | undefined {
  try {
    return require.resolve('fhirclient/build/fhir-client.js');
  } catch {
    return undefined;
  }
}

/**
 * The demo app's own CSP: scripts and styles only from this server (no inline code), fetches only to this
 * server (its /fhir, discovery and token endpoints; the public base URL's origin too, in case the browser
 * reached the API under another host name), no forms, never framed.
 */
export function demoCsp(publicBaseUrl: string): string {
  const connect = ["'self'", new URL(publicBaseUrl).origin].join(' ');
  return `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${connect}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/**
 * A tiny SMART on FHIR app served by the API itself (public client `wintehr-demo-app`, seeded in demo mode):
 * /smart-demo/launch starts a standalone (?iss) or EHR (?iss&launch) launch with fhirclient and PKCE,
 * /smart-demo/callback completes it and shows the patient and their Observations read through /fhir.
 * No PHI passes through the server here: the pages are static; the browser talks to /oauth and /fhir.
 */
export function smartDemoRouter(deps: AppDeps): Router {
  const r = Router();
  const csp = demoCsp(deps.config.publicBaseUrl);
  const launchHtml = launchPage({ clientId: DEMO_CLIENT_ID, defaultIss: `${deps.config.publicBaseUrl}/fhir` });
  const callbackHtml = callbackPage();
  const bundle = fhirClientBundle();

  r.use('/smart-demo', (_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
  const send = (res: Response, type: string, body: string) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type(type).send(body);
  };
  r.get('/smart-demo/launch', (_req, res) => send(res, 'html', launchHtml));
  r.get('/smart-demo/callback', (_req, res) => send(res, 'html', callbackHtml));
  r.get('/smart-demo/launch.js', (_req, res) => send(res, 'js', LAUNCH_JS));
  r.get('/smart-demo/callback.js', (_req, res) => send(res, 'js', CALLBACK_JS));
  r.get('/smart-demo/style.css', (_req, res) => send(res, 'css', DEMO_CSS));
  r.get('/smart-demo/fhir-client.js', (_req, res, next) => {
    if (!bundle) return next(notFound('File', 'fhir-client.js'));
    res.sendFile(bundle, { maxAge: '1h', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } }, (err) => {
      if (err) next(err);
    });
  });
  return r;
}
