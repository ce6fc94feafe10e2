import { Autocomplete, Box, CircularProgress, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useDebounced } from '../../core/useDebounced';
import { ApiError } from '../../core/api/api-error';
import { medicationsApi, type DrugHit } from './medications-api';
import type { DrugChoice } from './prescription';

/** Term types a pharmacy can dispense (the API refuses ingredients and brand names alone). */
const DISPENSABLE = new Set(['SCD', 'SBD', 'GPCK', 'BPCK']);

/** Ranked drug search (GET /api/drugs), debounced; only dispensable products can be chosen. */
export function DrugSearchField({
  value,
  onChange,
  error,
  disabled,
}: {
  value: DrugChoice | undefined;
  onChange: (d: DrugChoice | undefined) => void;
  error?: string;
  disabled?: boolean;
}) {
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 250);
  const search = useQuery({
    queryKey: ['drugs', q],
    queryFn: ({ signal }) => medicationsApi.searchDrugs(q, signal),
    enabled: q.length >= 2 && q !== value?.name,
    staleTime: 5 * 60_000,
  });
  const options: DrugHit[] = search.data ?? [];
  const selected: DrugHit | null = value
    ? { rxcui: value.rxcui, name: value.name, tty: value.tty ?? 'SCD', ingredients: [], score: 0 }
    : null;
  const searchError =
    search.error instanceof ApiError ? search.error.message : search.error ? 'Drug search failed' : undefined;
  return (
    <Autocomplete<DrugHit, false, false, false>
      value={selected}
      options={options}
      filterOptions={(x) => x}
      getOptionLabel={(o) => o.name}
      isOptionEqualToValue={(a, b) => a.rxcui === b.rxcui}
      getOptionDisabled={(o) => !DISPENSABLE.has(o.tty)}
      inputValue={input}
      onInputChange={(_e, v) => setInput(v)}
      onChange={(_e, v) => onChange(v ? { rxcui: v.rxcui, name: v.name, tty: v.tty } : undefined)}
      loading={search.isFetching}
      disabled={disabled}
      noOptionsText={q.length < 2 ? 'Type at least 2 letters' : (searchError ?? 'No drug matches')}
      renderOption={(props, o) => {
        const { key, ...rest } = props as typeof props & { key: string };
        return (
          <Box component="li" key={key} {...rest}>
            <Box>
              <Typography>{o.name}</Typography>
              <Typography variant="caption" color="text.secondary">
                {o.tty}
                {o.brand ? ` · ${o.brand}` : ''} · RxNorm {o.rxcui}
                {DISPENSABLE.has(o.tty) ? '' : ' · choose a specific product'}
              </Typography>
            </Box>
          </Box>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label="Drug"
          required
          autoFocus
          placeholder="Search by name, brand or generic"
          error={!!error || !!searchError}
          helperText={error ?? searchError ?? 'e.g. ibuprofen 600, Lipitor'}
          slotProps={{
            input: {
              ...params.InputProps,
              endAdornment: (
                <>
                  {search.isFetching && <CircularProgress color="inherit" size={18} aria-label="Searching drugs" />}
                  {params.InputProps.endAdornment}
                </>
              ),
            },
          }}
        />
      )}
    />
  );
}
