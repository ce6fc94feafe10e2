/**
 * Medical imaging: DICOM upload into the PACS (Orthanc) behind the API, the ImagingStudy list of a chart, radiology
 * reports (DiagnosticReport, category RAD) and study sharing. Pixel data travels over DICOMweb at /dicomweb (not here).
 */
import { z } from 'zod';
import { fhirResource, FhirId } from './fhir';

/** A DICOM UID: dot-separated numeric components, at most 64 characters (PS3.5 §9.1). */
export const DICOM_UID_RE = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/;
export const DicomUid = z.string().max(64).regex(DICOM_UID_RE, 'a DICOM UID (digits and dots, at most 64 characters)');

export const ImagingPatientParams = z.object({ patientId: FhirId }).strict();
export const ImagingStudyParams = z.object({ patientId: FhirId, studyUid: DicomUid }).strict();
export const ImagingReportParams = z.object({ reportId: FhirId }).strict();
export const ImagingShareParams = z.object({ shareId: z.uuid() }).strict();

/** Multipart form fields beside the files (busboy gives them as strings). */
export const ImagingUploadFields = z
  .object({
    /** Rewrite PatientID/PatientName to the chart patient's when the files name someone else. */
    relabel: z.enum(['true', 'false']).optional(),
    serviceRequestId: FhirId.optional(),
  })
  .strict();
export type ImagingUploadFields = z.infer<typeof ImagingUploadFields>;

export const ImagingSeriesSummary = z.object({
  uid: z.string(),
  modality: z.string(),
  number: z.number().int().optional(),
  description: z.string().optional(),
  numberOfInstances: z.number().int(),
});
export type ImagingSeriesSummary = z.infer<typeof ImagingSeriesSummary>;

export const ImagingStudySummary = z.object({
  id: z.string(),
  studyUid: z.string(),
  started: z.string().optional(),
  description: z.string().optional(),
  modalities: z.array(z.string()),
  numberOfSeries: z.number().int(),
  numberOfInstances: z.number().int(),
  series: z.array(ImagingSeriesSummary),
  basedOn: z.string().optional(),
  /** The newest radiology report on this study, if any. */
  report: z
    .object({
      id: z.string(),
      status: z.string(),
      conclusion: z.string().optional(),
      interpreter: z.string().optional(),
      issued: z.string().optional(),
    })
    .optional(),
});
export type ImagingStudySummary = z.infer<typeof ImagingStudySummary>;

export const ImagingStudyList = z.object({ studies: z.array(ImagingStudySummary) });
export type ImagingStudyList = z.infer<typeof ImagingStudyList>;

export const ImagingUploadResult = z.object({
  study: ImagingStudySummary,
  imagingStudy: fhirResource('ImagingStudy'),
  /** Instances new to the PACS, and ones it already held (same SOP Instance UID). */
  stored: z.number().int(),
  alreadyStored: z.number().int(),
  relabelled: z.boolean(),
});
export type ImagingUploadResult = z.infer<typeof ImagingUploadResult>;

/** Per-file refusal (400 details): which file, and why. */
export const ImagingFileError = z.object({ file: z.string(), message: z.string() });
export type ImagingFileError = z.infer<typeof ImagingFileError>;

export const ImagingReportBody = z
  .object({
    conclusion: z.string().trim().min(3).max(4000),
    findings: z.string().trim().max(20_000).optional(),
  })
  .strict();
export type ImagingReportBody = z.infer<typeof ImagingReportBody>;

export const ImagingReportResult = z.object({ report: fhirResource('DiagnosticReport') });
export type ImagingReportResult = z.infer<typeof ImagingReportResult>;

export const ImagingShareBody = z
  .object({
    hours: z
      .number()
      .positive()
      .max(24 * 30)
      .optional(),
  })
  .strict();
export type ImagingShareBody = z.infer<typeof ImagingShareBody>;

export const ImagingShareResult = z.object({
  id: z.string(),
  /** Relative URL of the read-only study (manifest + DICOMweb with the share token). */
  url: z.string(),
  token: z.string(),
  expiresAt: z.string(),
});
export type ImagingShareResult = z.infer<typeof ImagingShareResult>;

/** What a share link opens: the study only, read-only. */
export const ImagingSharedStudy = z.object({
  study: ImagingStudySummary,
  expiresAt: z.string(),
  dicomwebRoot: z.string(),
});
export type ImagingSharedStudy = z.infer<typeof ImagingSharedStudy>;

/** The reading worklist (radiologists): studies waiting for a report, or every recent study. */
export const IMAGING_WORKLIST_FILTERS = ['unreported', 'all'] as const;
export const ImagingWorklistFilter = z.enum(IMAGING_WORKLIST_FILTERS);
export type ImagingWorklistFilter = z.infer<typeof ImagingWorklistFilter>;

export const ImagingWorklistQuery = z.object({ status: ImagingWorklistFilter.default('unreported') }).strict();
export type ImagingWorklistQuery = z.infer<typeof ImagingWorklistQuery>;

/** FHIR request-priority codes, most urgent first (the worklist's order). */
export const IMAGING_PRIORITIES = ['stat', 'asap', 'urgent', 'routine'] as const;
export const ImagingPriority = z.enum(IMAGING_PRIORITIES);
export type ImagingPriority = z.infer<typeof ImagingPriority>;

/** `final` also covers a signed report later amended, corrected or appended. */
export const ImagingReportState = z.enum(['none', 'preliminary', 'final']);
export type ImagingReportState = z.infer<typeof ImagingReportState>;

export const ImagingWorklistItem = z.object({
  id: z.string(),
  studyUid: z.string(),
  patient: z.object({
    id: z.string(),
    name: z.string().optional(),
    birthDate: z.string().optional(),
    mrn: z.string().optional(),
  }),
  modalities: z.array(z.string()),
  description: z.string().optional(),
  started: z.string().optional(),
  numberOfSeries: z.number().int(),
  numberOfInstances: z.number().int(),
  /** The order's priority; `routine` when the study names no order or the order none. */
  priority: ImagingPriority,
  /** The ServiceRequest the study's basedOn names, when it is one. */
  order: z
    .object({
      id: z.string(),
      code: z.string().optional(),
      priority: ImagingPriority.optional(),
      requester: z.string().optional(),
    })
    .optional(),
  report: z.object({
    state: ImagingReportState,
    id: z.string().optional(),
    interpreter: z.string().optional(),
  }),
});
export type ImagingWorklistItem = z.infer<typeof ImagingWorklistItem>;

export const ImagingWorklist = z.object({
  status: ImagingWorklistFilter,
  /** How many of the newest available studies were looked at, and whether older ones were left out. */
  scanned: z.number().int(),
  truncated: z.boolean(),
  items: z.array(ImagingWorklistItem),
});
export type ImagingWorklist = z.infer<typeof ImagingWorklist>;
