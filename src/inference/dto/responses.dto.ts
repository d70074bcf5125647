import { ApiProperty } from '@nestjs/swagger';

export class HealthResponseDto {
  @ApiProperty({ enum: ['healthy', 'degraded', 'unhealthy'], example: 'healthy' })
  status: 'healthy' | 'degraded' | 'unhealthy';

  @ApiProperty({ example: 'v1', nullable: true, type: String })
  model_version: string | null;

  @ApiProperty({ example: '2026-11-26T12:00:00.000Z' })
  timestamp: string;

  @ApiProperty({ required: false, description: 'Why no model can be served (only when unhealthy)' })
  reason?: string;

  @ApiProperty({
    required: false,
    type: [String],
    description: 'What is wrong though a model serves (only when degraded): the storage cannot be written',
  })
  reasons?: string[];
}

/** /health's 503: no model can be served (the OpenAPI example says so, not "healthy"). */
export class HealthUnavailableDto {
  @ApiProperty({ enum: ['unhealthy'], example: 'unhealthy' })
  status: 'unhealthy';

  @ApiProperty({ example: null, nullable: true, type: String })
  model_version: null;

  @ApiProperty({ example: '2026-11-26T12:00:00.000Z' })
  timestamp: string;

  @ApiProperty({ example: 'no model has been trained yet: run `node dist/cli train`', description: 'Why no model can be served' })
  reason: string;
}

export class ValidationMetricsDto {
  @ApiProperty() accuracy: number;
  @ApiProperty() roc_auc: number;
  @ApiProperty() precision: number;
  @ApiProperty() recall: number;
  @ApiProperty() f1_score: number;
}

export class InfoResponseDto {
  @ApiProperty({ example: 'v1' })
  model_version: string;

  @ApiProperty({ example: '20261126_120000', description: 'Training time, YYYYMMDD_HHMMSS' })
  created_at: string;

  @ApiProperty({ type: ValidationMetricsDto })
  validation_metrics: ValidationMetricsDto;

  @ApiProperty({ example: 19 })
  n_features: number;

  @ApiProperty({ description: 'The dataset schema the model was trained with', example: { name: 'bank-marketing', sha256: '1a2b...' } })
  schema: { name: string; sha256: string };

  @ApiProperty({ type: [String] })
  feature_names: string[];
}

/** P(label) per target label: its properties are the schema's two labels (bound at start, see predict-request.dto.ts). */
export class PredictionProbabilitiesDto {
  [label: string]: number;
}

export class PredictResponseDto {
  @ApiProperty({ enum: [0, 1], example: 0, description: "1 = the target's positive label" })
  prediction: 0 | 1;

  /** One of the target's labels (its enum is bound from the schema at start). */
  prediction_label: string;

  @ApiProperty({ type: PredictionProbabilitiesDto })
  prediction_proba: PredictionProbabilitiesDto;

  @ApiProperty({ example: 0.7312, description: 'Probability of the predicted label' })
  confidence: number;

  @ApiProperty({ example: '2026-11-26T12:00:00.000Z' })
  timestamp: string;

  @ApiProperty({ example: 'v1' })
  model_version: string;

  @ApiProperty({ example: '6f1c2b3e-...', description: 'Quote it in POST /feedback' })
  request_id: string;
}
