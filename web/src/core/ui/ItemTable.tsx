import { Box, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import type { ReactNode } from 'react';
import { EmptyState } from './states';

export interface Column<T> {
  label: string;
  cell: (row: T) => ReactNode;
}

/** A chart list as a table that scrolls sideways inside the window rather than widening it. */
export function ItemTable<T extends { id?: string }>({
  label,
  rows,
  columns,
  empty,
}: {
  label: string;
  rows: T[];
  columns: Column<T>[];
  empty: string;
}) {
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <Box sx={{ overflowX: 'auto', maxWidth: '100%' }} tabIndex={0} role="region" aria-label={`${label} table`}>
      <Table size="small" aria-label={label}>
        <TableHead>
          <TableRow>
            {columns.map((c) => (
              <TableCell key={c.label}>{c.label}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r, i) => (
            <TableRow key={r.id ?? i}>
              {columns.map((c) => (
                <TableCell key={c.label}>{c.cell(r)}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
