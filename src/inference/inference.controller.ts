import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CLOCK, Clock } from '../common/clock';
import { requestIdOf } from '../common/request-id';
import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import { DATASET_SCHEMA } from '../data/schema-file';
import { ActiveModel } from '../model-registry/active-model';
import { MAX_BATCH_ROWS, PredictBatchRequestDto, PredictBatchResponseDto } from './dto/predict-batch.dto';
import { PredictRequestDto } from './dto/predict-request.dto';
import { HealthResponseDto, HealthUnavailableDto, InfoResponseDto, PredictResponseDto } from './dto/responses.dto';
import { PredictionService } from './prediction.service';
import { BatchResponseEncoder } from './batch-response/batch-response-encoder';
import { StorageHealthService } from '../monitoring/storage-health.service';

@ApiTags('inference')
@Controller()
export class InferenceController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly activeModel: ActiveModel,
    private readonly predictions: PredictionService,
    private readonly batchResponses: BatchResponseEncoder,
    @Inject(DATASET_SCHEMA) private readonly schema: DatasetSchema,
    private readonly storage: StorageHealthService,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Is a model being served, and can what it serves be recorded?' })
  @ApiOkResponse({ type: HealthResponseDto, description: 'healthy, or degraded with reasons (the storage cannot be written)' })
  @ApiServiceUnavailableResponse({ type: HealthUnavailableDto, description: 'No model can be served' })
  health(@Res({ passthrough: true }) res: Response): HealthResponseDto {
    const active = this.activeModel.current();
    const timestamp = this.clock.now().toISOString();
    if (!active) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'unhealthy', model_version: null, timestamp, reason: this.activeModel.whyUnavailable() };
    }
    const reasons = this.storage.reasons();
    if (reasons.length > 0) return { status: 'degraded', model_version: active.version, timestamp, reasons };
    return { status: 'healthy', model_version: active.version, timestamp };
  }

  @Get('info')
  @ApiOperation({ summary: 'The model serving now and its validation metrics' })
  @ApiOkResponse({ type: InfoResponseDto })
  @ApiServiceUnavailableResponse({ description: 'No model can be served' })
  info(): InfoResponseDto {
    const active = this.predictions.activeModel();
    const v = active.baselineMetrics.validation;
    return {
      model_version: active.version,
      created_at: active.metadata.created_at,
      validation_metrics: {
        accuracy: v.accuracy,
        roc_auc: v.roc_auc,
        precision: v.precision,
        recall: v.recall,
        f1_score: v.f1_score,
      },
      n_features: this.schema.features.length,
      feature_names: [...this.schema.featureNames],
      schema: { name: this.schema.name, sha256: this.schema.hash },
    };
  }

  @Post('predict')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Predict one row: the probability of the positive label' })
  @ApiOkResponse({ type: PredictResponseDto })
  @ApiBadRequestResponse({ description: 'A field is missing, of the wrong type, out of range or an unknown category' })
  @ApiServiceUnavailableResponse({ description: 'No model can be served' })
  async predict(@Body() body: PredictRequestDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    sendJson(res, JSON.stringify(await this.predictions.predict(body as unknown as FeatureRecord, requestIdOf(req))));
  }

  @Post('predict/batch')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: `Predict up to ${MAX_BATCH_ROWS} rows at once (all rows valid, or none scored)` })
  @ApiOkResponse({ type: PredictBatchResponseDto })
  @ApiBadRequestResponse({ description: 'A row breaks a rule; the message names instances.<i>.<field>' })
  @ApiServiceUnavailableResponse({ description: 'No model can be served' })
  async predictBatch(@Body() body: PredictBatchRequestDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    // The answer is encoded while the record is written, and sent once both are done.
    const { batch, recorded } = this.predictions.scoreBatch(body.instances, requestIdOf(req));
    const [json] = await Promise.all([this.batchResponses.encode(batch), recorded]);
    sendJson(res, json);
  }
}

/**
 * Sends a 200 JSON answer exactly as Express's res.json would for a POST (same body, Content-Type
 * and Content-Length), without its settings lookups and content-type parsing, or Nest's response
 * pipeline: the prediction routes answer thousands of times a second. An exception thrown before
 * this still goes through Nest's exception filters.
 */
function sendJson(res: Response, json: string | Buffer): void {
  res.statusCode = HttpStatus.OK;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}
