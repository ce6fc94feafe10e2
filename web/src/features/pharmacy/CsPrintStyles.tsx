import { GlobalStyles } from '@mui/material';

/** Page content that stays on screen only (pickers, buttons). */
export const noPrint = { '@media print': { display: 'none !important' } } as const;
/** Page content that only the paper copy needs (signature lines). */
export const printOnly = { display: 'none', '@media print': { display: 'block' } } as const;

/**
 * While the log page is mounted, printing gives the log alone: DEA inspections want paper, and the app's frame
 * (bar, navigation, skip link) is noise there. Every drug's entries are printed, expanded or not, and colours that
 * carry meaning are kept (browsers drop backgrounds unless asked).
 */
export function CsPrintStyles() {
  return (
    <GlobalStyles
      styles={{
        '@page': { size: 'landscape', margin: '12mm' },
        '@media print': {
          'header.MuiAppBar-root, .MuiDrawer-root, a[href="#main-content"]': { display: 'none !important' },
          'html, body, #root, #root > div, #main-content': { background: '#fff !important' },
          '#main-content': { padding: '0 !important' },
          '#main-content > .MuiToolbar-root': { display: 'none !important' },
          '.MuiPaper-root': { boxShadow: 'none !important', border: 'none !important' },
          '.MuiTableContainer-root': { overflow: 'visible !important' },
          '.MuiTableCell-root': { padding: '3px 6px !important', fontSize: '9pt !important' },
          '[data-print-entries]': { display: 'table-row !important' },
          '[data-testid="cs-drug"]': { breakInside: 'avoid' },
          tr: { breakInside: 'avoid' },
          '.MuiChip-root, [data-reconciled="false"]': { printColorAdjust: 'exact', WebkitPrintColorAdjust: 'exact' },
        },
      }}
    />
  );
}
