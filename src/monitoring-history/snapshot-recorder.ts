import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Counter } from 'prom-client';
import { CLOCK, Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DriftService } from '../monitoring/drift.service';
import { MetricsService } from '../monitoring/metrics.service';
import { MonitoringStatusService } from '../monitoring/monitoring-status.service';
import { PerformanceService } from '../monitoring/performance.service';
import { MonitoringSnapshot, appendBounded, snapshotOf } from './monitoring-snapshot';
import { SnapshotFile } from './snapshot-file';
import { SnapshotSeries } from './snapshot-series';

/**
 * Takes a monitoring snapshot every MONITOR_INTERVAL_S seconds and keeps the newest
 * MONITOR_SNAPSHOTS of them in storage/monitoring/snapshots.json, so the series outlives a restart.
 * The only writer of that file. A snapshot costs one drift and one performance report (a few
 * milliseconds); with no model to judge, none is taken.
 */
@Injectable()
export class SnapshotRecorder extends SnapshotSeries implements OnApplicationShutdown {
  private readonly logger = new Logger(SnapshotRecorder.name);
  private readonly file: SnapshotFile;
  private readonly keep: number;
  readonly intervalSeconds: number;
  private series: MonitoringSnapshot[] = [];
  private lastProblem: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private taking: Promise<void> | null = null;
  private readonly failures: Counter;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(MonitoringStatusService) private readonly status: Pick<MonitoringStatusService, 'status'>,
    @Inject(DriftService) private readonly drift: Pick<DriftService, 'lastReport'>,
    @Inject(PerformanceService) private readonly performance: Pick<PerformanceService, 'lastReport'>,
    private readonly metrics: MetricsService,
  ) {
    super();
    this.file = SnapshotFile.under(config.storageDir);
    this.keep = config.monitoring.snapshotsKept;
    this.intervalSeconds = config.healing.intervalSeconds;
    this.failures = new Counter({
      name: 'monitoring_snapshot_failures_total',
      help: 'Monitoring snapshots that could not be saved to storage/monitoring/snapshots.json',
      registers: [metrics.registry],
    });
  }

  snapshots(): readonly MonitoringSnapshot[] {
    return this.series;
  }

  problem(): string | null {
    return this.lastProblem;
  }

  /** Loads the saved series and takes a snapshot every interval (called by the server's start-up; 0 turns it off). */
  async start(): Promise<void> {
    try {
      const loaded = await this.file.load(this.clock.now());
      this.series = loaded.snapshots.slice(-this.keep);
      this.report(loaded.problem);
    } catch (err) {
      this.report(`cannot read ${this.file.file}: ${(err as Error).message}`);
    }
    if (this.intervalSeconds === 0 || this.timer) return;
    this.timer = setInterval(() => void this.take(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  /** Takes one snapshot now and saves the series (one at a time). */
  take(): Promise<void> {
    this.taking ??= this.takeOnce().finally(() => (this.taking = null));
    return this.taking;
  }

  private async takeOnce(): Promise<void> {
    let snapshot: MonitoringSnapshot;
    try {
      const status = this.status.status();
      const drift = this.drift.lastReport();
      const performance = this.performance.lastReport();
      if (!drift || !performance) return;
      snapshot = snapshotOf(this.clock.now(), status, drift, performance, await this.servedTotal());
    } catch {
      return; // no model to judge (503): nothing to record
    }
    this.series = appendBounded(this.series, snapshot, this.keep);
    try {
      await this.file.save(this.series);
      this.report(null);
    } catch (err) {
      this.failures.inc();
      this.report(`cannot save ${this.file.file}: ${(err as Error).message}`);
    }
  }

  private async servedTotal(): Promise<number> {
    const counter = this.metrics.registry.getSingleMetric('predictions_total');
    if (!counter) return 0;
    const { values } = await counter.get();
    return values.reduce((sum, v) => sum + v.value, 0);
  }

  /** Logs a problem once (not every interval), and when it clears. */
  private report(problem: string | null): void {
    if (problem !== null && problem !== this.lastProblem) this.logger.warn(problem);
    if (problem === null && this.lastProblem !== null) this.logger.log(`monitoring snapshots are saved again to ${this.file.file}`);
    this.lastProblem = problem;
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
