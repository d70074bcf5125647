import { Injectable } from '@nestjs/common';
import { ActiveModel } from '../model-registry/active-model';
import { PredictionRecordService } from '../predictions/prediction-record.service';

/** For commands that judge what a server serves: its prediction history and its active model. */
@Injectable()
export class ServedState {
  constructor(
    private readonly predictions: PredictionRecordService,
    private readonly activeModel: ActiveModel,
  ) {}

  /** Rebuilds the history from the logs and loads the active model, as the server does at start (training nothing). */
  async load(): Promise<void> {
    await this.predictions.rebuildFromLogs();
    await this.activeModel.load();
  }
}
