/** The part of dcmjs (no published types) this module uses: Part 10 read/write and (de)naturalized datasets. */
declare module 'dcmjs' {
  type Dict = Record<string, { vr: string; Value?: unknown[] }>;
  class DicomDict {
    constructor(meta: Dict);
    meta: Dict;
    dict: Dict;
    write(options?: Record<string, unknown>): ArrayBuffer;
  }
  export const data: {
    DicomDict: typeof DicomDict;
    DicomMessage: { readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDict };
    DicomMetaDictionary: {
      naturalizeDataset(dict: Dict): Record<string, unknown>;
      denaturalizeDataset(dataset: Record<string, unknown>): Dict;
      uid(): string;
    };
  };
  export const log: { setLevel(level: string): void };
}
