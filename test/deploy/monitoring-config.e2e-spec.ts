/**
 * deploy/: the Grafana dashboard, the Prometheus alert rules and docker-compose.yml, checked
 * against the real service. Every PromQL expression (panels, annotations, alerts) parses (Prometheus'
 * own grammar, @prometheus-io/lezer-promql) and names only metrics a live /metrics of the real app
 * declares, or Prometheus'
 * own `up`; `storage_healthy` (issue 15's gauge, added by another branch) may be listed as pending
 * and is reported when it is. Then promtool (Debian's `prometheus` package) checks the rules, the
 * Prometheus config and the Grafana queries, and runs the rules' unit tests. Without promtool those
 * checks are skipped with a warning, except in CI (CI=true), where they fail.
 */
import { INestApplication } from '@nestjs/common';
import { parser } from '@prometheus-io/lezer-promql';
import { load } from 'js-yaml';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { REPO_ROOT, createTestApp, makeTempDir, testConfig } from '../support/test-app';

const DEPLOY = path.join(REPO_ROOT, 'deploy');
const GRAFANA_DASHBOARD = path.join(DEPLOY, 'grafana', 'dashboards', 'self-healing-ml.json');
const ALERTS = path.join(DEPLOY, 'prometheus', 'alerts.yml');
const PROMETHEUS_CONFIG = path.join(DEPLOY, 'prometheus', 'prometheus.yml');
const ALERT_TESTS = path.join(DEPLOY, 'prometheus', 'alerts.test.yml');
const COMPOSE = path.join(REPO_ROOT, 'docker-compose.yml');

/** Metrics Prometheus makes itself, not the service. */
const PROMETHEUS_OWN = new Set(['up']);
/** Metrics another branch adds (issue 15: storage health); allowed while this branch lacks them. */
const PENDING = new Set(['storage_healthy']);

const PROMTOOL = process.env.PROMTOOL_PATH || '/usr/bin/promtool';
const HAVE_PROMTOOL = existsSync(PROMTOOL);
const IN_CI = process.env.CI === 'true';

function describeWithPromtool(what: string): jest.Describe {
  if (!HAVE_PROMTOOL && !IN_CI) {
    console.warn(
      `\n*** PROMTOOL TESTS SKIPPED: no promtool at ${PROMTOOL}. ***\n` +
        `*** ${what} were NOT checked. Install Debian's Prometheus to run them:   ***\n` +
        '***   apt-get update && apt-get install -y --no-install-recommends prometheus ***\n' +
        '*** (or point PROMTOOL_PATH at a promtool). In CI (CI=true) they fail instead. ***\n',
    );
    return describe.skip;
  }
  return describe;
}

function promtool(...args: string[]): { status: number | null; output: string } {
  if (!HAVE_PROMTOOL)
    throw new Error(`CI=true but there is no promtool at ${PROMTOOL}: .ci/run must install it (apt-get install prometheus)`);
  const result = spawnSync(PROMTOOL, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

interface Query {
  where: string;
  expr: string;
}

/** Every query of the Grafana dashboard: each panel's targets (rows' panels too) and each annotation. */
function grafanaQueries(): Query[] {
  type Panel = { title?: string; targets?: Array<{ expr?: string; refId?: string }>; panels?: Panel[] };
  const dashboard = JSON.parse(readFileSync(GRAFANA_DASHBOARD, 'utf8')) as {
    panels: Panel[];
    annotations?: { list?: Array<{ name: string; expr?: string }> };
  };
  const queries: Query[] = [];
  const walk = (panels: Panel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? [])
        if (target.expr) queries.push({ where: `panel "${panel.title}" ${target.refId}`, expr: target.expr });
      walk(panel.panels ?? []);
    }
  };
  walk(dashboard.panels);
  for (const a of dashboard.annotations?.list ?? []) if (a.expr) queries.push({ where: `annotation "${a.name}"`, expr: a.expr });
  return queries;
}

/** Every alert's expression. */
function alertQueries(): Query[] {
  const doc = load(readFileSync(ALERTS, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: String(r.expr) })));
}

