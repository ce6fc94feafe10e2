import {
  Alert,
  Box,
  Button,
  Chip,
  CircularProgress,
  InputAdornment,
  List,
  ListItemButton,
  ListItemText,
  Paper,
  TextField,
  Typography,
} from '@mui/material';
import SearchIcon from '@mui/icons-material/Search';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { formatDate } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { PageHeader } from '../../core/ui/states';
import { displayName, patientApi, type PatientHit } from './patient-api';
import { useAuth } from '../../core/auth/AuthContext';
import { can } from '../../core/auth/permissions';
import { RegisterPatientDialog } from './RegisterPatientDialog';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Type-ahead patient search: arrow keys move through the results, Enter opens the chart. */
export function PatientSearchPage() {
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const { user } = useAuth();
  const [registering, setRegistering] = useState(false);
  const q = useDebounced(text.trim(), 250);
  const navigate = useNavigate();
  const listId = useId();
  const search = useQuery({
    queryKey: ['patients', 'search', q],
    queryFn: ({ signal }) => patientApi.search(q, signal),
    enabled: q.length >= 2,
    staleTime: 10_000,
  });
  const hits = q.length >= 2 ? (search.data?.results ?? []) : [];
  useEffect(() => setActive(0), [q]);

  const open = (h: PatientHit | undefined) => {
    if (h) navigate(`/patients/${h.id}`);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => Math.min(i + 1, hits.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      open(hits[active]);
    } else if (e.key === 'Escape') {
      setText('');
    }
  };
  const optionId = (i: number) => `${listId}-opt-${i}`;

  return (
    <>
      <PageHeader
        title="Patients"
        actions={
          can(user, 'patient:register') ? (
            <Button variant="outlined" onClick={() => setRegistering(true)}>
              Register patient
            </Button>
          ) : undefined
        }
      />
      <RegisterPatientDialog open={registering} onClose={() => setRegistering(false)} />
      <Paper sx={{ p: 2 }}>
        <TextField
          fullWidth
          autoFocus
          label="Search by name, MRN, birth date or phone"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon aria-hidden />
                </InputAdornment>
              ),
              endAdornment: search.isFetching ? <CircularProgress size={20} aria-label="Searching" /> : undefined,
            },
            htmlInput: {
              role: 'combobox',
              'aria-expanded': hits.length > 0,
              'aria-controls': listId,
              'aria-autocomplete': 'list',
              'aria-activedescendant': hits.length ? optionId(active) : undefined,
            },
          }}
          helperText="Typos and sound-alike names are tolerated. ↑ ↓ to move, Enter to open."
        />
        <Box sx={{ mt: 2 }} aria-live="polite">
          <ErrorAlert error={search.error} />
          {q.length >= 2 && search.data && (
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
              {search.data.total} match{search.data.total === 1 ? '' : 'es'}
            </Typography>
          )}
          {q.length >= 2 && search.data?.total === 0 && <Alert severity="info">No patient matches “{q}”.</Alert>}
        </Box>
        <List id={listId} role="listbox" aria-label="Matching patients">
          {hits.map((h, i) => (
            <ListItemButton
              key={h.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              selected={i === active}
              onClick={() => open(h)}
              onMouseEnter={() => setActive(i)}
              tabIndex={-1}
            >
              <ListItemText
                primary={
                  <>
                    {displayName(h.name)}
                    {!h.active && <Chip size="small" label="inactive" sx={{ ml: 1 }} />}
                  </>
                }
                secondary={`MRN ${h.mrn ?? '—'} · born ${formatDate(h.birthDate)} · ${h.gender ?? 'unknown'}`}
              />
              {h.access.related ? (
                <Chip size="small" color="success" variant="outlined" label={h.access.basis ?? 'related'} />
              ) : (
                <Chip size="small" color="warning" variant="outlined" label="no care relationship" />
              )}
            </ListItemButton>
          ))}
        </List>
      </Paper>
    </>
  );
}
