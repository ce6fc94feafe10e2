import { Box } from '@mui/material';
import { chartGeometry } from './trend-chart';

/** A small trend line with the shaded reference band; out-of-range values are red squares (not colour alone). */
export function TrendSvg({
  points,
  range,
  label,
  width = 320,
  height = 90,
}: {
  points: ReadonlyArray<{ date: string; value: number }>;
  range: { low?: number; high?: number };
  label: string;
  width?: number;
  height?: number;
}) {
  const g = chartGeometry(points, range, width, height);
  const path = g.points.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' ');
  return (
    <Box
      component="svg"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={label}
      sx={{ border: 1, borderColor: 'divider', borderRadius: 1, flexShrink: 0, bgcolor: 'background.paper' }}
    >
      {g.band && (
        <rect
          x={0}
          y={g.band.top}
          width={width}
          height={Math.max(1, g.band.bottom - g.band.top)}
          fill="#2e7d32"
          opacity={0.12}
        />
      )}
      <path d={path} fill="none" stroke="#1565c0" strokeWidth={2} />
      {g.points.map((p, i) =>
        p.out ? (
          <rect key={`${p.date}-${i}`} x={p.x - 4} y={p.y - 4} width={8} height={8} fill="#c62828" />
        ) : (
          <circle key={`${p.date}-${i}`} cx={p.x} cy={p.y} r={3.5} fill="#1565c0" />
        ),
      )}
    </Box>
  );
}
