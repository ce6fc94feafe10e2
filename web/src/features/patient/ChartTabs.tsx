import { Box, Button, Chip, Grid, Paper, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { formatDate, formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { ItemTable, type Column } from '../../core/ui/ItemTable';
import { EmptyState, LoadingState } from '../../core/ui/states';
import type { ChartTab } from './chart-tabs';
import { conceptText } from '../../core/format';
import { patientApi, type PatientSummary } from './patient-api';

/** One list endpoint of the chart with its loading, error and empty states. */
function Listing<T extends { id?: string }>({
  query,
  label,
  columns,
  empty,
}: {
  query: { isLoading: boolean; error: unknown; data?: { items: T[] }; refetch: () => unknown };
  label: string;
  columns: Column<T>[];
  empty: string;
}) {
  if (query.isLoading) return <LoadingState label={`Loading ${label.toLowerCase()}…`} />;
  if (query.error) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  return <ItemTable label={label} rows={query.data?.items ?? []} columns={columns} empty={empty} />;
}

const status = (c: fhir4.CodeableConcept | undefined) => c?.coding?.[0]?.code ?? '—';

const problemColumns: Column<fhir4.Condition>[] = [
  { label: 'Problem', cell: (c) => conceptText(c.code) },
  { label: 'Status', cell: (c) => status(c.clinicalStatus) },
  { label: 'Onset', cell: (c) => formatDate(c.onsetDateTime ?? c.onsetPeriod?.start) },
  { label: 'Recorded', cell: (c) => formatDate(c.recordedDate) },
];
const medicationColumns: Column<fhir4.MedicationRequest>[] = [
  { label: 'Medication', cell: (m) => conceptText(m.medicationCodeableConcept) },
  { label: 'Dosage', cell: (m) => m.dosageInstruction?.[0]?.text ?? '—' },
  { label: 'Status', cell: (m) => m.status },
  { label: 'Authored', cell: (m) => formatDate(m.authoredOn) },
];
const allergyColumns: Column<fhir4.AllergyIntolerance>[] = [
  { label: 'Substance', cell: (a) => conceptText(a.code) },
  {
    label: 'Criticality',
    cell: (a) =>
      a.criticality ? (
        <Chip size="small" label={a.criticality} color={a.criticality === 'high' ? 'error' : 'default'} />
      ) : (
        '—'
      ),
  },
  { label: 'Reaction', cell: (a) => a.reaction?.flatMap((r) => r.manifestation.map(conceptText)).join(', ') || '—' },
  { label: 'Status', cell: (a) => status(a.clinicalStatus) },
];
const vitalColumns: Column<fhir4.Observation>[] = [
  { label: 'Vital sign', cell: (o) => conceptText(o.code) },
  {
    label: 'Value',
    cell: (o) =>
      o.valueQuantity
        ? `${o.valueQuantity.value ?? ''} ${o.valueQuantity.unit ?? o.valueQuantity.code ?? ''}`
        : o.component?.map((c) => `${c.valueQuantity?.value ?? '—'}`).join('/') +
          ` ${o.component?.[0]?.valueQuantity?.unit ?? ''}`,
  },
  { label: 'When', cell: (o) => formatDateTime(o.effectiveDateTime ?? o.issued) },
];

function Summary({ summary, patientId, cards }: { summary: PatientSummary; patientId: string; cards: SummaryCards }) {
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, lg: 6 }}>
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Typography variant="h6" component="h2">
            Active problems
          </Typography>
          <ItemTable
            label="Active problems"
            rows={summary.problems}
            columns={problemColumns.slice(0, 3)}
            empty="No active problems."
          />
        </Paper>
      </Grid>
      <Grid size={{ xs: 12, lg: 6 }}>
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Typography variant="h6" component="h2">
            Active medications
          </Typography>
          <ItemTable
            label="Active medications"
            rows={summary.medications}
            columns={medicationColumns.slice(0, 2)}
            empty="No active medications."
          />
        </Paper>
      </Grid>
      <Grid size={{ xs: 12, lg: 6 }}>
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Typography variant="h6" component="h2">
            Latest vitals
          </Typography>
          {summary.vitals.length === 0 ? (
            <EmptyState>No vitals recorded.</EmptyState>
          ) : (
            <Table size="small" aria-label="Latest vitals">
              <TableBody>
                {summary.vitals.map((v) => (
                  <TableRow key={v.id}>
                    <TableCell>{v.display ?? v.code}</TableCell>
                    <TableCell>
                      {v.components?.length
                        ? v.components.map((c) => c.value ?? '—').join('/') + ` ${v.components[0]?.unit ?? ''}`
                        : `${v.value ?? '—'} ${v.unit ?? ''}`}
                    </TableCell>
                    <TableCell>{formatDateTime(v.effective)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Paper>
      </Grid>
      <Grid size={{ xs: 12, lg: 6 }}>
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Typography variant="h6" component="h2">
            Upcoming appointments
          </Typography>
          {summary.appointments.length === 0 ? (
            <EmptyState>None booked.</EmptyState>
          ) : (
            summary.appointments.map((a) => (
              <Typography key={a.id}>
                {formatDateTime(a.start)} · {a.description ?? conceptText(a.serviceType?.[0])}
              </Typography>
            ))
          )}
        </Paper>
      </Grid>
      {cards.map((c) => (
        <Grid key={c.id} size={{ xs: 12, lg: 6 }}>
          <Paper variant="outlined" sx={{ p: 2 }}>
            <Typography variant="h6" component="h2">
              {c.title}
            </Typography>
            {c.render(patientId)}
          </Paper>
        </Grid>
      ))}
    </Grid>
  );
}

function Timeline({ patientId }: { patientId: string }) {
  const q = useInfiniteQuery({
    queryKey: ['patient', patientId, 'timeline'],
    queryFn: ({ pageParam }) => patientApi.timeline(patientId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore,
  });
  if (q.isLoading) return <LoadingState label="Loading the timeline…" />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const events = q.data?.pages.flatMap((p) => p.events) ?? [];
  if (!events.length) return <EmptyState>No clinical events yet.</EmptyState>;
  return (
    <>
      <Box component="ol" sx={{ listStyle: 'none', p: 0, m: 0 }} aria-label="Clinical timeline">
        {events.map((e) => (
          <Box component="li" key={`${e.resourceType}/${e.id}`} sx={{ py: 1, borderBottom: 1, borderColor: 'divider' }}>
            <Typography variant="body2" color="text.secondary">
              {formatDateTime(e.date)} · {e.resourceType}
              {e.status ? ` · ${e.status}` : ''}
            </Typography>
            <Typography>{e.title}</Typography>
          </Box>
        ))}
      </Box>
      {q.hasNextPage && (
        <Button sx={{ mt: 1 }} onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          Load older events
        </Button>
      )}
    </>
  );
}

/**
 * Tabs owned by other features (medications, results, notes, orders, apps), given by the app that composes the
 * chart: this feature does not import its neighbours.
 */
export type ChartPanels = Partial<Record<ChartTab, (patientId: string, context: ChartContext) => ReactNode>>;

/** What the chart knows that other features' tabs use: the visit in progress, for notes and orders to belong to. */
export interface ChartContext {
  encounterId?: string;
}

/** Cards other features add to the Summary tab (recent labs…), composed by the app like the panels. */
export type SummaryCards = ReadonlyArray<{ id: string; title: string; render: (patientId: string) => ReactNode }>;

export function ChartTabPanel({
  tab,
  patientId,
  summary,
  panels,
  context = {},
  summaryCards = [],
}: {
  tab: ChartTab;
  patientId: string;
  summary: PatientSummary;
  panels: ChartPanels;
  context?: ChartContext;
  summaryCards?: SummaryCards;
}) {
  const problems = useQuery({
    queryKey: ['patient', patientId, 'problems'],
    queryFn: () => patientApi.problems(patientId),
    enabled: tab === 'problems' && !panels.problems,
  });
  const allergies = useQuery({
    queryKey: ['patient', patientId, 'allergies'],
    queryFn: () => patientApi.allergies(patientId),
    enabled: tab === 'allergies' && !panels.allergies,
  });
  const vitals = useQuery({
    queryKey: ['patient', patientId, 'vitals'],
    queryFn: () => patientApi.vitals(patientId),
    enabled: tab === 'vitals' && !panels.vitals,
  });
  return (
    <Box sx={{ p: 2 }}>
      {tab === 'summary' && <Summary summary={summary} patientId={patientId} cards={summaryCards} />}
      {tab === 'problems' && !panels.problems && (
        <Listing query={problems} label="Problems" columns={problemColumns} empty="No problems recorded." />
      )}
      {tab === 'allergies' && !panels.allergies && (
        <Listing query={allergies} label="Allergies" columns={allergyColumns} empty="No allergies recorded." />
      )}
      {tab === 'vitals' && !panels.vitals && (
        <Listing query={vitals} label="Vitals" columns={vitalColumns} empty="No vitals recorded." />
      )}
      {tab === 'timeline' && <Timeline patientId={patientId} />}
      {panels[tab]?.(patientId, context)}
    </Box>
  );
}
