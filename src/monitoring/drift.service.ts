import { LoadedModel } from '../model-registry/model-version';
import { BadRequestException, Inject, Injectable, Logger, OnApplicationShutdown, ServiceUnavailableException } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { APP_CONFIG, MonitoringConfig, AppConfig } from '../config/app-config';
import { ActiveModel } from '../model-registry/active-model';
import { DriftReport, computeDriftReport } from './drift/feature-drift';
import { toDriftWindow } from './drift-window';
import { PredictionReader } from '../predictions/prediction-reader';
import { HistoryItem } from '../predictions/prediction-history';
import { SharedResults } from '../common/shared-results';
import { DriftReportOffload } from './drift/drift-report-offload';
import { packHistoryWindow } from './drift/packed-drift-window';

export interface DriftQuery {
  /** The last N predictions (default DRIFT_WINDOW). */
  window?: number;
  /** Or every prediction served in [from, to] (ISO 8601), within the in-memory history. */
  from?: string;
  to?: string;
}

export interface DriftResponse extends DriftReport {
  /** The version whose training statistics are the reference. */
  reference_version: string;
  window_start: string | null;
  window_end: string | null;
  generated_at: string;
  /** Time the report took to compute. */
  duration_ms: number;
}

/**
 * An ISO 8601 date-time as the ISO string the log uses. The validator accepts forms (week and
 * ordinal dates, basic format) that Date cannot read: those are a 400, not a 500.
 */
function toInstant(name: string, text: string | undefined): string | null {
  if (!text) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new BadRequestException(`${name} must be a date-time such as 2026-11-26T12:00:00Z (got '${text.slice(0, 40)}')`);
  }
  return new Date(ms).toISOString();
}

/** A report over this many rows or more is shared (see reportShared); smaller ones cost a few milliseconds. */
export const LARGE_REPORT_ROWS = 10_000;
/**
 * ... and over this many, its statistics are computed in a worker thread: a 10,000-row report costs
 * the request thread ~40 ms, less than a worker's round trip; a 50,000-row one ~150 ms.
 */
export const OFF_THREAD_REPORT_ROWS = 20_000;

/** Drift of recent predictions against the active model's training baseline. */
@Injectable()
export class DriftService implements OnApplicationShutdown {
  private readonly logger = new Logger(DriftService.name);
  private readonly settings: MonitoringConfig;
  private last: DriftResponse | null = null;
  /** Shared reports as the JSON sent (serialised once, however many callers). */
  private readonly shared: SharedResults<string>;
  private readonly offload: DriftReportOffload;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly activeModel: ActiveModel,
    private readonly predictions: PredictionReader,
  ) {
    this.settings = config.monitoring;
    this.shared = new SharedResults(this.settings.reportIntervalSeconds * 1000);
    this.offload = new DriftReportOffload(OFF_THREAD_REPORT_ROWS, (message) => this.logger.warn(message));
  }

  /**
   * The report for an HTTP caller. Over a large window (LARGE_REPORT_ROWS or a time range) it is
   * computed once per window and REPORT_INTERVAL_S and shared: concurrent callers wait for one
   * computation rather than queueing fifty on the request thread (generated_at says when it was made).
   */
  reportShared(query: DriftQuery = {}): Promise<string> {
    // Checked before anything is shared: a bad query is its own 400, never another's report.
    const window = this.windowOf(query);
    if ('last' in window && window.last < LARGE_REPORT_ROWS) return Promise.resolve(JSON.stringify(this.report(query)));
    const key = JSON.stringify([this.activeModel.current()?.version ?? '-', window]);
    return this.shared.get(key, async () => JSON.stringify(await this.reportOffThread(query)));
  }

  /** As `report`, the statistics computed in a worker thread when the window is large (OFF_THREAD_REPORT_ROWS). */
  private async reportOffThread(query: DriftQuery): Promise<DriftResponse> {
    // A turn first, so the callers of this turn all find the run in progress.
    await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    const active = this.activeModel.current();
    if (!active) throw new ServiceUnavailableException(`no model is available: ${this.activeModel.whyUnavailable()}`);
    const items = this.selectWindow(query);
    const report =
      items.length < OFF_THREAD_REPORT_ROWS
        ? computeDriftReport(active.stats, toDriftWindow(items, active.stats), this.driftOptions())
        : await this.offload.report(active.stats, await packHistoryWindow(items, active.stats), this.driftOptions());
    return this.remember(inSchemaOrder(report, active), active.version, items, started);
  }

  private driftOptions() {
    return { psiFloor: this.settings.psiFloor, driftShare: this.settings.driftShare, minWindow: this.settings.driftMinWindow };
  }

  private remember(report: DriftReport, version: string, items: readonly HistoryItem[], started: number): DriftResponse {
    this.last = {
      ...report,
      reference_version: version,
      window_start: items.length > 0 ? items[0].entry.timestamp : null,
      window_end: items.length > 0 ? items[items.length - 1].entry.timestamp : null,
      generated_at: this.clock.now().toISOString(),
      duration_ms: performance.now() - started,
    };
    return this.last;
  }

  onApplicationShutdown(): Promise<void> {
    return this.offload.close();
  }

  /** The most recent report computed, for /metrics. */
  lastReport(): DriftResponse | null {
    return this.last;
  }

  /** The window a query asks for, checked: the last N predictions, or a time range (ISO instants). */
  private windowOf(query: DriftQuery): { last: number } | { from: string | null; to: string | null } {
    if (query.from !== undefined || query.to !== undefined) {
      if (query.window !== undefined) throw new BadRequestException('give either window or from/to, not both');
      const from = toInstant('from', query.from);
      const to = toInstant('to', query.to);
      if (from && to && from > to) throw new BadRequestException('from must not be after to');
      return { from, to };
    }
    const window = query.window ?? this.settings.driftWindow;
    if (window > this.settings.historySize) {
      throw new BadRequestException(`window must not be greater than HISTORY_SIZE (${this.settings.historySize})`);
    }
    return { last: window };
  }

  private selectWindow(query: DriftQuery): HistoryItem[] {
    const window = this.windowOf(query);
    return 'last' in window ? this.predictions.latest(window.last) : this.predictions.between(window.from, window.to);
  }

  report(query: DriftQuery = {}): DriftResponse {
    const started = performance.now();
    const active = this.activeModel.current();
    if (!active) throw new ServiceUnavailableException(`no model is available: ${this.activeModel.whyUnavailable()}`);
    const items = this.selectWindow(query);
    const report = computeDriftReport(active.stats, toDriftWindow(items, active.stats), this.driftOptions());
    return this.remember(inSchemaOrder(report, active), active.version, items, started);
  }
}

/** The report's features in the schema's order (the maths lists them in the reference's). */
function inSchemaOrder(report: DriftReport, active: LoadedModel): DriftReport {
  const order = active.preprocessor.inputFeatures.map((f) => f.name);
  report.features.sort((a, b) => order.indexOf(a.feature) - order.indexOf(b.feature));
  return report;
}
