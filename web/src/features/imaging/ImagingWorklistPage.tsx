import { Paper, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ImagingWorklistFilter } from '@wintehr/contracts';
import { useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState, PageHeader } from '../../core/ui/states';
import { worklistApi, worklistKeys } from './worklist-api';
import { countText, emptyText, isWorklistFilter, WORKLIST_FILTERS } from './worklist-view';
import { WorklistTable } from './WorklistTable';

/**
 * The radiologist's reading worklist: studies waiting for a report, most urgent and oldest first. It is read again
 * when the window regains focus, so a report signed in the chart is gone from Unreported on the way back.
 */
export function ImagingWorklistPage() {
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const filter: ImagingWorklistFilter = isWorklistFilter(raw) ? raw : 'unreported';
  const list = useQuery({
    queryKey: worklistKeys.list(filter),
    queryFn: ({ signal }) => worklistApi.list(filter, signal),
    placeholderData: keepPreviousData,
    staleTime: 0,
    refetchOnMount: 'always',
  });
  const items = list.data?.items ?? [];
  return (
    <>
      <PageHeader title="Imaging worklist" />
      <Paper sx={{ p: 2 }}>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={filter}
          aria-label="Which studies"
          sx={{ mb: 2, flexWrap: 'wrap' }}
          onChange={(_e, v: ImagingWorklistFilter | null) => {
            if (v) setParams(v === 'unreported' ? {} : { status: v }, { replace: true });
          }}
        >
          {WORKLIST_FILTERS.map((f) => (
            <ToggleButton key={f.id} value={f.id}>
              {f.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        {list.isLoading && <LoadingState label="Loading the worklist…" />}
        <ErrorAlert error={list.error} title="The worklist could not be loaded" onRetry={() => void list.refetch()} />
        {list.data && items.length === 0 && <EmptyState>{emptyText(filter)}</EmptyState>}
        {items.length > 0 && <WorklistTable items={items} now={new Date()} />}
        {list.data && items.length > 0 && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }} data-testid="worklist-count">
            {countText(list.data)}
            {list.isFetching && ' · updating…'}
          </Typography>
        )}
      </Paper>
    </>
  );
}
