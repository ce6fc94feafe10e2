import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { timeToAcknowledge } from '../results/acknowledge';

/**
 * The dashboard and alert rules in deploy/observability/ name metrics by hand; a renamed metric would leave a panel
 * empty and an alert silent without anyone noticing. Every name they use must be served by a real API's /metrics.
 */
const DIR = path.resolve(__dirname, '../../../../../deploy/observability');
const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;

function namesIn(text: string): Set<string> {
  return new Set([...text.matchAll(/\bwintehr_[a-z0-9_]+/g)].map((m) => m[0].replace(HISTOGRAM_SERIES, '')));
}

describe('observability files (deploy/observability)', () => {
  it('use only metrics the API serves', async () => {
    const h = await buildTestApp();
    try {
      // Registered on the first acknowledgement of a result; the dashboard shows it from then on.
      timeToAcknowledge(h.deps.metrics);
      await request(h.app).get('/health/ready');
      const served = new Set(
        [...(await request(h.app).get('/metrics').expect(200)).text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!),
      );
      const dashboard = JSON.parse(readFileSync(path.join(DIR, 'grafana/wintehr-api.json'), 'utf8')) as {
        panels: { targets: { expr: string }[] }[];
      };
      const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
      const used = new Set([...namesIn(exprs), ...namesIn(readFileSync(path.join(DIR, 'alerts.yml'), 'utf8'))]);
      expect(used.size).toBeGreaterThan(8);
      expect([...used].filter((n) => !served.has(n))).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
