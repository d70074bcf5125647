import { BadRequestException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { APP_CONFIG, AppConfig, MonitoringConfig } from '../config/app-config';
import { ActiveModel } from '../model-registry/active-model';
import { HistoryItem } from '../predictions/prediction-history';
import { PredictionReader } from '../predictions/prediction-reader';
import { versionCalibration } from './calibration-performance';
import { DEFAULT_CALIBRATION_RULES } from './calibration/calibration-verdict';
import { LivePerformanceReport, ServedColumns, assessLivePerformance } from './live-performance';
import { LARGE_REPORT_ROWS } from './drift.service';
import { SharedResults } from '../common/shared-results';

export type PerformanceReport = LivePerformanceReport & { reference_version: string };

function served(items: readonly HistoryItem[]): ServedColumns {
  return {
    probabilities: Float64Array.from(items, (item) => item.entry.probability),
    decisions: Uint8Array.from(items, (item) => item.entry.prediction),
  };
}

/**
 * Live performance over the most recent labelled predictions, against the baseline: ROC-AUC and
 * F1, calibration, and the label-free estimate over the most recent predictions (labelled or not).
 */
@Injectable()
export class PerformanceService {
  private readonly settings: MonitoringConfig;
  private last: PerformanceReport | null = null;
  /** Shared reports as the JSON sent (serialised once, however many callers). */
  private readonly shared: SharedResults<string>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly activeModel: ActiveModel,
    private readonly predictions: PredictionReader,
  ) {
    this.settings = config.monitoring;
    this.shared = new SharedResults(this.settings.reportIntervalSeconds * 1000);
  }

  /** The report for an HTTP caller: over a large window, computed once per window and REPORT_INTERVAL_S and shared (as drift's). */
  reportShared(window = this.settings.perfWindow): Promise<string> {
    if (Math.min(window, this.settings.historySize) < LARGE_REPORT_ROWS) return Promise.resolve(JSON.stringify(this.report(window)));
    const key = JSON.stringify([this.activeModel.current()?.version ?? '-', window]);
    // A turn first, so the callers of this turn all find the run in progress.
    return this.shared.get(key, () => new Promise((resolve) => setImmediate(resolve)).then(() => JSON.stringify(this.report(window))));
  }

  lastReport(): PerformanceReport | null {
    return this.last;
  }

  /** `window`: the last N labelled predictions are judged, the last N predictions estimated. */
  report(window = this.settings.perfWindow): PerformanceReport {
    if (window > this.settings.historySize) {
      throw new BadRequestException(`window must not be greater than HISTORY_SIZE (${this.settings.historySize})`);
    }
    const active = this.activeModel.current();
    if (!active) throw new ServiceUnavailableException(`no model is available: ${this.activeModel.whyUnavailable()}`);
    const items = this.predictions.latestLabelled(window);
    const performance = assessLivePerformance({
      labelled: { ...served(items), actual: Uint8Array.from(items, (item) => item.actual!) },
      recent: served(this.predictions.latest(window)),
      baseline: active.baselineMetrics.validation,
      calibration: versionCalibration(active.baselineMetrics, active.stats),
      expectedBaseline: active.baselineMetrics.validation_calibration?.expected ?? null,
      rules: {
        minLabels: this.settings.perfMinLabels,
        aucDrop: this.settings.perfAucDrop,
        f1Drop: this.settings.perfF1Drop,
      },
      calibrationRules: { ...DEFAULT_CALIBRATION_RULES, minLabels: this.settings.perfMinLabels },
    });
    this.last = { ...performance, reference_version: active.version };
    return this.last;
  }
}
