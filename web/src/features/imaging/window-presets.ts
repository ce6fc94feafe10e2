/** Window/level presets (Hounsfield units) for CT: width and centre, as radiologists name them. */
export const WINDOW_PRESETS = [
  { id: 'soft-tissue', label: 'Soft tissue', width: 400, center: 40 },
  { id: 'lung', label: 'Lung', width: 1500, center: -600 },
  { id: 'bone', label: 'Bone', width: 2000, center: 300 },
  { id: 'brain', label: 'Brain', width: 80, center: 40 },
] as const;
export type WindowPreset = (typeof WINDOW_PRESETS)[number];

/** Cornerstone's VOI range from a width/centre pair. */
export function voiRange(width: number, center: number): { lower: number; upper: number } {
  return { lower: center - width / 2, upper: center + width / 2 };
}

/** Width/centre from a VOI range (what the viewer shows while the user drags). */
export function windowOf(range: { lower: number; upper: number }): { width: number; center: number } {
  return { width: Math.round(range.upper - range.lower), center: Math.round((range.upper + range.lower) / 2) };
}

/** The next slice for a key press, clamped to the stack (no wrap-around: the ends are landmarks). */
export function sliceForKey(key: string, index: number, count: number): number | undefined {
  const step: Record<string, number> = {
    ArrowUp: -1,
    ArrowDown: 1,
    PageUp: -5,
    PageDown: 5,
    Home: -Infinity,
    End: Infinity,
  };
  const d = step[key];
  if (d === undefined || count === 0) return undefined;
  return Math.min(count - 1, Math.max(0, index + d));
}
