/**
 * The demo app's browser code, served as static files next to fhirclient's browser build (global `FHIR`).
 * Kept as plain ES2017 strings because the API's build emits only .js from .ts (no asset copy step) and
 * the API's TypeScript configuration has no DOM types. Everything written into the page goes through
 * textContent, never innerHTML, since FHIR data is untrusted input.
 */

/** launch.html: FHIR.oauth2.authorize with PKCE required; fhirclient itself reads ?iss, ?launch and ?clientId. */
export const LAUNCH_JS = `(function () {
  'use strict';
  var data = document.body.dataset;
  var params = new URLSearchParams(window.location.search);
  // Optional page size for the Observation search (exercises the gate's paging links); kept for the callback.
  var count = params.get('count');
  try {
    if (count && /^[1-9][0-9]?$/.test(count)) window.sessionStorage.setItem('smart-demo:count', count);
    else window.sessionStorage.removeItem('smart-demo:count');
  } catch (e) { /* storage disabled: the callback uses its default */ }
  function fail(err) {
    document.querySelector('[data-testid="status"]').textContent = 'error';
    var el = document.querySelector('[data-testid="error"]');
    el.hidden = false;
    el.textContent = String((err && err.message) || err);
  }
  if (typeof FHIR === 'undefined') return fail(new Error('fhirclient did not load'));
  FHIR.oauth2.authorize({
    clientId: data.clientId,
    scope: data.scope,
    redirectUri: 'callback',
    pkceMode: 'required',
    iss: params.get('iss') || data.iss
  }).catch(fail);
})();
`;

/** callback.html: FHIR.oauth2.ready(), then the patient and all of their Observations (every page). */
export const CALLBACK_JS = `(function () {
  'use strict';
  function el(id) { return document.querySelector('[data-testid="' + id + '"]'); }
  function set(id, text) { el(id).textContent = text == null ? '' : String(text); }
  function fail(err) {
    set('status', 'error');
    var e = el('error');
    e.hidden = false;
    e.textContent = String((err && err.message) || err);
  }
  function humanName(p) {
    var n = (p.name || [])[0];
    if (!n) return '(no name)';
    if (n.text) return n.text;
    return [].concat(n.prefix || [], n.given || [], n.family ? [n.family] : []).join(' ');
  }
  function codeText(cc) {
    if (!cc) return '(no code)';
    var c = (cc.coding || [])[0] || {};
    return cc.text || c.display || c.code || '(no code)';
  }
  function valueText(o) {
    if (o.valueQuantity) return [o.valueQuantity.value, o.valueQuantity.unit || o.valueQuantity.code].filter(function (x) { return x != null; }).join(' ');
    if (o.valueCodeableConcept) return codeText(o.valueCodeableConcept);
    if (o.valueString != null) return o.valueString;
    if (o.valueBoolean != null) return String(o.valueBoolean);
    if (o.component && o.component.length) return o.component.length + ' components';
    return '';
  }
  if (typeof FHIR === 'undefined') return fail(new Error('fhirclient did not load'));
  var pageSize = 50;
  try { pageSize = Number(window.sessionStorage.getItem('smart-demo:count')) || 50; } catch (e) { /* default */ }

  FHIR.oauth2.ready().then(function (client) {
    var patientId = client.getPatientId();
    if (!patientId) throw new Error('the token response has no patient in context');
    var token = client.state.tokenResponse || {};
    var idToken = client.getIdToken();
    set('granted-scope', token.scope || '');
    set('id-token', idToken ? 'present' : 'absent');
    set('fhir-user', (idToken && client.getFhirUser()) || '');
    set('refresh-token', token.refresh_token ? 'present' : 'absent');
    set('need-patient-banner', token.need_patient_banner == null ? '' : String(token.need_patient_banner));
    set('encounter-id', client.getEncounterId() || '');
    set('status', 'loading');
    var query = 'Observation?patient=' + encodeURIComponent(patientId) + '&_sort=-date&_count=' + pageSize;
    return Promise.all([
      client.request('Patient/' + encodeURIComponent(patientId)),
      // pageLimit 0: follow every next link the server returns (the gate binds them to this token).
      client.request(query, { pageLimit: 0, flat: true })
    ]).then(function (results) {
      var patient = results[0];
      var observations = (results[1] || []).filter(function (r) { return r && r.resourceType === 'Observation'; });
      set('patient-name', humanName(patient));
      set('patient-id', patient.id);
      set('patient-birthdate', patient.birthDate || '');
      set('observation-count', observations.length);
      var subjects = {};
      observations.forEach(function (o) { subjects[(o.subject && o.subject.reference) || '(none)'] = true; });
      set('observation-subjects', Object.keys(subjects).sort().join(' '));
      var list = el('observation-list');
      observations.slice(0, 5).forEach(function (o) {
        var li = document.createElement('li');
        li.setAttribute('data-testid', 'observation');
        li.textContent = codeText(o.code) + ': ' + valueText(o) + (o.effectiveDateTime ? ' (' + o.effectiveDateTime + ')' : '');
        list.appendChild(li);
      });
      el('result').hidden = false;
      set('status', 'ready');
    });
  }).catch(fail);
})();
`;

export const DEMO_CSS = `body{font-family:Roboto,Arial,sans-serif;background:#f5f7fa;color:#1a1a1a;margin:0}
main{max-width:44rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.3rem;margin-top:0}h2{font-size:1.2rem}h3{font-size:1rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{width:12rem;font-weight:500;color:#444}td{word-break:break-word;font-family:monospace;font-size:.9rem}
.error{color:#c62828;font-weight:500}
`;
