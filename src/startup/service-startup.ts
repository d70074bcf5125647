import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { HealingLoopService } from '../healing/healing-loop.service';
import { ActiveModel } from '../model-registry/active-model';
import { ModelLifecycle } from '../model-registry/model-lifecycle';
import { PredictionRecordService } from '../predictions/prediction-record.service';
import { StorageHealthService } from '../monitoring/storage-health.service';

/**
 * The server's start, in one place and in order, before it listens: the prediction history from
 * the logs, a model to serve (training v1 on an empty storage when AUTO_TRAIN is on), following
 * changes made by other processes, and the healing loop.
 */
@Injectable()
export class ServiceStartup implements OnModuleInit {
  private readonly logger = new Logger(ServiceStartup.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly predictions: PredictionRecordService,
    private readonly activeModel: ActiveModel,
    private readonly lifecycle: ModelLifecycle,
    private readonly healingLoop: HealingLoopService,
    private readonly storageHealth: StorageHealthService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.predictions.rebuildFromLogs();
    const loaded = await this.activeModel.load();
    if (loaded === 'empty') await this.trainFirstModel();
    this.activeModel.follow();
    await this.storageHealth.start();
    this.healingLoop.start();
    this.logger.log(
      this.config.feedbackToken
        ? 'feedback: FEEDBACK_TOKEN is set: outcomes need it, and the healing loop promotes on its own'
        : 'feedback: no FEEDBACK_TOKEN: anyone may send outcomes, and a challenger they lead to is held for an admin to promote',
    );
  }

  private async trainFirstModel(): Promise<void> {
    if (!this.config.autoTrain) {
      this.logger.warn(this.activeModel.whyUnavailable());
      return;
    }
    this.logger.log(`no model in ${this.config.storageDir}: training v1 from ${this.config.dataFile}`);
    const metadata = await this.lifecycle.trainFromFile({
      dataFile: this.config.dataFile,
      seed: this.config.seed,
      activate: true,
      reason: 'initial training on first start (AUTO_TRAIN)',
      actor: 'auto',
    });
    this.logger.log(`trained ${metadata.version}: validation ROC-AUC ${metadata.metrics.validation.roc_auc.toFixed(4)}`);
  }
}
