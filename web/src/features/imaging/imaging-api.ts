import type {
  ImagingFileError,
  ImagingReportBody,
  ImagingReportResult,
  ImagingShareResult,
  ImagingStudyList,
  ImagingUploadResult,
} from '@wintehr/contracts';
import { api } from '../../core/api/client';
import { ApiError, isApiErrorBody } from '../../core/api/api-error';
import { session } from '../../core/auth/session';

const base = (patientId: string) => `/api/patients/${encodeURIComponent(patientId)}/imaging/studies`;

export const imagingApi = {
  studies: (patientId: string) => api.get<ImagingStudyList>(base(patientId)),
  writeReport: (patientId: string, studyUid: string, body: ImagingReportBody) =>
    api.post<ImagingReportResult>(`${base(patientId)}/${encodeURIComponent(studyUid)}/reports`, body),
  signReport: (reportId: string) =>
    api.post<ImagingReportResult>(`/api/imaging/reports/${encodeURIComponent(reportId)}/sign`, {}),
  share: (patientId: string, studyUid: string) =>
    api.post<ImagingShareResult>(`${base(patientId)}/${encodeURIComponent(studyUid)}/shares`, {}),
};

/** The bearer token for requests the API client does not make itself (uploads with progress, the viewer's XHRs). */
export async function freshAccessToken(): Promise<string | undefined> {
  if (session.accessTokenStale() && session.hasRefreshToken()) await session.refresh();
  return session.accessToken ?? undefined;
}

/** Per-file refusals the API put in an error's details (bad DICOM, another patient's files). */
export function fileErrors(err: unknown): ImagingFileError[] {
  if (!(err instanceof ApiError)) return [];
  const details = err.details;
  if (!Array.isArray(details)) return [];
  return details.filter(
    (d): d is ImagingFileError =>
      typeof d === 'object' && d !== null && typeof (d as ImagingFileError).file === 'string',
  );
}

/**
 * Uploads files with XMLHttpRequest (fetch has no upload progress). `onProgress` gets 0..1 of the bytes sent; the
 * server's answer after that is the PACS store and the FHIR write.
 */
export async function uploadStudy(
  patientId: string,
  files: readonly File[],
  opts: { relabel: boolean; serviceRequestId?: string; onProgress?: (fraction: number) => void },
): Promise<ImagingUploadResult> {
  const token = await freshAccessToken();
  const form = new FormData();
  if (opts.relabel) form.append('relabel', 'true');
  if (opts.serviceRequestId) form.append('serviceRequestId', opts.serviceRequestId);
  for (const f of files) form.append('files', f, f.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', base(patientId));
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, undefined, 'The WintEHR server cannot be reached.'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as ImagingUploadResult);
      else reject(new ApiError(xhr.status, isApiErrorBody(body) ? body : undefined));
    };
    xhr.send(form);
  });
}

/** Downloads the study zip with the bearer token (a plain link could not carry it). */
export async function downloadStudyZip(patientId: string, studyUid: string): Promise<void> {
  const token = await freshAccessToken();
  const res = await fetch(`${base(patientId)}/${encodeURIComponent(studyUid)}/export`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) throw new ApiError(res.status, undefined, 'The study could not be exported.');
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `study-${studyUid}.zip`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
