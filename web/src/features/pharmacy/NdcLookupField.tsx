import { Autocomplete, Box, CircularProgress, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useDebounced } from '../../core/useDebounced';
import { pharmacyApi } from './pharmacy-api';
import { formatNdc, packageOptions, type PackageOption } from './ndc-lookup';

/** Find the package to receive by drug name or NDC (GET /api/pharmacy/drugs); choosing one fills in its NDC. */
export function NdcLookupField({ onPick }: { onPick: (o: PackageOption) => void }) {
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 250);
  const search = useQuery({
    queryKey: ['pharmacy', 'drugs', q],
    queryFn: ({ signal }) => pharmacyApi.drugs(q, signal),
    enabled: q.length >= 2,
    staleTime: 5 * 60_000,
  });
  const options = search.data ? packageOptions(search.data) : [];
  return (
    <Autocomplete<PackageOption, false, false, false>
      value={null}
      options={options}
      filterOptions={(x) => x}
      getOptionLabel={(o) => `${o.name} (${formatNdc(o.ndc)})`}
      isOptionEqualToValue={(a, b) => a.ndc === b.ndc}
      inputValue={input}
      onInputChange={(_e, v, reason) => reason !== 'reset' && setInput(v)}
      onChange={(_e, v) => v && onPick(v)}
      loading={search.isFetching}
      noOptionsText={q.length < 2 ? 'Type a drug name or an NDC' : 'No stockable product matches'}
      renderOption={(props, o) => {
        const { key, ...rest } = props as typeof props & { key: string };
        return (
          <Box component="li" key={key} {...rest}>
            <Box>
              <Typography>{o.name}</Typography>
              <Typography variant="caption" color="text.secondary">
                NDC {formatNdc(o.ndc)} · RxNorm {o.rxcui}
                {o.schedule ? ` · C-${o.schedule}` : ''}
              </Typography>
            </Box>
          </Box>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label="Look up drug"
          placeholder="e.g. lisinopril 20, 0378-0018-01"
          helperText="By name or by the code on the package; picking a package fills in its NDC"
          slotProps={{
            input: {
              ...params.InputProps,
              endAdornment: (
                <>
                  {search.isFetching && <CircularProgress color="inherit" size={18} aria-label="Searching" />}
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
