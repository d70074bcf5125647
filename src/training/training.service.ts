import { Injectable } from '@nestjs/common';
import { Dataset } from '../data/dataset';
import { DatasetLoaderService } from '../data/dataset-loader.service';
import { PreprocessingService } from '../preprocessing/preprocessing.service';
import { ModelSpec } from './model-spec';
import { TrainedModel, trainModel } from './training-pipeline';

export interface TrainingRun {
  dataset: Dataset;
  trained: TrainedModel;
}

/** Loads a data file and trains on it; saving the result is the registry's job. */
@Injectable()
export class TrainingService {
  constructor(
    private readonly datasets: DatasetLoaderService,
    private readonly preprocessing: PreprocessingService,
  ) {}

  async trainFromFile(file: string, seed: number, spec?: ModelSpec): Promise<TrainingRun> {
    const dataset = await this.datasets.load(file);
    try {
      return { dataset, trained: this.train(dataset, seed, {}, spec) };
    } catch (err) {
      throw new Error(`${file}: cannot train: ${(err as Error).message}`);
    }
  }

  train(
    dataset: Pick<Dataset, 'records' | 'labels'>,
    seed: number,
    knownClasses: Record<string, readonly string[]> = {},
    spec?: ModelSpec,
  ): TrainedModel {
    const split = this.preprocessing.split(dataset.labels, seed);
    // The seeded split, given so that platt / isotonic calibrate on its validation part.
    return trainModel({ records: dataset.records, labels: dataset.labels, seed, split, knownClasses, spec, calibrationRows: split.validation });
  }
}
