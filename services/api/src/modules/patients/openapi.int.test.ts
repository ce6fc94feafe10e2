import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';

jest.setTimeout(60_000);

describe('OpenAPI entries of patients, chart and notes', () => {
  it('documents every route with its schemas', async () => {
    const t = await buildTestApp();
    try {
      const res = await request(t.app).get('/api/openapi.json').expect(200);
      const paths = Object.keys(res.body.paths);
      for (const p of [
        '/api/patients',
        '/api/patients/{patientId}',
        '/api/patients/{patientId}/summary',
        '/api/patients/{patientId}/timeline',
        '/api/patients/{patientId}/$everything',
        '/api/patients/{patientId}/vitals',
        '/api/patients/{patientId}/allergies',
        '/api/patients/{patientId}/problems/{id}/resolve',
        '/api/patients/{patientId}/immunizations',
        '/api/patients/{patientId}/notes',
        '/api/notes/{id}/sign',
        '/api/notes/{id}/amend',
        '/api/notes/{id}/share',
      ]) {
        expect(paths).toContain(p);
      }
      expect(res.body.paths['/api/patients'].post.requestBody).toBeDefined();
      expect(res.body.paths['/api/patients/{patientId}/vitals'].post.requestBody).toBeDefined();
    } finally {
      await t.close();
    }
  });
});
