import {
  Alert,
  Box,
  Button,
  ButtonGroup,
  Dialog,
  DialogContent,
  DialogTitle,
  IconButton,
  Slider,
  Stack,
  Typography,
} from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import type { ImagingStudySummary } from '@wintehr/contracts';
import { useEffect, useRef, useState } from 'react';
import { core, initCornerstone, loadStudyImageIds, tools } from './cornerstone-setup';
import { WINDOW_PRESETS, sliceForKey, voiRange, windowOf } from './window-presets';

type ToolMode = 'windowLevel' | 'pan' | 'zoom' | 'length';
const TOOL_NAMES: Record<ToolMode, string> = {
  windowLevel: tools.WindowLevelTool.toolName,
  pan: tools.PanTool.toolName,
  zoom: tools.ZoomTool.toolName,
  length: tools.LengthTool.toolName,
};
const { MouseBindings } = tools.Enums;

let engineSeq = 0;

/** One stack viewport of one study: wheel, slider and keys scroll; the active tool acts on the primary button. */
function StackPane({
  study,
  mode,
  engineId,
  label,
}: {
  study: ImagingStudySummary;
  mode: ToolMode;
  engineId: string;
  label: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  const viewportId = `${engineId}-${study.id}`;
  const [count, setCount] = useState(0);
  const [index, setIndex] = useState(0);
  const [win, setWin] = useState<{ width: number; center: number }>();
  const [error, setError] = useState<string>();
  const [loaded, setLoaded] = useState(false);
  const viewportRef = useRef<core.Types.IStackViewport | undefined>(undefined);
  // Where scrolling is heading: key presses arrive faster than slices load, so they step from here, not from state.
  const target = useRef(0);

  useEffect(() => {
    let cancelled = false;
    const el = element.current!;
    const toolGroupId = `${viewportId}-tools`;
    let engine: core.RenderingEngine | undefined;
    const onImage = () => {
      const vp = viewportRef.current;
      if (!vp) return;
      target.current = vp.getCurrentImageIdIndex();
      setIndex(target.current);
      setLoaded(true);
    };
    const onVoi = () => {
      const r = viewportRef.current?.getProperties().voiRange;
      if (r) setWin(windowOf(r));
    };
    (async () => {
      try {
        await initCornerstone();
        const { imageIds } = await loadStudyImageIds(study.studyUid);
        if (cancelled) return;
        if (!imageIds.length) throw new Error('This study has no images.');
        engine = new core.RenderingEngine(`${viewportId}-engine`);
        engine.enableElement({ viewportId, type: core.Enums.ViewportType.STACK, element: el });
        const vp = engine.getViewport(viewportId) as core.Types.IStackViewport;
        viewportRef.current = vp;
        const group = tools.ToolGroupManager.createToolGroup(toolGroupId)!;
        for (const name of Object.values(TOOL_NAMES)) group.addTool(name);
        group.addTool(tools.StackScrollTool.toolName);
        group.setToolActive(tools.StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
        group.addViewport(viewportId, engine.id);
        el.addEventListener(core.Enums.Events.STACK_NEW_IMAGE, onImage);
        el.addEventListener(core.Enums.Events.VOI_MODIFIED, onVoi);
        setCount(imageIds.length);
        await vp.setStack(imageIds, 0);
        vp.render();
        onImage();
        onVoi();
      } catch (err) {
        if (!cancelled) setError((err as Error).message);
      }
    })();
    return () => {
      cancelled = true;
      el.removeEventListener(core.Enums.Events.STACK_NEW_IMAGE, onImage);
      el.removeEventListener(core.Enums.Events.VOI_MODIFIED, onVoi);
      tools.ToolGroupManager.destroyToolGroup(toolGroupId);
      engine?.destroy();
      viewportRef.current = undefined;
    };
  }, [study.studyUid, viewportId]);

  // The primary mouse button drives the chosen tool; the others stay bound (right = zoom, middle = pan).
  useEffect(() => {
    const group = tools.ToolGroupManager.getToolGroup(`${viewportId}-tools`);
    if (!group || !loaded) return;
    for (const [m, name] of Object.entries(TOOL_NAMES)) {
      if (m === mode) group.setToolActive(name, { bindings: [{ mouseButton: MouseBindings.Primary }] });
      else if (name === TOOL_NAMES.zoom)
        group.setToolActive(name, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
      else if (name === TOOL_NAMES.pan)
        group.setToolActive(name, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
      else group.setToolPassive(name);
    }
  }, [mode, loaded, viewportId]);

  const go = (i: number) => {
    const vp = viewportRef.current;
    if (!vp) return;
    target.current = i;
    void vp.setImageIdIndex(i);
  };
  const preset = (width: number, center: number) => {
    const vp = viewportRef.current;
    if (!vp) return;
    vp.setProperties({ voiRange: voiRange(width, center) });
    vp.render();
    setWin({ width, center });
  };

  return (
    <Box sx={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column', gap: 1 }} data-testid="imaging-pane">
      <Typography variant="subtitle2">
        {label}: {study.description ?? 'Study'} {study.started ? `(${study.started.slice(0, 10)})` : ''}
      </Typography>
      {error && <Alert severity="error">{error}</Alert>}
      <ButtonGroup size="small" aria-label={`Window presets, ${label}`}>
        {WINDOW_PRESETS.map((p) => (
          <Button key={p.id} onClick={() => preset(p.width, p.center)}>
            {p.label}
          </Button>
        ))}
      </ButtonGroup>
      <Box
        ref={element}
        tabIndex={0}
        role="img"
        aria-label={`${label} image, slice ${index + 1} of ${count}. Arrow keys scroll.`}
        data-testid="imaging-viewport"
        data-loaded={loaded ? 'true' : 'false'}
        data-slice-index={index}
        data-slice-count={count}
        data-window={win ? `${win.width}/${win.center}` : ''}
        onKeyDown={(e) => {
          const next = sliceForKey(e.key, target.current, count);
          if (next !== undefined) {
            e.preventDefault();
            go(next);
          }
        }}
        onContextMenu={(e) => e.preventDefault()}
        sx={{
          height: { xs: 320, md: 480 },
          bgcolor: 'black',
          position: 'relative',
          outline: 'none',
          '&:focus-visible': { boxShadow: '0 0 0 3px #90caf9' },
        }}
      />
      <Stack direction="row" spacing={2} alignItems="center">
        <Typography variant="body2" sx={{ minWidth: 110 }} data-testid="imaging-slice-label">
          Slice {count ? index + 1 : 0} / {count}
        </Typography>
        <Slider
          size="small"
          min={0}
          max={Math.max(0, count - 1)}
          value={index}
          disabled={count < 2}
          onChange={(_e, v) => go(v as number)}
          aria-label={`Slice, ${label}`}
        />
        <Typography variant="body2" sx={{ minWidth: 120 }} data-testid="imaging-window-label">
          {win ? `W ${win.width} / L ${win.center}` : ''}
        </Typography>
      </Stack>
    </Box>
  );
}

/** The viewer: one study, or two side by side for comparison, with a shared tool choice. */
export default function ImagingViewer({ studies, onClose }: { studies: ImagingStudySummary[]; onClose: () => void }) {
  const [mode, setMode] = useState<ToolMode>('windowLevel');
  const [engineId] = useState(() => `wintehr-viewer-${++engineSeq}`);
  return (
    <Dialog open fullScreen onClose={onClose} aria-labelledby="imaging-viewer-title">
      <DialogTitle id="imaging-viewer-title" sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
        {studies.length > 1 ? 'Compare studies' : 'Image viewer'}
        <ButtonGroup size="small" aria-label="Mouse tool">
          {(
            [
              ['windowLevel', 'Window/level'],
              ['pan', 'Pan'],
              ['zoom', 'Zoom'],
              ['length', 'Measure length'],
            ] as const
          ).map(([m, text]) => (
            <Button
              key={m}
              variant={mode === m ? 'contained' : 'outlined'}
              aria-pressed={mode === m}
              onClick={() => setMode(m)}
            >
              {text}
            </Button>
          ))}
        </ButtonGroup>
        <Box sx={{ flex: 1 }} />
        <IconButton aria-label="Close viewer" onClick={onClose}>
          <CloseIcon />
        </IconButton>
      </DialogTitle>
      <DialogContent>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
          {studies.map((s, i) => (
            <StackPane
              key={s.id}
              study={s}
              mode={mode}
              engineId={engineId}
              label={studies.length > 1 ? (i === 0 ? 'Left' : 'Right') : 'Study'}
            />
          ))}
        </Stack>
      </DialogContent>
    </Dialog>
  );
}
