import { Injectable } from '@nestjs/common';
import { ActiveModel } from '../model-registry/active-model';
import { PredictionStore } from '../predictions/prediction-store';

/** For commands that judge what a server serves: its prediction history and its active model. */
@Injectable()
export class ServedState {
  constructor(
    private readonly predictions: PredictionStore,
    private readonly activeModel: ActiveModel,
  ) {}

  /** Rebuilds the history from the logs and loads the active model, as the server does at start (training nothing). */
  async load(): Promise<void> {
    await this.predictions.load();
    await this.activeModel.load();
  }
}
