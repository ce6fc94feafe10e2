import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientPatch, draftOf, emptyDraft, newClientBody, splitList } from './client-form';
import type { SmartClient } from './smart-api';

test('lists split on spaces, newlines and commas, without blanks or repeats', () => {
  assert.deepEqual(splitList(' a b\n c,d  a\n\n'), ['a', 'b', 'c', 'd']);
  assert.deepEqual(splitList('  '), []);
});

test('a public app: redirect URIs, scopes, launch URL; no auth method or keys sent', () => {
  const out = newClientBody({
    ...emptyDraft(),
    name: ' Growth chart ',
    redirectUris: 'https://app.example/cb\nhttps://app.example/cb2',
    launchUrl: 'https://app.example/launch',
  });
  assert.deepEqual(out, {
    ok: true,
    value: {
      name: 'Growth chart',
      type: 'public',
      redirectUris: ['https://app.example/cb', 'https://app.example/cb2'],
      allowedScopes: ['openid', 'fhirUser', 'launch', 'launch/patient', 'patient/*.rs', 'offline_access'],
      launchUrl: 'https://app.example/launch',
    },
  });
});

test('confidential with client_secret_basic sends its method; private_key_jwt needs keys', () => {
  const base = {
    ...emptyDraft(),
    name: 'C',
    type: 'confidential' as const,
    redirectUris: 'https://c.example/cb',
    clientId: 'my-app',
  };
  const secret = newClientBody(base);
  assert.ok(secret.ok);
  assert.equal(secret.value.tokenEndpointAuthMethod, 'client_secret_basic');
  assert.equal(secret.value.clientId, 'my-app');
  assert.deepEqual(newClientBody({ ...base, authMethod: 'private_key_jwt' }), {
    ok: false,
    problems: { 'body.jwks': 'Key-based authentication needs a JWKS or a JWKS URL' },
  });
  const keyed = newClientBody({ ...base, authMethod: 'private_key_jwt', jwks: '{"keys":[{"kty":"RSA","kid":"k1"}]}' });
  assert.ok(keyed.ok);
  assert.deepEqual(keyed.value.jwks, { keys: [{ kty: 'RSA', kid: 'k1' }] });
});

test('a backend client has no redirect URIs or launch URL, and system/ scopes', () => {
  const out = newClientBody({
    ...emptyDraft(),
    name: 'Nightly export',
    type: 'backend',
    redirectUris: 'https://ignored',
    launchUrl: 'https://ignored/launch',
    allowedScopes: 'system/Patient.rs',
    jwksUri: 'https://k.example/jwks.json',
  });
  assert.deepEqual(out, {
    ok: true,
    value: {
      name: 'Nightly export',
      type: 'backend',
      redirectUris: [],
      allowedScopes: ['system/Patient.rs'],
      jwksUri: 'https://k.example/jwks.json',
    },
  });
});

test('problems are keyed by the API field names', () => {
  const out = newClientBody({
    ...emptyDraft(),
    clientId: 'a b',
    redirectUris: 'not-a-url https://x/#frag',
    allowedScopes: 'system/Patient.rs',
    launchUrl: 'ftp://x',
    jwks: '{',
  });
  assert.deepEqual(out, {
    ok: false,
    problems: {
      'body.clientId': '3–128 of letters, digits, . _ ~ -',
      'body.name': 'A name is required',
      'body.redirectUris': 'Not an http(s) URL without a fragment: not-a-url',
      'body.allowedScopes': 'system/ scopes are for backend clients only',
      'body.launchUrl': 'An http(s) URL without a fragment',
      'body.jwks': 'A JSON Web Key Set: {"keys": [ … ]} (public keys only)',
    },
  });
  assert.deepEqual(newClientBody({ ...emptyDraft(), name: 'x', allowedScopes: '' }).ok, false);
});

const existing: SmartClient = {
  clientId: 'wintehr-demo-app',
  name: 'Demo',
  type: 'public',
  tokenEndpointAuthMethod: 'none',
  redirectUris: ['http://localhost:8000/smart-demo/callback'],
  allowedScopes: ['openid', 'launch'],
  launchUrl: 'http://localhost:8000/smart-demo/launch',
  jwks: null,
  jwksUri: null,
  disabled: false,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

test('an unchanged form patches nothing; changes are sent alone; a cleared launch URL is null', () => {
  assert.deepEqual(clientPatch(existing, draftOf(existing)), { ok: true, value: {} });
  assert.deepEqual(
    clientPatch(existing, {
      ...draftOf(existing),
      name: 'Demo app',
      allowedScopes: 'openid launch fhirUser',
      launchUrl: '',
      disabled: true,
    }),
    {
      ok: true,
      value: { name: 'Demo app', allowedScopes: ['openid', 'launch', 'fhirUser'], launchUrl: null, disabled: true },
    },
  );
  assert.deepEqual(clientPatch(existing, { ...draftOf(existing), redirectUris: '' }), {
    ok: false,
    problems: { 'body.redirectUris': 'At least one redirect URI' },
  });
});

test('the type of an existing client cannot be changed through the edit form', () => {
  const out = clientPatch(existing, { ...draftOf(existing), type: 'backend', allowedScopes: 'system/Patient.rs' });
  assert.deepEqual(out, {
    ok: false,
    problems: { 'body.allowedScopes': 'system/ scopes are for backend clients only' },
  });
});
