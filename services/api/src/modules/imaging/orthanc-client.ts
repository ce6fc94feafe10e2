import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import type { AppConfig } from '../../core/config';
import { ServiceUnavailableError } from '../../core/errors';

export interface StoredInstance {
  id: string;
  studyId: string;
  status: 'Success' | 'AlreadyStored';
}

export interface OrthancStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

const unavailable = (message: string) => new ServiceUnavailableError('PACS_UNAVAILABLE', message);

/**
 * Orthanc's REST API with the stack's credentials (HTTP basic; the password comes from the environment or the file
 * scripts/orthanc.sh generated, read once and never logged). Only this module talks to Orthanc; clients reach pixel
 * data through the API's /dicomweb, which checks the patient of every study first.
 */
export class OrthancClient {
  private readonly agent: Agent;
  private authHeader?: string;

  constructor(private readonly cfg: AppConfig['imaging']) {
    this.agent = new Agent({ keepAliveTimeout: 30_000, connections: 32 });
  }

  private auth(): string {
    if (!this.authHeader) {
      let password = this.cfg.password;
      if (!password) {
        try {
          password = readFileSync(this.cfg.passwordFile, 'utf8').trim();
        } catch {
          throw unavailable('The PACS credentials are not configured (ORTHANC_PASSWORD or ORTHANC_PASSWORD_FILE)');
        }
      }
      this.authHeader = `Basic ${Buffer.from(`${this.cfg.user}:${password}`).toString('base64')}`;
    }
    return this.authHeader;
  }

  private async send(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    opts: { body?: Buffer | string; contentType?: string; accept?: string; timeoutMs?: number } = {},
  ) {
    try {
      return await request(`${this.cfg.orthancUrl}${path}`, {
        method,
        dispatcher: this.agent,
        headers: {
          authorization: this.auth(),
          ...(opts.contentType ? { 'content-type': opts.contentType } : {}),
          ...(opts.accept ? { accept: opts.accept } : {}),
        },
        body: opts.body,
        headersTimeout: opts.timeoutMs ?? this.cfg.timeoutMs,
        bodyTimeout: opts.timeoutMs ?? this.cfg.timeoutMs,
      });
    } catch (err) {
      if (err instanceof ServiceUnavailableError) throw err;
      throw unavailable(`The PACS did not answer: ${(err as Error).message}`);
    }
  }

  private async json<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: Buffer | string): Promise<T> {
    const res = await this.send(method, path, { body, contentType: body ? 'application/octet-stream' : undefined });
    const text = await res.body.text();
    if (res.statusCode >= 400)
      throw unavailable(`The PACS refused ${method} ${path.split('/')[1]} (${res.statusCode})`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async ping(timeoutMs = 3_000): Promise<void> {
    const res = await this.send('GET', '/system', { timeoutMs });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`Orthanc answered ${res.statusCode}`);
  }

  async storeInstance(part10: Buffer): Promise<StoredInstance> {
    const r = await this.json<{ ID: string; ParentStudy: string; Status: string }>('POST', '/instances', part10);
    if (r.Status !== 'Success' && r.Status !== 'AlreadyStored')
      throw unavailable(`The PACS did not store an instance (${r.Status})`);
    return { id: r.ID, studyId: r.ParentStudy, status: r.Status };
  }

  /** Orthanc's id of a study by its Study Instance UID, if stored. */
  async findStudy(studyUid: string): Promise<string | undefined> {
    const hits = await this.json<Array<{ ID: string; Type: string }>>('POST', '/tools/lookup', studyUid);
    return hits.find((h) => h.Type === 'Study')?.ID;
  }

  async studyInstanceCount(orthancStudyId: string): Promise<number> {
    const ids = await this.json<string[]>(
      'GET',
      `/studies/${encodeURIComponent(orthancStudyId)}/instances?expand=false`,
    );
    return ids.length;
  }

  async deleteStudy(orthancStudyId: string): Promise<void> {
    await this.json('DELETE', `/studies/${encodeURIComponent(orthancStudyId)}`);
  }

  async deleteInstance(orthancInstanceId: string): Promise<void> {
    await this.json('DELETE', `/instances/${encodeURIComponent(orthancInstanceId)}`);
  }

  /** The study as a zip of DICOM files, streamed (Orthanc builds it on the fly). */
  async studyArchive(orthancStudyId: string): Promise<OrthancStream> {
    const res = await this.send('GET', `/studies/${encodeURIComponent(orthancStudyId)}/archive`);
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  /** A DICOMweb GET (QIDO-RS / WADO-RS), path below the plugin root, answer streamed back. */
  async dicomweb(pathAndQuery: string, accept?: string): Promise<OrthancStream> {
    const res = await this.send('GET', `/dicom-web${pathAndQuery}`, { accept });
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** Readiness probe: Orthanc answers /system with our credentials (a short-lived client, so probes share no state). */
export async function pingOrthanc(cfg: AppConfig['imaging'], timeoutMs: number): Promise<void> {
  const client = new OrthancClient(cfg);
  try {
    await client.ping(timeoutMs);
  } finally {
    await client.close();
  }
}
