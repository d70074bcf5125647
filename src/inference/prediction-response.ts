import { PredictionLogEntry } from '../predictions/prediction-log-entry';
import { PredictResponseDto } from './dto/responses.dto';

const round4 = (p: number) => Math.round(p * 1e4) / 1e4;

/** What a response is made of: the logged prediction without its input. */
export type ServedPrediction = Pick<PredictionLogEntry, 'request_id' | 'timestamp' | 'model_version' | 'prediction' | 'probability'>;

/** The target's two labels: what 1 and 0 mean. */
export interface TargetLabels {
  positive: string;
  negative: string;
}

/** What the client gets for a prediction: rounded probabilities, the label and the ids. */
export function toResponse(entry: ServedPrediction, labels: TargetLabels): PredictResponseDto {
  const positive = round4(entry.probability);
  const negative = round4(1 - entry.probability);
  return {
    prediction: entry.prediction,
    prediction_label: entry.prediction === 1 ? labels.positive : labels.negative,
    prediction_proba: { [labels.negative]: negative, [labels.positive]: positive },
    confidence: entry.prediction === 1 ? positive : negative,
    timestamp: entry.timestamp,
    model_version: entry.model_version,
    request_id: entry.request_id,
  };
}

/** The rows of one batch, as PredictionService logged them: row i's request id is `<batchId>-<i>`. */
export interface BatchPredictions {
  batchId: string;
  labels: TargetLabels;
  entries: PredictionLogEntry[];
  model_version: string;
}

/** The /predict/batch answer's JSON text. */
export function batchResponseText(batch: { entries: readonly ServedPrediction[]; model_version: string; labels: TargetLabels }): string {
  const predictions = batch.entries.map((entry) => toResponse(entry, batch.labels));
  return JSON.stringify({ predictions, model_version: batch.model_version });
}
