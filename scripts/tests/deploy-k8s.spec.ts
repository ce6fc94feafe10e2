/**
 * The Kubernetes manifests (issue #18), checked offline: k8s/ and k8s/ingress-nginx/ are rendered with kustomize,
 * every resource is validated against the Kubernetes OpenAPI schemas (kubernetes-validate, strict: an unknown field
 * is an error), and our own rules are asserted on the rendered objects: every container non-root, read-only root
 * filesystem, no capabilities, seccomp, probes and limits; PDB and HPA aimed at the API; Ingress with TLS; TLS 1.3
 * and HSTS at the controller; the back-end services reachable from the API only.
 * Tools come from deploy/tools.sh (installed once into .data/tools).
 * Run: node --import tsx --test scripts/tests/deploy-k8s.spec.ts
 */

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { PRODUCTION_REQUIRED } from '../../services/api/src/core/config';

const ROOT = path.resolve(import.meta.dirname, '../..');

function run(command: string, args: string[], input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', input, timeout: 600_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tool(name: string): string[] {
  const r = run('bash', ['deploy/tools.sh', name]);
  assert.equal(r.code, 0, `deploy/tools.sh ${name}: ${r.err}`);
  return r.out.trim().split(' ');
}

// Loosely typed on purpose: the objects come from YAML and the assertions say what they expect of each field.
/* eslint-disable @typescript-eslint/no-explicit-any */
type K8s = Record<string, any>;

const work = mkdtempSync(path.join(tmpdir(), 'wintehr-k8s-'));
after(() => rmSync(work, { recursive: true, force: true }));

const [kustomize, ...kustomizeArgs] = tool('kustomize');
const validator = tool('kubernetes-validate')[0]!;
// The validator's own Python (with PyYAML) parses the rendered YAML: no YAML library needed on the Node side.
const python = path.join(path.dirname(validator), 'python');

function render(dir: string): { file: string; objects: K8s[] } {
  const r = run(kustomize!, [...kustomizeArgs, '--load-restrictor', 'LoadRestrictionsNone', dir]);
  assert.equal(r.code, 0, `kustomize ${dir}: ${r.err}`);
  const file = path.join(work, `${dir.replace(/\W/g, '_')}.yaml`);
  writeFileSync(file, r.out);
  const json = run(
    python,
    ['-c', 'import json,sys,yaml; print(json.dumps([d for d in yaml.safe_load_all(sys.stdin) if d]))'],
    r.out,
  );
  assert.equal(json.code, 0, json.err);
  return { file, objects: JSON.parse(json.out) as K8s[] };
}

/** kubernetes-validate's verdict per resource ("kind/name" → passed | the error), for a strict run on one file. */
function validate(file: string): { code: number | null; verdicts: Map<string, string>; warnings: string[] } {
  const r = run(validator, ['--strict', file]);
  const verdicts = new Map<string, string>();
  for (const line of r.out.split('\n')) {
    const m = /^(INFO|ERROR) \S+ (passed|did not validate) for resource (\S+) against version [\d.]+(?:: (.*))?$/.exec(
      line,
    );
    if (m) verdicts.set(m[3]!, m[2] === 'passed' ? 'passed' : m[4]!);
  }
  const warnings = r.out.split('\n').filter((l) => l.startsWith('WARN'));
  return { code: r.code, verdicts, warnings };
}

const app = render('k8s');
const controller = render('k8s/ingress-nginx');
const all = [...app.objects, ...controller.objects];
const ofKind = (kind: string) => app.objects.filter((o) => o.kind === kind);
const workloads = app.objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind));
const byName = (kind: string, name: string) => {
  const found = all.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `${kind}/${name} is rendered`);
  return found;
};

