import { Box } from '@mui/material';

/** A small line of one test's values over time; the sentence beside it carries the same information in words. */
export function TrendLine({
  points,
  label,
  width = 160,
  height = 40,
}: {
  points: ReadonlyArray<{ date: string; value: number }>;
  label: string;
  width?: number;
  height?: number;
}) {
  if (points.length < 2) return null;
  const values = points.map((p) => p.value);
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  const pad = 4;
  const xy = points.map((p, i) => ({
    x: pad + (i * (width - 2 * pad)) / (points.length - 1),
    y: height - pad - ((p.value - min) * (height - 2 * pad)) / span,
  }));
  return (
    <Box component="svg" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={label}>
      <path
        d={xy.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' ')}
        fill="none"
        stroke="#1565c0"
        strokeWidth={2}
      />
      {xy.map((p, i) => (
        <circle key={i} cx={p.x} cy={p.y} r={3} fill="#1565c0" />
      ))}
    </Box>
  );
}
