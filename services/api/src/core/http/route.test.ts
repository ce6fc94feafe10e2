import express, { Router } from 'express';
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { errorHandler } from './error-handler';
import { appRoutes, mount, routeContracts } from './route';

function appWith(build: (r: Router) => void) {
  const r = Router();
  build(r);
  const app = express();
  app.use(express.json());
  app.locals.routes = routeContracts(r);
  app.use(r);
  app.use(errorHandler(pino({ level: 'silent' })));
  return app;
}

describe('mount', () => {
  it('under test, an answer outside the declared response schema is a 500 naming the field', async () => {
    const app = appWith((r) => {
      mount(
        r,
        {
          method: 'get',
          path: '/ok',
          summary: 'ok',
          tags: ['t'],
          auth: 'public',
          response: z.object({ n: z.number() }),
        },
        () => ({ n: 1 }),
      );
      mount(
        r,
        {
          method: 'get',
          path: '/drift',
          summary: 'drift',
          tags: ['t'],
          auth: 'public',
          response: z.object({ n: z.number() }),
        },
        () => ({ n: 'one' }),
      );
    });
    expect((await request(app).get('/ok')).body).toEqual({ n: 1 });
    const bad = await request(app).get('/drift');
    expect(bad.status).toBe(500);
    expect(bad.body.error.code).toBe('RESPONSE_CONTRACT_VIOLATION');
  });

  it('contracts are gathered per app, including routers used by routers', () => {
    const inner = Router();
    mount(inner, { method: 'get', path: '/inner', summary: 'i', tags: ['t'], auth: 'public' }, () => undefined);
    const outer = Router();
    mount(outer, { method: 'post', path: '/outer', summary: 'o', tags: ['t'], auth: 'public' }, () => undefined);
    outer.use(inner);
    expect(routeContracts(outer).map((c) => c.path)).toEqual(['/outer', '/inner']);
    const other = appWith(() => undefined);
    expect(appRoutes(other)).toEqual([]);
  });
});
