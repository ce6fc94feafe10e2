import { Autocomplete, Box, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useDebounced } from '../../core/useDebounced';
import { ApiError } from '../../core/api/api-error';
import { medicationsApi, type DirectoryPharmacy } from './medications-api';
import type { PharmacyChoice } from './prescription';

/**
 * Pharmacy from the network directory (GET /api/erx/pharmacies). Only entries that are one of our FHIR Organizations
 * can be chosen: the prescription references the pharmacy by Organization id.
 */
export function PharmacyField({
  value,
  onChange,
  disabled,
}: {
  value: PharmacyChoice | undefined;
  onChange: (p: PharmacyChoice | undefined) => void;
  disabled?: boolean;
}) {
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 300);
  const search = useQuery({
    queryKey: ['erx', 'pharmacies', q],
    queryFn: ({ signal }) => medicationsApi.pharmacies(q, signal),
    enabled: q.length >= 2 && q !== value?.name,
    staleTime: 5 * 60_000,
  });
  const errorText =
    search.error instanceof ApiError ? search.error.message : search.error ? 'Pharmacy search failed' : undefined;
  const selected: DirectoryPharmacy | null = value
    ? { ncpdpId: value.ncpdpId ?? '', name: value.name, organizationId: value.organizationId, epcs: value.epcs }
    : null;
  return (
    <Autocomplete<DirectoryPharmacy, false, false, false>
      value={selected}
      options={search.data ?? []}
      filterOptions={(x) => x}
      getOptionLabel={(o) => o.name}
      isOptionEqualToValue={(a, b) => a.ncpdpId === b.ncpdpId || a.organizationId === b.organizationId}
      getOptionDisabled={(o) => !o.organizationId}
      inputValue={input}
      onInputChange={(_e, v) => setInput(v)}
      onChange={(_e, v) =>
        onChange(
          v?.organizationId
            ? { organizationId: v.organizationId, name: v.name, ncpdpId: v.ncpdpId, epcs: v.epcs }
            : undefined,
        )
      }
      loading={search.isFetching}
      disabled={disabled}
      noOptionsText={
        q.length < 2 ? 'Type at least 2 letters of the pharmacy name' : (errorText ?? 'No pharmacy matches')
      }
      renderOption={(props, o) => {
        const { key, ...rest } = props as typeof props & { key: string };
        return (
          <Box component="li" key={key} {...rest}>
            <Box>
              <Typography>{o.name}</Typography>
              <Typography variant="caption" color="text.secondary">
                {[o.address?.line1, o.address?.city].filter(Boolean).join(', ')}
                {o.epcs ? ' · EPCS' : ''}
                {o.organizationId ? '' : ' · not linked to this EHR'}
              </Typography>
            </Box>
          </Box>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label="Pharmacy (optional)"
          error={!!errorText}
          helperText={
            errorText ? `${errorText}. You can sign without a pharmacy.` : 'Search the e-prescribing directory by name'
          }
        />
      )}
    />
  );
}
