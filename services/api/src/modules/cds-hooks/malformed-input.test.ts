/**
 * Malformed FHIR in hook requests: every element of a realistic chart and of the draft orders is replaced in turn by
 * a value of the wrong type. Each variant must either be refused by request parsing with a 400 naming the element,
 * or be handled by the service without an exception (never a 500).
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/errors';
import { kb } from '../drug-safety/test-helpers.test-util';
import { issueCards } from './cards';
import { FIXTURE_NOW, fixtureChart, fixtureDrafts, prefetchData } from './cds-fixtures.test-util';
import type { CdsService } from './cds-types';
import { parseHookRequest } from './hook-request';
import { cdsServices } from './services/registry';

type Path = (string | number)[];
const JUNK: unknown[] = ['text', 5, true, {}, [], [1], { a: 1 }];

/** Every path inside a JSON value (except resourceType, which decides the schema and is checked elsewhere). */
function pathsOf(v: unknown, p: Path = [], out: Path[] = []): Path[] {
  if (p.length && p[p.length - 1] !== 'resourceType') out.push(p);
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...p, Array.isArray(v) ? Number(k) : k], out);
  return out;
}

function replaced<T>(root: T, p: Path, value: unknown): T {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let o = copy;
  for (const k of p.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[p[p.length - 1]!] = value;
  return copy as T;
}

describe.each(cdsServices(kb()).map((s) => [s.definition.hook, s] as const))('%s with malformed FHIR', (hook, service) => {
  const s = service as CdsService<Record<string, unknown>>;
  const keys = Object.keys(s.definition.prefetch);
  const chart = fixtureChart();
  const context = { userId: 'Practitioner/1', patientId: 'p1', ...(hook === 'patient-view' ? {} : { draftOrders: fixtureDrafts() }), ...(hook === 'order-select' ? { selections: ['MedicationRequest/d1'] } : {}) };
  const prefetch = Object.fromEntries(keys.map((k) => [k, chart[k]]));

  /** 'refused' (400 from parsing) or 'handled' (cards produced); anything else fails the test. */
  function outcome(body: unknown): 'refused' | 'handled' {
    let request;
    try {
      request = parseHookRequest(body, hook, s.context, keys);
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(400);
      return 'refused';
    }
    issueCards(s.handle({ request, data: prefetchData(request.prefetch ?? {}, keys), now: FIXTURE_NOW }), randomUUID);
    return 'handled';
  }

  it('the well-formed request is handled', () => {
    expect(outcome({ hook, hookInstance: randomUUID(), context, prefetch })).toBe('handled');
  });

  it('every prefetch element with a wrong type is refused or handled', () => {
    const seen = { refused: 0, handled: 0 };
    for (const key of keys) {
      for (const p of pathsOf(prefetch[key])) {
        for (const j of JUNK) seen[outcome({ hook, hookInstance: randomUUID(), context, prefetch: { ...prefetch, [key]: replaced(prefetch[key], p, j) } })]++;
      }
    }
    expect(seen.refused).toBeGreaterThan(100);
  });

  if (hook !== 'patient-view') {
    it('every draft-order element with a wrong type is refused or handled', () => {
      const drafts = fixtureDrafts();
      const seen = { refused: 0, handled: 0 };
      for (const p of pathsOf(drafts)) {
        for (const j of JUNK) seen[outcome({ hook, hookInstance: randomUUID(), context: { ...context, draftOrders: replaced(drafts, p, j) }, prefetch })]++;
      }
      expect(seen.refused).toBeGreaterThan(20);
    });
  }
});
