import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { ROUTE_ACCESS } from './route-access';
import { RouteGuard, type SessionStatus } from './RouteGuard';
import type { CurrentUser, Permission } from './types';

const user = (role: CurrentUser['role'], permissions: Permission[]): CurrentUser => ({
  id: 'u',
  username: 'x',
  displayName: 'X',
  role,
  mfaEnabled: false,
  permissions,
  mfaAt: null,
});
const maria = user('patient', ['patient:read', 'medication:view', 'results:view', 'document:read', 'smart:launch']);
const wilson = user('physician', ['patient:read', 'medication:view', 'document:read']);

function ChartShell() {
  return createElement('div', { 'data-testid': 'chart-shell' }, 'Chart sections');
}

/** The chart route as App.tsx declares it, rendered at a typed-in URL for one session. */
function render(status: SessionStatus, who?: CurrentUser) {
  return renderToStaticMarkup(
    createElement(
      MemoryRouter,
      { initialEntries: ['/patients/p-123/notes'] },
      createElement(
        Routes,
        null,
        createElement(Route, {
          path: '/patients/:patientId/*',
          element: createElement(RouteGuard, {
            status,
            user: who,
            rule: ROUTE_ACCESS.chart,
            children: createElement(ChartShell),
          }),
        }),
      ),
    ),
  );
}

test('a patient typing a clinician chart URL gets "not available for your role", and no chart shell', () => {
  const html = render('authenticated', maria);
  assert.match(html, /not available for your role/);
  assert.match(html, /signed in as Patient/);
  assert.doesNotMatch(html, /chart-shell|Chart sections/);
});

test('a clinician gets the chart', () => {
  const html = render('authenticated', wilson);
  assert.match(html, /chart-shell/);
  assert.doesNotMatch(html, /not available/);
});

test('while the session restores, or signed out, nothing of the page renders', () => {
  assert.doesNotMatch(render('restoring'), /chart-shell/);
  assert.match(render('restoring'), /Restoring your session/);
  // Signed out renders only the redirect to the login page (which happens after render, in an effect).
  assert.equal(render('anonymous'), '');
});
