import AddIcon from '@mui/icons-material/Add';
import EditIcon from '@mui/icons-material/Edit';
import {
  Alert,
  Box,
  Button,
  Chip,
  FormControlLabel,
  IconButton,
  List,
  ListItem,
  Paper,
  Stack,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { formatDate } from '../../core/format';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { EmptyState, LoadingState, PageHeader } from '../../core/ui/states';
import { pharmacyApi, pharmacyKeys } from './pharmacy-api';
import type { StockLine } from '@wintehr/contracts';
import { alertText } from './receipt-form';
import { ReceiveStockDialog } from './ReceiveStockDialog';
import { ThresholdDialog } from './ThresholdDialog';

function StockTable({ lines, onEditThreshold }: { lines: StockLine[]; onEditThreshold: (l: StockLine) => void }) {
  return (
    <TableContainer tabIndex={0} role="region" aria-label="Stock table">
      <Table size="small" aria-label="Stock on hand">
        <TableHead>
          <TableRow>
            <TableCell>Product</TableCell>
            <TableCell>NDC</TableCell>
            <TableCell>On hand</TableCell>
            <TableCell>Threshold</TableCell>
            <TableCell>Lots (expiry: quantity)</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {lines.map((l) => (
            <TableRow key={l.ndc} data-testid="stock-row">
              <TableCell>
                {l.name ?? `RxNorm ${l.rxcui}`}
                {l.deaSchedule && <Chip size="small" variant="outlined" label={`C-${l.deaSchedule}`} sx={{ ml: 1 }} />}
              </TableCell>
              <TableCell>{l.ndcFormatted}</TableCell>
              <TableCell>
                {l.onHand} {l.unit.replace(/^\{(.*)\}$/, '$1')}
                {l.lowStock && <Chip size="small" color="warning" label="Low" sx={{ ml: 1 }} />}
                {l.expiredQuantity > 0 && (
                  <Box component="span" sx={{ display: 'block', fontSize: '0.75rem' }}>
                    {l.expiredQuantity} expired
                  </Box>
                )}
              </TableCell>
              <TableCell>
                <Stack direction="row" alignItems="center" spacing={0.5}>
                  <span data-testid="threshold">{l.lowStockThreshold ?? '—'}</span>
                  <Tooltip title="Edit the low-stock threshold">
                    <IconButton
                      size="small"
                      aria-label={`Edit low-stock threshold of ${l.name ?? `RxNorm ${l.rxcui}`} (NDC ${l.ndcFormatted})`}
                      onClick={() => onEditThreshold(l)}
                    >
                      <EditIcon fontSize="small" />
                    </IconButton>
                  </Tooltip>
                </Stack>
              </TableCell>
              <TableCell>
                {l.lots.length === 0
                  ? '—'
                  : l.lots.map((lot) => (
                      <Box
                        key={lot.id}
                        component="span"
                        sx={{ display: 'block', color: lot.expired ? 'error.main' : undefined }}
                      >
                        {lot.lotNumber} · {formatDate(lot.expiry)}: {lot.quantity}
                        {lot.expired ? ' (expired)' : ''}
                      </Box>
                    ))}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** The pharmacy's stock per NDC and lot, its alerts (low, expiring, expired), and receipts. No PHI here. */
export function InventoryPage() {
  const [includeEmpty, setIncludeEmpty] = useState(false);
  const [receiving, setReceiving] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [editing, setEditing] = useState<StockLine>();
  const stock = useQuery({
    queryKey: [...pharmacyKeys.inventory, { includeEmpty }],
    queryFn: () => pharmacyApi.inventory(includeEmpty),
  });
  const alerts = useQuery({ queryKey: pharmacyKeys.alerts, queryFn: () => pharmacyApi.alerts() });
  return (
    <>
      <PageHeader
        title="Pharmacy inventory"
        actions={
          <Stack direction="row" spacing={2}>
            <Button component={RouterLink} to="/pharmacy/controlled-substances" variant="outlined">
              Controlled-substance log
            </Button>
            <Button variant="contained" startIcon={<AddIcon />} onClick={() => setReceiving(true)}>
              Receive stock
            </Button>
          </Stack>
        }
      />
      {notice && (
        <Alert severity="success" role="status" sx={{ mb: 2 }} onClose={() => setNotice(undefined)}>
          {notice}
        </Alert>
      )}
      <Paper sx={{ p: 2, mb: 2 }} component="section" aria-labelledby="alerts-title">
        <Typography id="alerts-title" variant="h6" component="h2" gutterBottom>
          Alerts
        </Typography>
        {alerts.isLoading && <LoadingState label="Loading alerts…" />}
        <ErrorAlert error={alerts.error} onRetry={() => void alerts.refetch()} />
        {alerts.data && alerts.data.count === 0 && <EmptyState>No low-stock, expiring or expired lots.</EmptyState>}
        {!!alerts.data?.count && (
          <List dense aria-label="Inventory alerts">
            {alerts.data.alerts.map((a) => (
              <ListItem key={`${a.kind}-${a.ndc}-${'lotId' in a ? a.lotId : ''}`} disableGutters>
                <Chip
                  size="small"
                  color={a.kind === 'expired' ? 'error' : 'warning'}
                  label={a.kind === 'low-stock' ? 'Low stock' : a.kind === 'expired' ? 'Expired' : 'Expiring'}
                  sx={{ mr: 1 }}
                />
                <Typography variant="body2">{alertText(a)}</Typography>
              </ListItem>
            ))}
          </List>
        )}
      </Paper>
      <Paper sx={{ p: 2 }} component="section" aria-labelledby="stock-title">
        <Stack direction="row" justifyContent="space-between" alignItems="center" flexWrap="wrap">
          <Typography id="stock-title" variant="h6" component="h2">
            Stock on hand
          </Typography>
          <FormControlLabel
            control={<Switch checked={includeEmpty} onChange={(e) => setIncludeEmpty(e.target.checked)} />}
            label="Show empty lots"
          />
        </Stack>
        {stock.isLoading && <LoadingState label="Loading stock…" />}
        <ErrorAlert error={stock.error} title="Stock could not be loaded" onRetry={() => void stock.refetch()} />
        {stock.data && stock.data.items.length === 0 && (
          <EmptyState>No stock recorded. Receive a delivery to start.</EmptyState>
        )}
        {!!stock.data?.items.length && <StockTable lines={stock.data.items} onEditThreshold={setEditing} />}
      </Paper>
      {editing && (
        <ThresholdDialog
          key={editing.ndc}
          line={editing}
          onClose={() => setEditing(undefined)}
          onDone={(_ndc, value) => {
            setNotice(`Low-stock threshold of ${editing.name ?? `NDC ${editing.ndcFormatted}`} set to ${value}.`);
            setEditing(undefined);
          }}
        />
      )}
      <ReceiveStockDialog
        open={receiving}
        onClose={() => setReceiving(false)}
        onDone={(r) => {
          setReceiving(false);
          setNotice(
            `Stock received: lot ${r.lot.lotNumber} now holds ${r.lot.quantity}${r.controlled ? ` (C-${r.controlled.schedule}, logged; balance ${r.controlled.balanceAfter})` : ''}.`,
          );
        }}
      />
    </>
  );
}
