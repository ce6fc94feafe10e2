import {
  Autocomplete,
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  List,
  ListItem,
  MenuItem,
  Radio,
  RadioGroup,
  Stack,
  Tab,
  Tabs,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { LoadingState } from '../../core/ui/states';
import {
  ORDER_TYPES,
  PRIORITIES,
  placedMessage,
  toOrderSetBody,
  toPlaceOrderBody,
  validateSet,
  validateSingle,
  type OrderSetForm,
  type SingleOrderForm,
} from './order-form';
import type { CatalogItem, OrderType } from '@wintehr/contracts';
import { ordersApi } from './orders-api';

const EMPTY_SINGLE: SingleOrderForm = { priority: 'routine', reason: '', note: '', contrast: false };
const EMPTY_SET: OrderSetForm = { excluded: new Set(), priority: '', reason: '' };

/** Order entry: one item from the catalog, or an order set (template) with items left out as needed. */
export function NewOrderDialog({
  open,
  patientId,
  encounterId,
  onClose,
  onPlaced,
}: {
  open: boolean;
  patientId: string;
  /** The visit in progress: orders placed now belong to it. */
  encounterId?: string;
  onClose: () => void;
  onPlaced: (m: { text: string; severity: 'success' | 'warning' }) => void;
}) {
  const [mode, setMode] = useState<'single' | 'set'>('single');
  const [type, setType] = useState<OrderType>('lab');
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [single, setSingle] = useState<SingleOrderForm>(EMPTY_SINGLE);
  const [set, setSet] = useState<OrderSetForm>(EMPTY_SET);
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const t = setTimeout(() => setQ(input.trim()), 250);
    return () => clearTimeout(t);
  }, [input]);
  const catalog = useQuery({
    queryKey: ['orders', 'catalog', type, q],
    queryFn: ({ signal }) => ordersApi.catalog(type, q, signal),
    enabled: open && mode === 'single',
    staleTime: 5 * 60_000,
  });
  const sets = useQuery({
    queryKey: ['orders', 'order-sets'],
    queryFn: ordersApi.orderSets,
    enabled: open && mode === 'set',
    staleTime: 5 * 60_000,
  });
  const chosenSet = sets.data?.find((s) => s.id === set.setId);
  const setCodes = chosenSet?.items.map((i) => i.code) ?? [];
  const errors = showErrors ? (mode === 'single' ? validateSingle(single) : validateSet(set, setCodes)) : {};

  const reset = () => {
    setSingle(EMPTY_SINGLE);
    setSet(EMPTY_SET);
    setInput('');
    setShowErrors(false);
    setError(undefined);
    setBusy(false);
  };
  const close = () => {
    reset();
    onClose();
  };

  const submit = async () => {
    setShowErrors(true);
    const problems = mode === 'single' ? validateSingle(single) : validateSet(set, setCodes);
    if (Object.keys(problems).length) return;
    setBusy(true);
    setError(undefined);
    try {
      if (mode === 'single') {
        const r = await ordersApi.place(patientId, {
          ...toPlaceOrderBody(single),
          ...(encounterId ? { encounterId } : {}),
        });
        reset();
        onPlaced(placedMessage(1, r.warnings));
      } else {
        const r = await ordersApi.placeSet(patientId, set.setId!, {
          ...toOrderSetBody(set, setCodes),
          ...(encounterId ? { encounterId } : {}),
        });
        reset();
        onPlaced(placedMessage(r.orders.length, r.warnings));
      }
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={busy ? undefined : close} fullWidth maxWidth="sm" aria-labelledby="new-order-title">
      <DialogTitle id="new-order-title">New order</DialogTitle>
      <DialogContent dividers>
        <Tabs
          value={mode}
          onChange={(_e, v: 'single' | 'set') => {
            setMode(v);
            setShowErrors(false);
          }}
          aria-label="Order entry mode"
          sx={{ mb: 2 }}
        >
          <Tab value="single" label="Single order" />
          <Tab value="set" label="Order set" />
        </Tabs>
        {mode === 'single' ? (
          <Stack spacing={2}>
            <TextField
              select
              size="small"
              label="Order type"
              value={type}
              onChange={(e) => {
                setType(e.target.value as OrderType);
                setSingle({ ...single, item: undefined });
              }}
            >
              {ORDER_TYPES.map((t) => (
                <MenuItem key={t.id} value={t.id}>
                  {t.label}
                </MenuItem>
              ))}
            </TextField>
            <Autocomplete<CatalogItem, false, false, false>
              value={single.item ?? null}
              options={catalog.data ?? []}
              filterOptions={(x) => x}
              loading={catalog.isFetching}
              getOptionLabel={(o) => o.display}
              isOptionEqualToValue={(a, b) => a.code === b.code && a.type === b.type}
              inputValue={input}
              onInputChange={(_e, v) => setInput(v)}
              onChange={(_e, v) => setSingle({ ...single, item: v ?? undefined })}
              noOptionsText={catalog.error ? (catalog.error as Error).message : 'Nothing matches'}
              renderOption={(props, o) => {
                const { key, ...rest } = props as typeof props & { key: string };
                return (
                  <Box component="li" key={key} {...rest}>
                    <Box>
                      <Typography>{o.display}</Typography>
                      <Typography variant="caption" color="text.secondary">
                        {o.code}
                        {o.detail ? ` · ${o.detail}` : ''}
                        {o.fasting ? ' · fasting' : ''}
                      </Typography>
                    </Box>
                  </Box>
                );
              }}
              renderInput={(params) => (
                <TextField
                  {...params}
                  label="Test, study or referral"
                  required
                  error={!!errors.item}
                  helperText={errors.item ?? 'e.g. CBC, potassium, chest x-ray'}
                />
              )}
            />
            <TextField
              select
              size="small"
              label="Priority"
              value={single.priority}
              onChange={(e) => setSingle({ ...single, priority: e.target.value as SingleOrderForm['priority'] })}
            >
              {PRIORITIES.map((p) => (
                <MenuItem key={p.id} value={p.id}>
                  {p.label}
                </MenuItem>
              ))}
            </TextField>
            {single.item?.type === 'imaging' && (
              <FormControlLabel
                control={
                  <Checkbox
                    checked={single.contrast}
                    onChange={(e) => setSingle({ ...single, contrast: e.target.checked })}
                  />
                }
                label="With IV contrast"
              />
            )}
            <TextField
              size="small"
              label="Reason"
              value={single.reason}
              onChange={(e) => setSingle({ ...single, reason: e.target.value })}
              error={!!errors.reason}
              helperText={errors.reason}
              slotProps={{ htmlInput: { maxLength: 300 } }}
            />
            <TextField
              size="small"
              label="Note"
              value={single.note}
              onChange={(e) => setSingle({ ...single, note: e.target.value })}
              multiline
              minRows={2}
              slotProps={{ htmlInput: { maxLength: 1000 } }}
            />
          </Stack>
        ) : (
          <Stack spacing={2}>
            {sets.isLoading && <LoadingState label="Loading order sets…" />}
            <ErrorAlert error={sets.error} onRetry={() => void sets.refetch()} />
            {sets.data && (
              <RadioGroup
                aria-label="Order sets"
                value={set.setId ?? ''}
                onChange={(e) => setSet({ ...set, setId: e.target.value, excluded: new Set() })}
              >
                {sets.data.map((s) => (
                  <FormControlLabel
                    key={s.id}
                    value={s.id}
                    control={<Radio />}
                    label={
                      <>
                        <Typography component="span">{s.name}</Typography>
                        <Typography component="span" variant="body2" color="text.secondary">
                          {' '}
                          — {s.description}
                        </Typography>
                      </>
                    }
                  />
                ))}
              </RadioGroup>
            )}
            {errors.set && (
              <Typography color="error" role="alert" variant="body2">
                {errors.set}
              </Typography>
            )}
            {chosenSet && (
              <List dense aria-label={`Orders in ${chosenSet.name}`}>
                {chosenSet.items.map((i) => (
                  <ListItem key={i.code} disableGutters>
                    <FormControlLabel
                      control={
                        <Checkbox
                          checked={!set.excluded.has(i.code)}
                          onChange={(e) => {
                            const excluded = new Set(set.excluded);
                            if (e.target.checked) excluded.delete(i.code);
                            else excluded.add(i.code);
                            setSet({ ...set, excluded });
                          }}
                        />
                      }
                      label={`${i.display}${i.priority !== 'routine' ? ` (${i.priority.toUpperCase()})` : ''}`}
                    />
                  </ListItem>
                ))}
              </List>
            )}
            <TextField
              select
              size="small"
              label="Priority for every order"
              value={set.priority}
              onChange={(e) => setSet({ ...set, priority: e.target.value as OrderSetForm['priority'] })}
            >
              <MenuItem value="">As in the set</MenuItem>
              {PRIORITIES.map((p) => (
                <MenuItem key={p.id} value={p.id}>
                  {p.label}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              size="small"
              label="Reason"
              value={set.reason}
              onChange={(e) => setSet({ ...set, reason: e.target.value })}
              error={!!errors.reason}
              helperText={errors.reason}
              slotProps={{ htmlInput: { maxLength: 300 } }}
            />
          </Stack>
        )}
        <Box sx={{ mt: 2 }}>
          <ErrorAlert error={error} title="The order was not placed" />
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          Cancel
        </Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy}>
          {busy ? 'Placing…' : mode === 'single' ? 'Place order' : 'Place order set'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
