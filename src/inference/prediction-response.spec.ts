import { EXAMPLE_CLIENT } from '../data/testing/bank-schema';

import { PredictionLogEntry } from '../predictions/prediction-log-entry';
import { toResponse } from './prediction-response';

function entry(
  requestId: string,
  probability: number,
  threshold = 0.5,
  timestamp = '2024-05-01T12:00:00.000Z',
  version = 'v1',
): PredictionLogEntry {
  return {
    request_id: requestId,
    timestamp,
    model_version: version,
    input: EXAMPLE_CLIENT,
    prediction: probability > threshold ? 1 : 0,
    probability,
    latency_ms: 0.25,
  };
}

const LABELS = { positive: 'yes', negative: 'no' };

describe('toResponse', () => {
  it('rounds the probabilities to 4 places and reports the confidence of the decision', () => {
    expect(toResponse(entry('a', 0.123456), LABELS)).toEqual({
      prediction: 0,
      prediction_label: 'no',
      prediction_proba: { no: 0.8765, yes: 0.1235 },
      confidence: 0.8765,
      timestamp: '2024-05-01T12:00:00.000Z',
      model_version: 'v1',
      request_id: 'a',
    });
    // A calibrated model decides "yes" below 0.5: the confidence is then P(yes).
    expect(toResponse(entry('b', 0.2, 0.1), LABELS)).toMatchObject({ prediction: 1, prediction_label: 'yes', confidence: 0.2 });
  });
});
