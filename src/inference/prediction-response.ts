import { PredictionLogEntry } from '../monitoring/prediction-log-entry';
import { PredictResponseDto } from './dto/responses.dto';

const round4 = (p: number) => Math.round(p * 1e4) / 1e4;

/** What the client gets for a prediction: rounded probabilities, the label and the ids. */
export function toResponse(entry: PredictionLogEntry): PredictResponseDto {
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
