import { MenuItem, TextField } from '@mui/material';
import type { DosageForm } from './order-change-form';
import { DOSE_UNITS, FREQUENCIES, ROUTES } from './prescription';

type DosageChoice = Pick<DosageForm, 'doseUnit' | 'route' | 'frequencyId'>;

/**
 * Unit, route and frequency of a dose, picked the same way when prescribing and when changing a dose. The dose
 * amount stays with each dialog: prescribing checks it on sign, changing a dose as it is typed.
 */
export function DosageSelects({
  value,
  onChange,
  unitLabel,
  disabled,
  fixedWidth,
}: {
  value: DosageChoice;
  onChange: (k: keyof DosageChoice, v: DosageChoice[keyof DosageChoice]) => void;
  unitLabel: string;
  disabled?: boolean;
  /** Fixed widths for a compact row; otherwise the widths are minimums and the fields may grow. */
  fixedWidth?: boolean;
}) {
  const fields = [
    { key: 'doseUnit', label: unitLabel, width: 130, options: DOSE_UNITS.map((u) => [u.code, u.label]) },
    { key: 'route', label: 'Route', width: 150, options: ROUTES.map((r) => [r, r]) },
    { key: 'frequencyId', label: 'Frequency', width: 180, options: FREQUENCIES.map((f) => [f.id, f.label]) },
  ] as const;
  return (
    <>
      {fields.map((f) => (
        <TextField
          key={f.key}
          select
          size="small"
          label={f.label}
          value={value[f.key]}
          onChange={(e) => onChange(f.key, e.target.value)}
          disabled={disabled}
          sx={fixedWidth ? { width: f.width } : { minWidth: f.width }}
        >
          {f.options.map(([code, label]) => (
            <MenuItem key={code} value={code}>
              {label}
            </MenuItem>
          ))}
        </TextField>
      ))}
    </>
  );
}
