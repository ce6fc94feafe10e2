import type {
  AdministrationBody,
  AllergyBody,
  AllergyListResponse,
  AllergyUpdateBody,
  ChartList,
  ImmunizationBody,
  ImmunizationUpdateBody,
  MarResponse,
  NursingTaskBody,
  NursingTaskList,
  ProblemBody,
  ProblemUpdateBody,
  SocialHistoryBody,
  VitalSetBody,
} from '@wintehr/contracts';
import { api } from '../../core/api/client';

const p = (id: string) => `/api/patients/${encodeURIComponent(id)}`;
/** The version a write is based on (optimistic locking): the server answers 409 when someone changed it since. */
const ifMatch = (r: fhir4.Resource) => ({ 'If-Match': `W/"${r.meta?.versionId ?? ''}"` });
const post = <T>(path: string, body: unknown, r?: fhir4.Resource) =>
  api.post<T>(path, body, r ? { headers: ifMatch(r) } : {});

export type Include = 'current' | 'all';
export type ChartSegment = 'problems' | 'allergies' | 'immunizations' | 'social-history';

export const chartApi = {
  allergies: (id: string, include: Include) => api.get<AllergyListResponse>(`${p(id)}/allergies`, { include }),
  addAllergy: (id: string, b: AllergyBody) => api.post<fhir4.AllergyIntolerance>(`${p(id)}/allergies`, b),
  noKnownAllergies: (id: string) => api.post<fhir4.AllergyIntolerance>(`${p(id)}/allergies/no-known-allergies`, {}),
  editAllergy: (id: string, a: fhir4.AllergyIntolerance, b: AllergyUpdateBody) =>
    api.put<fhir4.AllergyIntolerance>(`${p(id)}/allergies/${a.id}`, b, ifMatch(a)),

  problems: (id: string, include: Include) => api.get<ChartList<'Condition'>>(`${p(id)}/problems`, { include }),
  addProblem: (id: string, b: ProblemBody) => api.post<fhir4.Condition>(`${p(id)}/problems`, b),
  editProblem: (id: string, c: fhir4.Condition, b: ProblemUpdateBody) =>
    api.put<fhir4.Condition>(`${p(id)}/problems/${c.id}`, b, ifMatch(c)),
  resolveProblem: (id: string, c: fhir4.Condition) => post<fhir4.Condition>(`${p(id)}/problems/${c.id}/resolve`, {}, c),
  reactivateProblem: (id: string, c: fhir4.Condition) =>
    post<fhir4.Condition>(`${p(id)}/problems/${c.id}/reactivate`, {}, c),

  immunizations: (id: string, include: Include) =>
    api.get<ChartList<'Immunization'>>(`${p(id)}/immunizations`, { include }),
  addImmunization: (id: string, b: ImmunizationBody) => api.post<fhir4.Immunization>(`${p(id)}/immunizations`, b),
  editImmunization: (id: string, i: fhir4.Immunization, b: ImmunizationUpdateBody) =>
    api.put<fhir4.Immunization>(`${p(id)}/immunizations/${i.id}`, b, ifMatch(i)),

  socialHistory: (id: string, include: Include) =>
    api.get<ChartList<'Observation'>>(`${p(id)}/social-history`, { include }),
  addSocialHistory: (id: string, b: SocialHistoryBody) => api.post<fhir4.Observation>(`${p(id)}/social-history`, b),
  editSocialHistory: (id: string, o: fhir4.Observation, b: SocialHistoryBody) =>
    api.put<fhir4.Observation>(`${p(id)}/social-history/${o.id}`, b, ifMatch(o)),

  /** Any chart item withdrawn as entered in error, with the reason. */
  enteredInError: (id: string, segment: ChartSegment, r: fhir4.Resource, reason: string) =>
    post<fhir4.Resource>(`${p(id)}/${segment}/${r.id}/entered-in-error`, { reason }, r),

  vitals: (id: string) => api.get<ChartList<'Observation'>>(`${p(id)}/vitals`),
  recordVitalSet: (id: string, b: VitalSetBody) => api.post<ChartList<'Observation'>>(`${p(id)}/vitals/sets`, b),

  mar: (id: string) => api.get<MarResponse>(`${p(id)}/mar`),
  administer: (id: string, b: AdministrationBody) =>
    api.post<fhir4.MedicationAdministration>(`${p(id)}/mar/administrations`, b),
  tasks: (id: string) => api.get<NursingTaskList>(`${p(id)}/tasks`),
  addTask: (id: string, b: NursingTaskBody) => api.post<fhir4.Task>(`${p(id)}/tasks`, b),
  completeTask: (id: string, t: fhir4.Task) => post<fhir4.Task>(`${p(id)}/tasks/${t.id}/complete`, {}, t),
};
