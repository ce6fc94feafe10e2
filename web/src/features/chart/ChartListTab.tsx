import AddIcon from '@mui/icons-material/Add';
import { Button, Stack } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import { chartApi, type ChartSegment, type Include } from './chart-api';
import { EnteredInErrorDialog, IncludeToggle, ItemTable, useChartWrite, type Column } from './ChartUi';

/**
 * What every chart list tab has around its own columns and edit dialog: the current / history toggle and the add
 * button, the list with its loading and error states, Edit and Entered in error on each row for writers.
 */
export function ChartListTab<T extends fhir4.Resource, D extends { items: T[] }>({
  patientId,
  segment,
  label,
  addLabel,
  what,
  fetch,
  columns,
  withdrawn,
  rowActions,
  empty,
  toolbarStart,
  writerTools,
  errors = [],
  dialog,
}: {
  patientId: string;
  segment: ChartSegment;
  /** The table's accessible name ("Allergies"); the loading text is made from it. */
  label: string;
  addLabel: string;
  /** How the entered-in-error dialog names the item ("this allergy"). */
  what: string;
  fetch: (include: Include) => Promise<D>;
  columns: Column<T>[];
  withdrawn: (item: T) => boolean;
  /** Row buttons between Edit and Entered in error. */
  rowActions?: (item: T) => ReactNode;
  empty: string | ((data: D) => string);
  toolbarStart?: (data: D | undefined) => ReactNode;
  /** Toolbar buttons for writers, before the add button. */
  writerTools?: (data: D | undefined) => ReactNode;
  /** Failures of the tab's own row or toolbar actions, shown above the list. */
  errors?: unknown[];
  /** The add (item undefined) or edit dialog. */
  dialog: (item: T | undefined, onClose: () => void) => ReactNode;
}) {
  const { user } = useAuth();
  const writer = can(user, 'patient:write');
  const [include, setInclude] = useState<Include>('current');
  const [editing, setEditing] = useState<T | 'new'>();
  const [withdrawing, setWithdrawing] = useState<T>();
  const q = useQuery({ queryKey: ['patient', patientId, segment, include], queryFn: () => fetch(include) });
  const withdraw = useChartWrite(
    patientId,
    ({ item, reason }: { item: T; reason: string }) => chartApi.enteredInError(patientId, segment, item, reason),
    () => setWithdrawing(undefined),
  );
  const actions: Column<T> = {
    label: 'Actions',
    cell: (item) =>
      withdrawn(item) ? null : (
        <Stack direction="row" spacing={0.5}>
          <Button size="small" onClick={() => setEditing(item)}>
            Edit
          </Button>
          {rowActions?.(item)}
          <Button size="small" color="error" onClick={() => setWithdrawing(item)}>
            Entered in error
          </Button>
        </Stack>
      ),
  };
  return (
    <>
      <Stack direction="row" spacing={1} sx={{ mb: 2 }} alignItems="center" flexWrap="wrap" useFlexGap>
        {toolbarStart?.(q.data)}
        <IncludeToggle value={include} onChange={setInclude} />
        <span style={{ flexGrow: 1 }} />
        {writer && (
          <>
            {writerTools?.(q.data)}
            <Button variant="contained" startIcon={<AddIcon />} onClick={() => setEditing('new')}>
              {addLabel}
            </Button>
          </>
        )}
      </Stack>
      {errors.map((e, i) => (e ? <ErrorAlert key={i} error={e} /> : null))}
      {q.isLoading && <LoadingState label={`Loading ${label.toLowerCase()}…`} />}
      {q.error && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (
        <ItemTable
          label={label}
          rows={q.data.items}
          columns={writer ? [...columns, actions] : columns}
          empty={typeof empty === 'string' ? empty : empty(q.data)}
        />
      )}
      {editing && dialog(editing === 'new' ? undefined : editing, () => setEditing(undefined))}
      <EnteredInErrorDialog
        what={what}
        open={!!withdrawing}
        onClose={() => setWithdrawing(undefined)}
        onConfirm={(reason) => withdrawing && withdraw.mutate({ item: withdrawing, reason })}
        pending={withdraw.isPending}
        error={withdraw.error}
      />
    </>
  );
}
