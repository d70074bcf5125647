import { Inject, Injectable } from '@nestjs/common';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ActiveModel } from '../model-registry/active-model';
import { ModelCatalog } from '../model-registry/model-catalog';
import { RegistryState } from '../model-registry/registry-state';
import { DriftService } from '../monitoring/drift.service';
import { MetricsService } from '../monitoring/metrics.service';
import { MonitoringStatusService } from '../monitoring/monitoring-status.service';
import { PerformanceService } from '../monitoring/performance.service';
import { SnapshotSeries } from '../monitoring-history/snapshot-series';
import { PredictionReader } from '../predictions/prediction-reader';
import { sortByDrift } from './charts/drift-bars';
import { categoricalComparison, numericComparison, scoreComparison } from './distributions';
import { DriftPageData } from './pages/drift-page';
import { HistoryPageData } from './pages/history-page';
import { ModelsPageData } from './pages/models-page';
import { OverviewData } from './pages/overview-page';
import { ReplayEntry } from './pages/replays-page';

/** A feature the drift page was asked for that the report does not have (a 404 naming the ones it has). */
export class UnknownFeature extends Error {}

/** A report folder name: what the replay writes (replay-<time>) or a person chose; never a path. */
const REPORT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Decisions shown on the overview: the healer's and the admins', without the `trained` that goes with each challenger. */
const DECISION_TYPES = new Set<string>(['promoted', 'rejected', 'rolled_back', 'watch_passed', 'heal_skipped', 'heal_failed', 'held']);

/**
 * What the dashboard's pages show, gathered through the read interfaces of monitoring, the
 * registry, the prediction record and the snapshot series. Reads only; computes a page's
 * distributions from the same window drift judges.
 */
