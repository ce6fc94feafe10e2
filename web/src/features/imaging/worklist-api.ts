import type { ImagingWorklist, ImagingWorklistFilter } from '@wintehr/contracts';
import { api } from '../../core/api/client';

export const worklistKeys = {
  all: ['imaging', 'worklist'] as const,
  list: (filter: ImagingWorklistFilter) => ['imaging', 'worklist', filter] as const,
};

export const worklistApi = {
  list: (status: ImagingWorklistFilter, signal?: AbortSignal) =>
    api.get<ImagingWorklist>('/api/imaging/worklist', { status }, signal),
};
