/**
 * The web app as a CDS Hooks client: discovery, service calls and feedback against /cds-services on the same
 * origin. Each call carries a fresh short-lived JWT from POST /api/cds/client-token (its jti is single use, so
 * tokens are never reused), and prefetch is fulfilled from the business API (see prefetch.ts for why).
 */
import { ApiError, isApiErrorBody } from '../api/api-error';
import { api } from '../api/client';
import type { MedicationList, MedicationStatementList } from '@wintehr/contracts';
import type { CdsCard, CdsServiceDefinition, FeedbackItem, HookRequest } from './cds-types';
import { patientFromView, type SourceType, type Sources } from './prefetch';

async function clientToken(serviceId: string): Promise<string> {
  const t = await api.post<{ access_token: string }>('/api/cds/client-token', { serviceId });
  return t.access_token;
}

async function cdsFetch<T>(
  path: string,
  init: { method: 'GET' | 'POST'; body?: unknown; token?: string; signal?: AbortSignal },
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method,
      signal: init.signal,
      headers: {
        accept: 'application/json',
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, undefined, 'The decision support service cannot be reached.');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok)
    throw new ApiError(res.status, isApiErrorBody(body) ? body : undefined, `Decision support failed (${res.status})`);
  return body as T;
}

export const cdsClient = {
  discovery: (signal?: AbortSignal) =>
    cdsFetch<{ services: CdsServiceDefinition[] }>('/cds-services', { method: 'GET', signal }).then((d) => d.services),
  call: async (serviceId: string, request: HookRequest, signal?: AbortSignal): Promise<CdsCard[]> => {
    const token = await clientToken(serviceId);
    const r = await cdsFetch<{ cards?: CdsCard[] }>(`/cds-services/${encodeURIComponent(serviceId)}`, {
      method: 'POST',
      body: request,
      token,
      signal,
    });
    return r.cards ?? [];
  },
  feedback: async (serviceId: string, feedback: FeedbackItem[]): Promise<void> => {
    if (!feedback.length) return;
    const token = await clientToken(serviceId);
    await cdsFetch(`/cds-services/${encodeURIComponent(serviceId)}/feedback`, {
      method: 'POST',
      body: { feedback },
      token,
    });
  },
};

const p = (id: string) => `/api/patients/${encodeURIComponent(id)}`;
type Items<T> = { items: T[] };

/** Reads, through the business API, the chart data of the resource types the prefetch templates need. */
export async function fetchSources(patientId: string, types: ReadonlySet<SourceType>): Promise<Sources> {
  const out: Sources = {};
  const jobs: Promise<void>[] = [];
  if (types.has('Patient')) {
    jobs.push(
      api.get<{ id: string; birthDate?: string; gender?: string; active?: boolean }>(p(patientId)).then((v) => {
        out.Patient = patientFromView(v);
      }),
    );
  }
  if (types.has('MedicationRequest')) {
    jobs.push(
      Promise.all(
        ['active', 'on-hold'].map((status) =>
          api.get<MedicationList>(`${p(patientId)}/medications`, { status, _count: 200 }),
        ),
      ).then((lists) => {
        out.MedicationRequest = lists.flatMap((l) => l.items);
      }),
    );
  }
  if (types.has('MedicationStatement')) {
    jobs.push(
      api.get<MedicationStatementList>(`${p(patientId)}/medication-statements`, { status: 'all' }).then((l) => {
        out.MedicationStatement = l.items;
      }),
    );
  }
  if (types.has('AllergyIntolerance')) {
    jobs.push(
      api.get<Items<fhir4.AllergyIntolerance>>(`${p(patientId)}/allergies`, { limit: 200 }).then((l) => {
        out.AllergyIntolerance = l.items;
      }),
    );
  }
  if (types.has('Observation')) {
    // Weight is a vital sign; eGFR and creatinine come with lab reports.
    jobs.push(
      Promise.all([
        api.get<Items<fhir4.Observation>>(`${p(patientId)}/vitals`, { limit: 200 }),
        api.get<{ results: { observations: fhir4.Observation[] }[] }>(`${p(patientId)}/results`, { _count: 200 }),
      ]).then(([vitals, labs]) => {
        const seen = new Map<string, fhir4.Observation>();
        for (const o of [...vitals.items, ...labs.results.flatMap((r) => r.observations)])
          seen.set(o.id ?? `${seen.size}`, o);
        out.Observation = [...seen.values()];
      }),
    );
  }
  if (types.has('ServiceRequest')) {
    jobs.push(
      api
        .get<Items<{ serviceRequest?: fhir4.ServiceRequest }>>(`${p(patientId)}/orders`, { status: 'all', _count: 200 })
        .then((l) => {
          out.ServiceRequest = l.items.map((i) => i.serviceRequest).filter((x): x is fhir4.ServiceRequest => !!x);
        }),
    );
  }
  await Promise.all(jobs);
  return out;
}
