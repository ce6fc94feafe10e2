/**
 * The two HTML pages of the demo SMART app. They carry no inline script or style (the route's CSP allows only
 * files from /smart-demo); the launch page passes its configuration to launch.js through data attributes.
 */
const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** What the demo app asks for (the brief of issue 4: launch context, OpenID, patient reads, a refresh token). */
export const DEMO_SCOPE =
  'launch launch/patient openid fhirUser patient/Patient.rs patient/Observation.rs offline_access';

const shell = (title: string, body: string, script: string, data: Record<string, string> = {}) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – WintEHR demo SMART app</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/smart-demo/style.css">
<script src="/smart-demo/fhir-client.js" defer></script>
<script src="/smart-demo/${script}" defer></script>
</head><body${Object.entries(data)
  .map(([k, v]) => ` data-${k}="${esc(v)}"`)
  .join('')}><main>${body}</main></body></html>`;

/** Starts the authorization (standalone with ?iss=…, EHR with ?iss=…&launch=…). */
export function launchPage(o: { clientId: string; defaultIss: string }): string {
  return shell(
    'Connecting',
    `<h1>WintEHR demo SMART app</h1>
<p data-testid="status" role="status">Connecting to the EHR…</p>
<p data-testid="error" class="error" role="alert" hidden></p>`,
    'launch.js',
    { 'client-id': o.clientId, scope: DEMO_SCOPE, iss: o.defaultIss },
  );
}

/** Completes the authorization and shows what the token gave access to; every value has a data-testid. */
export function callbackPage(): string {
  const row = (label: string, id: string) => `<tr><th scope="row">${label}</th><td data-testid="${id}"></td></tr>`;
  return shell(
    'Patient summary',
    `<h1>WintEHR demo SMART app</h1>
<p data-testid="status" role="status">Completing sign-in…</p>
<p data-testid="error" class="error" role="alert" hidden></p>
<section data-testid="result" hidden>
<h2 data-testid="patient-name"></h2>
<table><tbody>
${row('Patient id', 'patient-id')}
${row('Birth date', 'patient-birthdate')}
${row('Encounter in context', 'encounter-id')}
${row('Observations', 'observation-count')}
${row('Observation subjects', 'observation-subjects')}
${row('Granted scope', 'granted-scope')}
${row('id_token', 'id-token')}
${row('fhirUser', 'fhir-user')}
${row('Refresh token', 'refresh-token')}
${row('Needs patient banner', 'need-patient-banner')}
</tbody></table>
<h3>Most recent observations</h3>
<ul data-testid="observation-list"></ul>
</section>`,
    'callback.js',
  );
}
