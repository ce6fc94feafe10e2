import { Router, type NextFunction, type Request, type Response } from 'express';
import { hasPermission } from '@wintehr/contracts';
import { auditRequest } from '../../core/audit/request-audit';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { AppError, forbidden, notFound, unauthorized } from '../../core/errors';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { classifyDicomweb, forwardedQuery, rewriteDicomwebUrls } from './dicomweb-path';
import { patientOfStudy } from './imaging-study';
import { mrnOf, studyByUid, type ImagingDeps } from './imaging.service';
import { shareByToken, shareRefusal } from './shares';

const PASS_HEADERS = ['content-type', 'content-length', 'content-disposition', 'etag', 'last-modified'];
const SHARE_HEADER = 'x-imaging-share';

/**
 * Study Instance UID → (patient, ImagingStudy id), remembered briefly: a viewer fetches one frame per request, and the
 * owner of a study does not change (an upload to another chart is refused). Access itself is decided every time.
 */
class StudyOwners {
  private readonly cache = new Map<string, { patientId: string; studyId: string; until: number }>();
  constructor(private readonly ttlMs = 5 * 60_000) {}
  async get(deps: Pick<AppDeps, 'fhir'>, uid: string): Promise<{ patientId: string; studyId: string } | undefined> {
    const hit = this.cache.get(uid);
    if (hit && hit.until > Date.now()) return hit;
    const study = await studyByUid(deps, uid);
    const patientId = study && patientOfStudy(study);
    if (!study?.id || !patientId) return undefined;
    const entry = { patientId, studyId: study.id, until: Date.now() + this.ttlMs };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(uid, entry);
    return entry;
  }
}

/**
 * /dicomweb: QIDO-RS and WADO-RS forwarded to Orthanc behind the façade's auth. Every request names one study (whose
 * patient the caller must be allowed to see) or searches one patient by exact PatientID; a share token (header
 * X-Imaging-Share) opens only its own study. Refusals carry no DICOM bytes; every answer is audited with the study UID.
 */
export function dicomwebRouter(deps: AppDeps & ImagingDeps): Router {
  const r = Router();
  const owners = new StudyOwners();

  r.use('/dicomweb', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const principal = res.locals.principal as Principal | undefined;
      const shareToken = req.get(SHARE_HEADER);
      if (!principal && !shareToken) throw unauthorized();
      if (principal && !hasPermission(principal.role, 'imaging:view'))
        throw forbidden('Requires permission imaging:view', { permission: 'imaging:view' });
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      const target = classifyDicomweb(req.method, req.path, forwardedQuery(query));
      if (target.kind === 'refused') throw new AppError(target.status, 'DICOMWEB_REFUSED', target.message);

      let patientId: string;
      let studyId: string | undefined;
      if (target.kind === 'study') {
        const owner = await owners.get(deps, target.studyUid);
        if (!owner) throw notFound('ImagingStudy', target.studyUid);
        patientId = owner.patientId;
        studyId = owner.studyId;
      } else {
        // Only a medical record number names a patient here (not an SSN or another identifier of the same value).
        const hits = (await deps.fhir.searchResources('Patient', { identifier: target.patientMrn, _count: 5 })).filter(
          (p) => mrnOf(p) === target.patientMrn,
        );
        if (hits.length !== 1 || !hits[0]!.id) throw notFound('Patient', target.patientMrn);
        patientId = hits[0]!.id;
      }
      const studyUid = target.kind === 'study' ? target.studyUid : undefined;

      if (principal) {
        const phi = await requirePatientAccess(deps, { req, res, principal }, patientId, {
          action: 'imaging.dicomweb.read',
          resourceType: 'ImagingStudy',
          ...(studyId ? { resourceId: studyId } : {}),
        });
        phi.note({ ...(studyUid ? { studyUid } : {}), level: target.kind === 'study' ? target.level : 'search' });
      } else {
        const share = await shareByToken(deps.pg, shareToken!);
        const refusal = shareRefusal(share) ?? (share?.study_uid === studyUid ? undefined : 'another study');
        const allowed = !refusal;
        auditRequest(deps.audit, req, res, {
          action: 'imaging.share.use',
          outcome: allowed ? 'success' : 'denied',
          patientId,
          resourceType: 'ImagingStudy',
          ...(studyId ? { resourceId: studyId } : {}),
          details: {
            ...(studyUid ? { studyUid } : {}),
            ...(share ? { shareId: share.id } : {}),
            ...(refusal ? { refusal } : {}),
          },
        });
        if (!allowed) throw forbidden('This share link does not open that study, or it has expired or been revoked');
      }

      const upstream = await deps.orthanc.dicomweb(`${target.path}${query}`, req.get('accept'));
      const type = String(upstream.headers['content-type'] ?? '');
      res.status(upstream.status);
      if (/json/.test(type)) {
        const text = rewriteDicomwebUrls(await streamText(upstream.body), `${deps.config.publicBaseUrl}/dicomweb`);
        res.type(type).send(text);
        return;
      }
      for (const h of PASS_HEADERS) {
        const v = upstream.headers[h];
        if (v !== undefined) res.setHeader(h, v);
      }
      res.setHeader('cache-control', 'private, max-age=300');
      upstream.body.on('error', (err) => res.destroy(err));
      upstream.body.pipe(res);
    } catch (err) {
      next(err);
    }
  });
  return r;
}

async function streamText(body: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
