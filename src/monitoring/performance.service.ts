import { BadRequestException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { APP_CONFIG, AppConfig, MonitoringConfig } from '../config/app-config';
import { ActiveModel } from '../model-registry/active-model';
import { PredictionReader } from '../predictions/prediction-reader';
import { LivePerformance, assessPerformance } from './live-performance';

/** Live performance over the most recent labelled predictions, against the baseline. */
@Injectable()
export class PerformanceService {
  private readonly settings: MonitoringConfig;
  private last: (LivePerformance & { reference_version: string }) | null = null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly activeModel: ActiveModel,
    private readonly predictions: PredictionReader,
  ) {
    this.settings = config.monitoring;
  }

  lastReport(): (LivePerformance & { reference_version: string }) | null {
    return this.last;
  }

  report(window = this.settings.perfWindow): LivePerformance & { reference_version: string } {
    if (window > this.settings.historySize) {
      throw new BadRequestException(`window must not be greater than HISTORY_SIZE (${this.settings.historySize})`);
    }
    const active = this.activeModel.current();
    if (!active) throw new ServiceUnavailableException(`no model is available: ${this.activeModel.whyUnavailable()}`);
    const items = this.predictions.latestLabelled(window);
    const performance = assessPerformance(
      Uint8Array.from(items, (item) => item.actual!),
      Float64Array.from(items, (item) => item.entry.probability),
      Uint8Array.from(items, (item) => item.entry.prediction),
      active.baselineMetrics.validation,
      {
        minLabels: this.settings.perfMinLabels,
        aucDrop: this.settings.perfAucDrop,
        f1Drop: this.settings.perfF1Drop,
      },
    );
    this.last = { ...performance, reference_version: active.version };
    return this.last;
  }
}
