import { PredictionLogEntry } from '../predictions/prediction-log-entry';
import { PredictResponseDto } from './dto/responses.dto';

const round4 = (p: number) => Math.round(p * 1e4) / 1e4;

/** What a response is made of: the logged prediction without its input. */
export type ServedPrediction = Pick<PredictionLogEntry, 'request_id' | 'timestamp' | 'model_version' | 'prediction' | 'probability'>;

/** What the client gets for a prediction: rounded probabilities, the label and the ids. */
export function toResponse(entry: ServedPrediction): PredictResponseDto {
  const yes = round4(entry.probability);
  const no = round4(1 - entry.probability);
  return {
    prediction: entry.prediction,
    prediction_label: entry.prediction === 1 ? 'yes' : 'no',
    prediction_proba: { no, yes },
    confidence: entry.prediction === 1 ? yes : no,
    timestamp: entry.timestamp,
    model_version: entry.model_version,
    request_id: entry.request_id,
  };
}

/** The rows of one batch, as PredictionService logged them: row i's request id is `<batchId>-<i>`. */
export interface BatchPredictions {
  batchId: string;
  entries: PredictionLogEntry[];
  model_version: string;
}

/** The /predict/batch answer's JSON text. */
export function batchResponseText(batch: { entries: readonly ServedPrediction[]; model_version: string }): string {
  return JSON.stringify({ predictions: batch.entries.map(toResponse), model_version: batch.model_version });
}
