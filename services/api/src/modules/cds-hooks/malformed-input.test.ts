/**
 * Malformed FHIR in hook requests: every element of a realistic chart and of the draft orders is replaced in turn by
 * a value of another type. No variant may end in an exception other than a 400 (never a 500), and none may end in
 * silence: a prefetch value that is not usable makes the checks that need it say "could not run", and a draft order
 * that cannot be read is either still screened or reported as not checked, while the other orders are screened as
 * before.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/errors';
import { kb } from '../drug-safety/test-helpers.test-util';
import { issueCards } from './cards';
import { FIXTURE_NOW, fixtureChart, fixtureDrafts } from './cds-fixtures.test-util';
import type { CdsCard, CdsService } from './cds-types';
import { UNCHECKED_ORDER_RULE } from './draft-orders';
import { answerHook } from './hook-answer';
import { parseHookRequest } from './hook-request';
import { gatherPrefetch } from './prefetch';
import { cdsServices } from './services/registry';

type Path = (string | number)[];
const JUNK: unknown[] = ['text', 5, true, {}, [], [1], { a: 1 }];

/** Every path inside a JSON value (except resourceType, which decides the schema and is checked elsewhere). */
function pathsOf(v: unknown, p: Path = [], out: Path[] = []): Path[] {
  if (p.length && p[p.length - 1] !== 'resourceType') out.push(p);
  if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) pathsOf(x, [...p, Array.isArray(v) ? Number(k) : k], out);
  return out;
}

function at(root: unknown, p: Path): unknown {
  return p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root);
}

function replaced<T>(root: T, p: Path, value: unknown): T {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let o = copy;
  for (const k of p.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[p[p.length - 1]!] = value;
  return copy as T;
}

const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
const topicsOf = (cards: CdsCard[]) => cards.map((c) => c.source.topic?.code ?? '');

/** The topic each draft order of fixtureDrafts() yields when well-formed, per hook (order-select selects d1 only). */
const BASELINE: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  'order-sign': { 0: 'ddi:', 1: 'drug-allergy:', 2: 'duplicate-order:' },
  'order-select': { 0: 'ddi:' },
};

describe.each(cdsServices(kb()).map((s) => [s.definition.hook, s] as const))(
  '%s with malformed FHIR',
  (hook, service) => {
    const s = service as CdsService<Record<string, unknown>>;
    const keys = Object.keys(s.definition.prefetch);
    const chart = fixtureChart();
    const context = {
      userId: 'Practitioner/1',
      patientId: 'p1',
      ...(hook === 'patient-view' ? {} : { draftOrders: fixtureDrafts() }),
      ...(hook === 'order-select' ? { selections: ['MedicationRequest/d1'] } : {}),
    };
    const prefetch = Object.fromEntries(keys.map((k) => [k, chart[k]]));

    /** The cards for `body` and the prefetch keys that were not usable; a 400 is returned as 'refused'. */
    async function outcome(body: unknown): Promise<{ cards: CdsCard[]; failed: string[] } | 'refused'> {
      let parsed;
      try {
        parsed = parseHookRequest(body, hook, s.context, keys);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).status).toBe(400);
        return 'refused';
      }
      const data = await gatherPrefetch(s.definition.prefetch, parsed.request, {
        timeoutMs: 100,
        allowedFhirServers: [],
      });
      return {
        cards: issueCards(answerHook(s, parsed, data, FIXTURE_NOW), randomUUID).cards,
        failed: [...data.failed.keys()],
      };
    }

    it('the well-formed request is handled and yields the expected topics', async () => {
      const r = await outcome({ hook, hookInstance: randomUUID(), context, prefetch });
      expect(r).not.toBe('refused');
      if (r === 'refused') return;
      expect(r.failed).toEqual([]);
      for (const t of Object.values(BASELINE[hook] ?? {}))
        expect(topicsOf(r.cards).some((x) => x.startsWith(t))).toBe(true);
    });

    it('a prefetch element of the wrong type: handled; if the value is unusable, a "could not run" card says so', async () => {
      let unusable = 0;
      for (const key of keys) {
        for (const p of pathsOf(prefetch[key])) {
          for (const j of JUNK) {
            const r = await outcome({
              hook,
              hookInstance: randomUUID(),
              context,
              prefetch: { ...prefetch, [key]: replaced(prefetch[key], p, j) },
            });
            if (r === 'refused') throw new Error(`prefetch.${key}.${p.join('.')} = ${JSON.stringify(j)} was refused`);
            if (!r.failed.length) continue;
            unusable++;
            expect([key, p.join('.'), r.failed]).toEqual([key, p.join('.'), [key]]);
            expect(topicsOf(r.cards)).toContain('data-unavailable');
          }
        }
      }
      expect(unusable).toBeGreaterThan(100);
    });

    if (hook !== 'patient-view') {
      it('a draft-order element of another type: the other orders are screened as before; the order itself is screened or reported', async () => {
        const drafts = fixtureDrafts();
        const baseline = BASELINE[hook]!;
        let reported = 0;
        for (const p of pathsOf(drafts)) {
          for (const j of JUNK) {
            if (kind(j) === kind(at(drafts, p))) continue; // another value of the same type is not malformed
            const r = await outcome({
              hook,
              hookInstance: randomUUID(),
              context: { ...context, draftOrders: replaced(drafts, p, j) },
              prefetch,
            });
            if (r === 'refused') throw new Error(`draftOrders.${p.join('.')} = ${JSON.stringify(j)} was refused`);
            const topics = topicsOf(r.cards);
            const has = (t: string) => topics.some((x) => x.startsWith(t));
            const notChecked = has(UNCHECKED_ORDER_RULE) || has('unable-to-screen:medication');
            if (notChecked) reported++;
            const where = `draftOrders.${p.join('.')} = ${JSON.stringify(j)}`;
            if (p[0] !== 'entry' || p.length < 2) {
              expect([where, r.cards.length > 0]).toEqual([where, true]);
              continue;
            }
            for (const [n, t] of Object.entries(baseline)) {
              const ok = has(t) || (Number(n) === p[1] && notChecked);
              expect([where, t, ok]).toEqual([where, t, true]);
            }
          }
        }
        expect(reported).toBeGreaterThan(20);
      });
    }
  },
);
