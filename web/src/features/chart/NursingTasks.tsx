import { Button, Chip, List, ListItem, ListItemText, Paper, Stack, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { formatDateTime } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { chartApi } from './chart-api';
import { fieldErrors, useChartWrite } from './ChartUi';

/** The patient's open nursing tasks: add one, tick one off. */
export function NursingTasks({ patientId }: { patientId: string }) {
  const { user } = useAuth();
  const writer = can(user, 'patient:write');
  const [text, setText] = useState('');
  const q = useQuery({ queryKey: ['patient', patientId, 'tasks'], queryFn: () => chartApi.tasks(patientId) });
  const add = useChartWrite(
    patientId,
    () => chartApi.addTask(patientId, { description: text.trim() }),
    () => setText(''),
  );
  const complete = useChartWrite(patientId, (t: fhir4.Task) => chartApi.completeTask(patientId, t));
  const tasks = q.data?.items ?? [];
  return (
    <Paper variant="outlined" sx={{ p: 1.5, mt: 2 }}>
      <Typography variant="h6" component="h2">
        Nursing tasks
      </Typography>
      {q.error && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {complete.error && <ErrorAlert error={complete.error} />}
      {q.data && tasks.length === 0 && (
        <Typography color="text.secondary" role="status">
          No open tasks.
        </Typography>
      )}
      <List dense aria-label="Nursing tasks">
        {tasks.map((t) => (
          <ListItem
            key={t.id}
            secondaryAction={
              writer && (
                <Button size="small" onClick={() => complete.mutate(t)} disabled={complete.isPending}>
                  Done
                </Button>
              )
            }
          >
            <ListItemText primary={t.description} secondary={formatDateTime(t.authoredOn)} />
            {t.priority === 'urgent' && <Chip size="small" color="error" label="urgent" sx={{ mr: 8 }} />}
          </ListItem>
        ))}
      </List>
      {writer && (
        <Stack direction="row" spacing={1} alignItems="flex-start">
          <TextField
            size="small"
            fullWidth
            label="New task"
            value={text}
            onChange={(e) => setText(e.target.value)}
            error={!!fieldErrors(add.error).description}
            helperText={fieldErrors(add.error).description}
          />
          <Button
            variant="outlined"
            disabled={text.trim().length < 3 || add.isPending}
            onClick={() => add.mutate(undefined)}
          >
            Add task
          </Button>
        </Stack>
      )}
    </Paper>
  );
}
