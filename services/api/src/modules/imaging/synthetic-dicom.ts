// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dcmjs ships no types; the reference makes ours visible wherever this file is compiled (API, scripts)
/// <reference path="./dcmjs.d.ts" />
import { createHash } from 'node:crypto';
import dcmjs from 'dcmjs';

/**
 * Synthetic DICOM studies made in memory (demo data, tests, benchmarks): a CT phantom (a water cylinder with lungs,
 * a spine and a rib ring, whose anatomy changes along z so scrolling shows motion) and a two-view chest radiograph.
 * UIDs are derived from a seed under the 2.25 (UUID-derived) root, so the same seed gives the same study.
 */
export interface SyntheticPatient {
  id: string;
  name: string;
  birthDate?: string;
  sex?: 'M' | 'F' | 'O';
}

export interface SyntheticOptions {
  seed: string;
  patient: SyntheticPatient;
  studyDate?: string;
  accessionNumber?: string;
}

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';
const DX_IMAGE = '1.2.840.10008.5.1.4.1.1.1.1';

/** A deterministic UID under 2.25 (a UUID as a decimal integer; PS3.5 B.2). */
export function derivedUid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${hex}`).toString()}`;
}

function part10(dataset: Record<string, unknown>): Buffer {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_LE,
    ImplementationClassUID: '2.25.318143592818917410286154530937476519837',
    ImplementationVersionName: 'WINTEHR_1',
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({ ...dataset, _vrMap: { PixelData: 'OW' } });
  return Buffer.from(dict.write());
}

function common(o: SyntheticOptions, studyUid: string, description: string) {
  return {
    PatientID: o.patient.id,
    PatientName: o.patient.name,
    PatientBirthDate: (o.patient.birthDate ?? '').replace(/-/g, ''),
    PatientSex: o.patient.sex ?? 'O',
    StudyInstanceUID: studyUid,
    StudyDate: o.studyDate ?? '20260101',
    StudyTime: '101500',
    StudyID: '1',
    AccessionNumber: o.accessionNumber ?? '',
    StudyDescription: description,
    ReferringPhysicianName: '',
    Manufacturer: 'WintEHR synthetic',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
  };
}

/** A CT phantom: `slices` axial slices of size×size, 16-bit signed Hounsfield units (rescale 1/−1024). */
export function ctPhantomStudy(o: SyntheticOptions, slices = 20, size = 128): Buffer[] {
  const studyUid = derivedUid(o.seed, 'study');
  const seriesUid = derivedUid(o.seed, 'series', '1');
  const out: Buffer[] = [];
  const thickness = 5;
  const c = size / 2;
  for (let z = 0; z < slices; z++) {
    const px = new Int16Array(size * size);
    const t = z / Math.max(1, slices - 1);
    // Lungs shrink towards the ends of the stack; the ring (ribs) comes and goes, so each slice differs visibly.
    const lungR = size * (0.16 * Math.sin(Math.PI * (0.15 + 0.7 * t)));
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dx = x - c;
        const dy = y - c;
        const r = Math.hypot(dx / 1.25, dy);
        let hu = -1000; // air
        if (r < size * 0.42) hu = 40; // soft tissue
        if (r < size * 0.42 && r > size * 0.37 && Math.cos(Math.atan2(dy, dx) * 12 + z) > 0.2) hu = 700; // ribs
        const left = Math.hypot(dx + size * 0.17, dy + size * 0.02);
        const right = Math.hypot(dx - size * 0.17, dy + size * 0.02);
        if (left < lungR || right < lungR) hu = -850; // lungs
        if (Math.hypot(dx, dy - size * 0.27) < size * 0.06) hu = 900; // vertebra
        if (Math.hypot(dx + size * 0.03, dy + size * 0.02) < size * 0.07 * (1 - t * 0.5)) hu = 60; // heart
        px[y * size + x] = hu + 1024;
      }
    }
    out.push(
      part10({
        ...common(o, studyUid, 'CT CHEST WO CONTRAST (synthetic phantom)'),
        SOPClassUID: CT_IMAGE,
        SOPInstanceUID: derivedUid(o.seed, 'ct', String(z)),
        SeriesInstanceUID: seriesUid,
        Modality: 'CT',
        SeriesNumber: 1,
        SeriesDescription: 'Axial 5 mm',
        InstanceNumber: z + 1,
        ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
        ImagePositionPatient: [-c, -c, -z * thickness],
        ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
        SliceThickness: thickness,
        SliceLocation: -z * thickness,
        PixelSpacing: [1.5, 1.5],
        Rows: size,
        Columns: size,
        PixelRepresentation: 1,
        RescaleIntercept: -1024,
        RescaleSlope: 1,
        WindowCenter: 40,
        WindowWidth: 400,
        PixelData: px.buffer,
      }),
    );
  }
  return out;
}

/** A two-view chest radiograph (PA and lateral), size×size, 12-bit unsigned. */
export function chestXrayStudy(o: SyntheticOptions, size = 256): Buffer[] {
  const studyUid = derivedUid(o.seed, 'study');
  return ['PA', 'LATERAL'].map((view, i) => {
    const px = new Uint16Array(size * size);
    const c = size / 2;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dx = (x - c) / size;
        const dy = (y - c) / size;
        let v = 300; // background (film, little attenuation)
        if (Math.abs(dx) < (view === 'PA' ? 0.4 : 0.3) && Math.abs(dy) < 0.45) v = 1800; // body
        const lung =
          view === 'PA'
            ? Math.min(Math.hypot(dx + 0.17, dy / 1.6), Math.hypot(dx - 0.17, dy / 1.6))
            : Math.hypot(dx, dy / 1.5);
        if (lung < 0.13) v = 700; // aerated lung
        if (Math.abs(dx) < 0.025 && view === 'PA') v = 3200; // spine
        if (Math.hypot(dx + 0.05, dy - 0.12) < 0.09) v = 2200; // heart shadow
        px[y * size + x] = v;
      }
    }
    return part10({
      ...common(o, studyUid, 'XR CHEST 2 VIEWS (synthetic)'),
      BitsStored: 12,
      HighBit: 11,
      SOPClassUID: DX_IMAGE,
      SOPInstanceUID: derivedUid(o.seed, 'dx', view),
      SeriesInstanceUID: derivedUid(o.seed, 'series', view),
      Modality: 'DX',
      SeriesNumber: i + 1,
      SeriesDescription: view,
      ViewPosition: view === 'PA' ? 'PA' : 'LL',
      InstanceNumber: 1,
      Rows: size,
      Columns: size,
      PixelSpacing: [0.7, 0.7],
      PixelRepresentation: 0,
      WindowCenter: 2048,
      WindowWidth: 4096,
      PixelData: px.buffer,
    });
  });
}