/** The metric names an expression selects, and its syntax errors (Prometheus' own PromQL grammar). */
function metricsOf(expr: string): { metrics: string[]; errors: string[] } {
  const metrics: string[] = [];
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: '${expr.slice(Math.max(0, node.from - 10), node.to + 10)}'`);
      if (node.name === 'VectorSelector') {
        const name = node.node.getChild('Identifier');
        if (name) metrics.push(expr.slice(name.from, name.to));
      }
    },
  });
  return { metrics, errors };
}

/** The metric names a Prometheus text exposition declares (a histogram's _bucket, _sum and _count too). */
function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match;
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  for (const match of text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )/gm)) names.add(match[1]);
  return names;
}

describe('deploy/: Grafana dashboard and Prometheus alerts against a live /metrics', () => {
  let app: INestApplication;
  let exported: Set<string>;
  const queries = [...grafanaQueries(), ...alertQueries()];

  beforeAll(async () => {
    // Every metric is declared (# HELP, # TYPE) from the start, with or without a model or a report
    // behind it, so the app need not train: what /metrics declares is what a scrape can ever find.
    app = await createTestApp(testConfig({ STORAGE_DIR: makeTempDir(), AUTO_TRAIN: 'false', AUTO_HEAL: 'false' }));
    exported = exportedNames((await request(app.getHttpServer()).get('/metrics').expect(200)).text);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('the dashboard and the rules have queries, each of which parses', () => {
    expect(grafanaQueries().length).toBeGreaterThan(15);
    expect(alertQueries().map((q) => q.where)).toEqual(
      expect.arrayContaining(['alert DatasetDrift', 'alert ModelDegraded', 'alert ModelRolledBack', 'alert StorageUnhealthy']),
    );
    const broken = queries.map((q) => ({ ...q, errors: metricsOf(q.expr).errors })).filter((q) => q.errors.length > 0);
    expect(broken).toEqual([]);
  });

  it('every metric they name is one the service exports (or pending from another branch, reported)', () => {
    const missing: string[] = [];
    const pending = new Set<string>();
    for (const q of queries) {
      const { metrics } = metricsOf(q.expr);
      expect([q.where, metrics.length]).not.toEqual([q.where, 0]);
      for (const name of metrics) {
        if (exported.has(name) || PROMETHEUS_OWN.has(name)) continue;
        if (PENDING.has(name)) pending.add(name);
        else missing.push(`${q.where}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
    if (pending.size > 0) {
      console.warn(
        `*** deploy/ uses ${[...pending].join(', ')}, which this build does not export yet (issue 15's storage gauge): PENDING ***`,
      );
    }
    // The healing counters this issue added are among the exported ones.
    for (const name of [
      'healing_runs_total',
      'model_promotions_total',
      'model_rollbacks_total',
      'model_rejections_total',
      'model_challengers_held_total',
    ]) {
      expect([name, exported.has(name)]).toEqual([name, true]);
    }
  });

  it("every panel and annotation reads the datasource Grafana's provisioning defines", () => {
    const datasources = load(readFileSync(path.join(DEPLOY, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as {
      datasources: Array<{ uid: string; type: string; url: string }>;
    };
    const uids = new Set(datasources.datasources.map((d) => d.uid));
    const text = readFileSync(GRAFANA_DASHBOARD, 'utf8');
    const used = [...text.matchAll(/"datasource":\s*\{\s*"type":\s*"prometheus",\s*"uid":\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(15);
    for (const uid of used) expect(uids.has(uid)).toBe(true);
  });

  it('docker-compose.yml runs the replicas, their database and proxy, Prometheus and Grafana, with every mounted file present and Prometheus scraping each replica', () => {
    type Service = { build?: string; image?: string; ports?: string[]; volumes?: string[] };
    const compose = load(readFileSync(COMPOSE, 'utf8')) as { services: Record<string, Service> };
    expect(Object.keys(compose.services).sort()).toEqual(['grafana', 'postgres', 'prometheus', 'replica-a', 'replica-b', 'service']);
    expect(compose.services['replica-a'].build).toBe('.');
    for (const service of Object.values(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const [source, target] = volume.split(':');
        if (!source.startsWith('.')) continue; // a named volume
        expect([volume, existsSync(path.join(REPO_ROOT, source))]).toEqual([volume, true]);
        expect(target.startsWith('/')).toBe(true);
      }
    }
    const prometheus = load(readFileSync(PROMETHEUS_CONFIG, 'utf8')) as {
      rule_files: string[];
      scrape_configs: Array<{ metrics_path: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const dockerfilePort = /^EXPOSE (\d+)/m.exec(readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'))![1];
    expect(prometheus.scrape_configs[0].static_configs[0].targets).toEqual([`replica-a:${dockerfilePort}`, `replica-b:${dockerfilePort}`]);
    expect(prometheus.scrape_configs[0].metrics_path).toBe('/metrics');
    // Mounted beside the config, where its relative rule_files path finds it.
    for (const rules of prometheus.rule_files) {
      expect(compose.services.prometheus.volumes).toContain(`./deploy/prometheus/${rules}:/etc/prometheus/${rules}:ro`);
    }
    const grafanaDashboards = load(readFileSync(path.join(DEPLOY, 'grafana', 'provisioning', 'dashboards', 'dashboards.yml'), 'utf8')) as {
      providers: Array<{ options: { path: string } }>;
    };
    expect(compose.services.grafana.volumes).toContain(`./deploy/grafana/dashboards:${grafanaDashboards.providers[0].options.path}:ro`);
  });

  describeWithPromtool('The Prometheus rules and config, and the Grafana queries,')('promtool', () => {
    it('check rules: the alert rules are valid', () => {
      const res = promtool('check', 'rules', ALERTS);
      expect(res).toMatchObject({ status: 0 });
      expect(res.output).toMatch(/SUCCESS: \d+ rules found/);
    });

    it('test rules: each alert fires on the series it should, and not before', () => {
      const res = promtool('test', 'rules', ALERT_TESTS);
      expect([res.status, res.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
    });

    it('check config: the Prometheus config of docker-compose.yml, with its rule files', () => {
      const res = promtool('check', 'config', '--syntax-only', PROMETHEUS_CONFIG);
      expect([res.status, res.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
    });

    it("check rules on the Grafana dashboard's queries, each as a recording rule", () => {
      const rules = grafanaQueries().map((q, i) => ({ record: `grafana:query_${i}`, expr: q.expr }));
      const file = path.join(makeTempDir('shmp-promtool-'), 'grafana-queries.yml');
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'grafana', rules }] }));
      const res = promtool('check', 'rules', file);
      expect([res.status, res.output]).toEqual([0, expect.stringContaining(`SUCCESS: ${rules.length} rules found`)]);
    });
  });
});
