import * as core from '@cornerstonejs/core';
import dicomImageLoader from '@cornerstonejs/dicom-image-loader';
import * as tools from '@cornerstonejs/tools';
import { freshAccessToken } from './imaging-api';

let ready: Promise<{ cpu: boolean }> | undefined;

/** True when this browser can give Cornerstone3D a WebGL2/WebGL context (headless Chromium often cannot). */
export function hasWebGl(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return !!(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

/**
 * Cornerstone3D once per page: core (GPU, or CPU rendering when WebGL is missing), the DICOM image loader with the
 * wadors scheme (every request through the API's /dicomweb with the user's bearer token), and the tools.
 */
export function initCornerstone(): Promise<{ cpu: boolean }> {
  ready ??= (async () => {
    const cpu = !hasWebGl() || new URLSearchParams(window.location.search).has('cpuRendering');
    core.init();
    if (cpu) core.setUseCPURendering(true);
    dicomImageLoader.init({
      maxWebWorkers: 1,
      beforeSend: async (): Promise<Record<string, string>> => {
        const token = await freshAccessToken();
        return token ? { Authorization: `Bearer ${token}` } : {};
      },
    });
    tools.init();
    for (const t of [tools.WindowLevelTool, tools.PanTool, tools.ZoomTool, tools.StackScrollTool, tools.LengthTool])
      tools.addTool(t);
    return { cpu };
  })();
  return ready;
}

type DicomJson = Record<string, { vr: string; Value?: unknown[] }>;
const tag = (i: DicomJson, t: string): unknown => i[t]?.Value?.[0];

/**
 * The image ids to show for a study, with each instance's WADO-RS metadata registered for the loader (one metadata
 * request per study instead of one per image): its largest series in instance order or, when every series is a single
 * image (radiograph views), all of them as one stack.
 */
export async function loadStudyImageIds(studyUid: string): Promise<{ imageIds: string[] }> {
  const token = await freshAccessToken();
  const root = `${window.location.origin}/dicomweb`;
  const res = await fetch(`${root}/studies/${encodeURIComponent(studyUid)}/metadata`, {
    headers: { accept: 'application/dicom+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (!res.ok)
    throw new Error(
      res.status === 403 ? 'You may not view this study.' : `The study could not be loaded (${res.status}).`,
    );
  const instances = (await res.json()) as DicomJson[];
  const bySeries = new Map<string, DicomJson[]>();
  for (const i of instances) {
    const s = String(tag(i, '0020000E'));
    bySeries.set(s, [...(bySeries.get(s) ?? []), i]);
  }
  const order = (i: DicomJson) => Number(tag(i, '00200011') ?? 0) * 100_000 + Number(tag(i, '00200013') ?? 0);
  const all = [...bySeries.values()];
  const shown = all.every((s) => s.length === 1) ? all.flat() : (all.sort((a, b) => b.length - a.length)[0] ?? []);
  shown.sort((a, b) => order(a) - order(b));
  const imageIds = shown.map((i) => {
    const id = `wadors:${root}/studies/${studyUid}/series/${String(tag(i, '0020000E'))}/instances/${String(tag(i, '00080018'))}/frames/1`;
    dicomImageLoader.wadors.metaDataManager.add(id, i as never);
    return id;
  });
  return { imageIds };
}

export { core, tools };
