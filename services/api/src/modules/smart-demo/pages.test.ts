import { demoCsp } from './smart-demo.router';
import { callbackPage, DEMO_SCOPE, launchPage } from './pages';
import { CALLBACK_JS, LAUNCH_JS } from './browser-scripts';

describe('SMART demo pages', () => {
  it('carry configuration only in escaped data attributes and load code only from /smart-demo', () => {
    const html = launchPage({ clientId: 'a"b<c>', defaultIss: 'http://x/fhir?a=1&b=2' });
    expect(html).toContain('data-client-id="a&quot;b&lt;c&gt;"');
    expect(html).toContain('data-iss="http://x/fhir?a=1&amp;b=2"');
    expect(html).toContain(`data-scope="${DEMO_SCOPE}"`);
    for (const page of [html, callbackPage()]) {
      const scripts = [...page.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
      expect(scripts.length).toBe(2);
      for (const [, attrs, body] of scripts) {
        expect(body).toBe('');
        expect(attrs).toMatch(/src="\/smart-demo\/[a-z-]+\.js"/);
      }
      expect(page).not.toMatch(/<style|\sstyle="|\son[a-z]+="/i);
    }
  });

  it('asks for PKCE, launch context, OpenID identity and patient reads', () => {
    expect(DEMO_SCOPE.split(' ')).toEqual([
      'launch',
      'launch/patient',
      'openid',
      'fhirUser',
      'patient/Patient.rs',
      'patient/Observation.rs',
      'offline_access',
    ]);
    expect(LAUNCH_JS).toContain("pkceMode: 'required'");
    expect(LAUNCH_JS).toContain("redirectUri: 'callback'");
  });

  it('writes FHIR data into the page with textContent only', () => {
    expect(CALLBACK_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(LAUNCH_JS).not.toMatch(/innerHTML|eval\(/);
  });

  it('CSP: no inline or eval, fetches only to this server, never framed', () => {
    const csp = demoCsp('http://localhost:8000');
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' http://localhost:8000;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
  });
});