describe('k8s manifests', () => {
  it('render to the expected resources', () => {
    const kinds = new Set(all.map((o) => o.kind));
    for (const k of [
      'Deployment',
      'StatefulSet',
      'Service',
      'Ingress',
      'PodDisruptionBudget',
      'HorizontalPodAutoscaler',
      'NetworkPolicy',
      'ConfigMap',
    ]) {
      assert.ok(kinds.has(k), `a ${k} is rendered`);
    }
    assert.deepEqual(workloads.map((w) => w.metadata.name).sort(), ['api', 'hapi', 'orthanc', 'postgres', 'redis']);
  });

  for (const [name, file] of [
    ['k8s', () => app],
    ['k8s/ingress-nginx', () => controller],
  ] as const) {
    it(`${name}: every resource validates against the Kubernetes ${'1.37'} schemas (strict)`, () => {
      const { file: f, objects } = file();
      const { code, verdicts, warnings } = validate(f);
      assert.deepEqual(warnings, [], 'no resource without a schema');
      assert.equal(verdicts.size, objects.length, 'a verdict for every resource');
      for (const [resource, verdict] of verdicts) assert.equal(verdict, 'passed', resource);
      assert.equal(code, 0);
    });
  }

  it('the validator rejects an unknown field (a typo cannot pass unnoticed)', () => {
    const broken = path.join(work, 'broken.yaml');
    writeFileSync(
      broken,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\nspec:\n  selector: { matchLabels: { app: x } }\n' +
        '  template:\n    metadata: { labels: { app: x } }\n    spec:\n      containers:\n        - name: x\n' +
        '          image: x\n          securityContext: { readOnlyRootFilesytem: true }\n',
    );
    const { code, verdicts } = validate(broken);
    assert.notEqual(code, 0);
    assert.match(verdicts.get('deployment/x') ?? '', /readOnlyRootFilesytem/);
  });

  for (const w of workloads) {
    describe(`${w.kind} ${w.metadata.name}`, () => {
      const pod = w.spec.template.spec;
      const containers: K8s[] = [...(pod.initContainers ?? []), ...pod.containers];

      it('runs as a non-root user with the runtime seccomp profile and no service-account token', () => {
        assert.equal(pod.securityContext?.runAsNonRoot, true);
        assert.ok(pod.securityContext?.runAsUser > 0, 'a numeric non-zero runAsUser');
        assert.equal(pod.securityContext?.seccompProfile?.type, 'RuntimeDefault');
        assert.equal(pod.automountServiceAccountToken, false);
        assert.ok(!pod.hostNetwork && !pod.hostPID && !pod.hostIPC);
      });

      it('every container: read-only root filesystem, no privilege escalation, ALL capabilities dropped, limits', () => {
        for (const c of containers) {
          const sc = c.securityContext ?? {};
          assert.equal(sc.readOnlyRootFilesystem, true, `${c.name} readOnlyRootFilesystem`);
          assert.equal(sc.allowPrivilegeEscalation, false, `${c.name} allowPrivilegeEscalation`);
          assert.deepEqual(sc.capabilities?.drop, ['ALL'], `${c.name} drops ALL capabilities`);
          assert.equal(sc.capabilities?.add, undefined, `${c.name} adds no capability`);
          assert.notEqual(sc.runAsUser, 0, `${c.name} not overridden to root`);
          assert.ok(!sc.privileged, `${c.name} not privileged`);
          for (const r of ['cpu', 'memory']) {
            assert.ok(c.resources?.requests?.[r], `${c.name} requests ${r}`);
            assert.ok(c.resources?.limits?.[r], `${c.name} limits ${r}`);
          }
        }
      });

      it('every long-running container has readiness and liveness probes', () => {
        for (const c of pod.containers as K8s[]) {
          assert.ok(c.readinessProbe, `${c.name} readinessProbe`);
          assert.ok(c.livenessProbe, `${c.name} livenessProbe`);
        }
      });

      it('mounts every volume it declares (writable paths are explicit volumes)', () => {
        const mounted = new Set(containers.flatMap((c) => (c.volumeMounts ?? []).map((m: K8s) => m.name)));
        for (const v of pod.volumes ?? []) assert.ok(mounted.has(v.name), `volume ${v.name} is mounted`);
        assert.ok(!(pod.volumes ?? []).some((v: K8s) => v.hostPath), 'no hostPath volume');
      });
    });
  }

  it('the API: startup, liveness on /health/live and readiness on /health/ready', () => {
    const api = byName('Deployment', 'api').spec.template.spec.containers[0];
    assert.equal(api.startupProbe?.httpGet?.path, '/health/live');
    assert.equal(api.livenessProbe?.httpGet?.path, '/health/live');
    assert.equal(api.readinessProbe?.httpGet?.path, '/health/ready');
  });

  it('the API gets every setting a production start requires (the outside services, not the simulators)', () => {
    const env: Array<{ name: string }> = byName('Deployment', 'api').spec.template.spec.containers[0].env;
    const names = new Set(env.map((e) => e.name));
    assert.deepEqual(
      PRODUCTION_REQUIRED.filter((k) => !names.has(k)),
      [],
    );
  });

  it('PodDisruptionBudget and HorizontalPodAutoscaler target the API deployment', () => {
    const api = byName('Deployment', 'api');
    const labels = api.spec.template.metadata.labels;
    const pdb = byName('PodDisruptionBudget', 'api');
    for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels))
      assert.equal(labels[k], v, 'PDB selects API pods');
    const hpa = byName('HorizontalPodAutoscaler', 'api');
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' });
    assert.ok(hpa.spec.minReplicas >= 2, 'at least two API pods');
    assert.ok(pdb.spec.minAvailable < hpa.spec.minReplicas, 'a node drain can still evict one pod');
    assert.ok(hpa.spec.maxReplicas > hpa.spec.minReplicas);
  });

  it('Ingress: TLS for every host, HTTPS forced, only the API behind it', () => {
    const ingresses = ofKind('Ingress');
    assert.equal(ingresses.length, 1);
    const ing = ingresses[0]!;
    const tlsHosts = new Set(ing.spec.tls.flatMap((t: K8s) => (t.secretName ? t.hosts : [])));
    for (const rule of ing.spec.rules) {
      assert.ok(tlsHosts.has(rule.host), `${rule.host} has a TLS secret`);
      for (const p of rule.http.paths) assert.equal(p.backend.service.name, 'api');
    }
    assert.equal(ing.metadata.annotations['nginx.ingress.kubernetes.io/force-ssl-redirect'], 'true');
  });

  it('ingress-nginx controller: TLS 1.3 only and HSTS (two years, subdomains)', () => {
    const cfg = byName('ConfigMap', 'ingress-nginx-controller');
    assert.equal(cfg.metadata.namespace, 'ingress-nginx');
    assert.equal(cfg.data['ssl-protocols'], 'TLSv1.3');
    assert.equal(cfg.data.hsts, 'true');
    assert.equal(cfg.data['hsts-max-age'], '63072000');
    assert.equal(cfg.data['hsts-include-subdomains'], 'true');
  });

  it('no Service is exposed outside the cluster', () => {
    for (const s of ofKind('Service')) assert.ok([undefined, 'ClusterIP'].includes(s.spec.type), s.metadata.name);
  });

  it('NetworkPolicy: default deny; HAPI, Redis, Orthanc from the API only; PostgreSQL from the API and HAPI only', () => {
    const policies = ofKind('NetworkPolicy');
    assert.ok(
      policies.some(
        (p) =>
          Object.keys(p.spec.podSelector).length === 0 && p.spec.policyTypes.includes('Ingress') && !p.spec.ingress,
      ),
      'a default-deny ingress policy',
    );
    // Who may connect to pods labelled app=<target>: the union over the policies that select them.
    const sources = (target: string): string[] => {
      const from = policies
        .filter((p) => p.spec.podSelector.matchLabels?.app === target)
        .flatMap((p) => (p.spec.ingress ?? []).flatMap((rule: K8s) => rule.from ?? [{ anything: true }]));
      return from
        .map((f: K8s) =>
          f.podSelector && !f.namespaceSelector && !f.ipBlock ? f.podSelector.matchLabels?.app : 'ELSEWHERE',
        )
        .sort();
    };
    assert.deepEqual(sources('hapi'), ['api']);
    assert.deepEqual(sources('redis'), ['api']);
    assert.deepEqual(sources('orthanc'), ['api']);
    assert.deepEqual(sources('postgres'), ['api', 'hapi']);
  });
});