@Injectable()
export class DashboardData {
  private readonly reportCache = new Map<string, { stamp: string; entry: ReplayEntry }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ActiveModel) private readonly active: Pick<ActiveModel, 'current' | 'whyUnavailable'>,
    @Inject(ModelCatalog) private readonly catalog: Pick<ModelCatalog, 'state' | 'latestEvents' | 'listWithMetadata'>,
    @Inject(MonitoringStatusService) private readonly status: Pick<MonitoringStatusService, 'status'>,
    @Inject(PerformanceService) private readonly performance: Pick<PerformanceService, 'lastReport'>,
    @Inject(DriftService) private readonly driftReports: Pick<DriftService, 'report'>,
    private readonly predictions: PredictionReader,
    private readonly metrics: MetricsService,
    private readonly snapshots: SnapshotSeries,
  ) {}

  get reportsDir(): string {
    return path.join(this.config.storageDir, 'reports');
  }

  async overview(): Promise<OverviewData> {
    const model = this.active.current();
    let status: OverviewData['status'] = null;
    let unavailable: string | null = model ? null : this.active.whyUnavailable();
    try {
      if (model) status = this.status.status();
    } catch (err) {
      unavailable = (err as Error).message;
    }
    const registry = await this.catalog.state().catch((): RegistryState | null => null);
    const events = await this.catalog.latestEvents(500);
    const madeActive =
      [...events].reverse().find((e) => (e.type === 'promoted' || e.type === 'rolled_back') && e.to_version === model?.version) ?? null;
    return {
      unavailable,
      status,
      performance: status ? this.performance.lastReport() : null,
      active: model
        ? {
            version: model.version,
            created_at: model.metadata.created_at,
            reason: model.metadata.reason,
            parent_version: model.metadata.parent_version,
            spec: model.metadata.params.spec,
          }
        : null,
      madeActive,
      registry,
      traffic: await this.traffic(),
      decisions: events
        .filter((e) => DECISION_TYPES.has(e.type))
        .slice(-10)
        .reverse(),
    };
  }

  private async traffic(): Promise<OverviewData['traffic']> {
    const byVersion = new Map<string, number>();
    for (const v of await this.metricValues('predictions_total')) {
      const version = String(v.labels.model_version);
      byVersion.set(version, (byVersion.get(version) ?? 0) + v.value);
    }
    const byRoute = new Map<string, number>();
    for (const v of await this.metricValues('http_requests_total')) {
      const route = `${String(v.labels.method)} ${String(v.labels.route)}`;
      byRoute.set(route, (byRoute.get(route) ?? 0) + v.value);
    }
    const series = this.snapshots.snapshots();
    let perMinute: number | null = null;
    if (series.length >= 2) {
      // From the oldest snapshot of the last five minutes to the newest (a restart resets the count: none then).
      const b = series[series.length - 1];
      const a = series.find((s) => Date.parse(b.time) - Date.parse(s.time) <= 5 * 60_000) ?? series[series.length - 2];
      const minutes = (Date.parse(b.time) - Date.parse(a.time)) / 60_000;
      if (minutes > 0 && b.served_total >= a.served_total) perMinute = (b.served_total - a.served_total) / minutes;
    }
    return {
      servedByVersion: [...byVersion.entries()]
        .map(([version, count]) => ({ version, count }))
        .sort((x, y) => x.version.localeCompare(y.version, 'en', { numeric: true })),
      perMinute,
      requests: [...byRoute.entries()].map(([route, count]) => ({ route, count })).sort((x, y) => y.count - x.count),
    };
  }

  private async metricValues(name: string): Promise<Array<{ labels: Partial<Record<string, string | number>>; value: number }>> {
    const metric = this.metrics.registry.getSingleMetric(name);
    return metric ? (await metric.get()).values : [];
  }

  /** The drift report, and the distribution of `feature` (by default the most drifted one) over its reference. */
  drift(feature: string | undefined): DriftPageData {
    const report = this.driftReports.report();
    const model = this.active.current();
    if (report.verdict === 'insufficient_data' || !model || model.version !== report.reference_version) {
      return { report, selected: null, scores: null };
    }
    const names = report.features.map((f) => f.feature);
    if (feature !== undefined && !names.includes(feature)) {
      throw new UnknownFeature(`no feature '${feature.slice(0, 100)}' in the drift report; its features are ${names.join(', ')}`);
    }
    const chosen = feature ?? sortByDrift(report.features)[0]?.feature;
    // The window drift judged: its last `window_size` predictions.
    const items = this.predictions.latest(report.window_size);
    const values = (name: string) => items.map((item) => (item.entry.input as unknown as Record<string, unknown>)[name]);
    const reference = model.stats;
    let selected: DriftPageData['selected'] = null;
    if (chosen !== undefined && chosen in reference.categorical) {
      selected = { feature: chosen, comparison: categoricalComparison(reference.categorical[chosen], values(chosen).map(String)) };
    } else if (chosen !== undefined && chosen in reference.numeric) {
      selected = { feature: chosen, comparison: numericComparison(reference.numeric[chosen].sample, values(chosen).map(Number)) };
    }
    const scores = scoreComparison(
      reference.prediction,
      items.map((item) => item.entry.probability),
    );
    return { report, selected, scores };
  }

  async history(): Promise<HistoryPageData> {
    const events = (await this.catalog.latestEvents(1000)).filter((e) => e.type === 'promoted' || e.type === 'rolled_back');
    return {
      snapshots: this.snapshots.snapshots(),
      events,
      intervalSeconds: this.snapshots.intervalSeconds,
      keep: this.config.monitoring.snapshotsKept,
      problem: this.snapshots.problem(),
    };
  }

  async models(): Promise<ModelsPageData> {
    const [versions, events] = await Promise.all([this.catalog.listWithMetadata(), this.catalog.latestEvents(200)]);
    return { versions, events: [...events].reverse(), active: this.active.current()?.version ?? null };
  }

  /** The report folders under storage/reports/, newest first. */
  async replays(): Promise<ReplayEntry[]> {
    let names: string[];
    try {
      names = (await fsp.readdir(this.reportsDir, { withFileTypes: true }))
        .filter((d) => d.isDirectory() && REPORT_NAME.test(d.name))
        .map((d) => d.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const entries = await Promise.all(names.map((name) => this.readReplay(name)));
    const when = (e: ReplayEntry) => e.report?.generated_at ?? '';
    return entries.sort((a, b) => when(b).localeCompare(when(a)) || b.name.localeCompare(a.name));
  }

  /** One report folder by name, or null when there is no such folder. */
  async replay(name: string): Promise<ReplayEntry | null> {
    if (!REPORT_NAME.test(name)) return null;
    const stat = await fsp.stat(path.join(this.reportsDir, name)).catch(() => null);
    return stat?.isDirectory() ? this.readReplay(name) : null;
  }

  /** The chart.svg of a report folder, or null. */
  async replayChart(name: string): Promise<Buffer | null> {
    if (!REPORT_NAME.test(name)) return null;
    return fsp.readFile(path.join(this.reportsDir, name, 'chart.svg')).catch(() => null);
  }

  /** Reads report.json once per version of the file (a full replay's is megabytes). */
  private async readReplay(name: string): Promise<ReplayEntry> {
    const dir = path.join(this.reportsDir, name);
    const file = path.join(dir, 'report.json');
    const hasChart = await fsp
      .stat(path.join(dir, 'chart.svg'))
      .then((s) => s.isFile())
      .catch(() => false);
    const stat = await fsp.stat(file).catch(() => null);
    if (!stat) return { name, report: null, hasChart, problem: 'no report.json (a replay still running, or one that failed)' };
    const stamp = `${stat.mtimeMs}:${stat.size}`;
    const cached = this.reportCache.get(name);
    if (cached?.stamp === stamp) return { ...cached.entry, hasChart };
    let entry: ReplayEntry;
    try {
      const report: unknown = JSON.parse(await fsp.readFile(file, 'utf8'));
      if (typeof report !== 'object' || report === null || Array.isArray(report)) throw new Error('it is not an object');
      entry = { name, report: report as ReplayEntry['report'], hasChart, problem: null };
    } catch (err) {
      entry = { name, report: null, hasChart, problem: `report.json cannot be read: ${(err as Error).message}` };
    }
    this.reportCache.set(name, { stamp, entry });
    return entry;
  }
}
