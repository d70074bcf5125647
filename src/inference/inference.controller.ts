import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { FEATURE_NAMES, FeatureRecord } from '../data/dataset-schema';
import { ModelRegistryService } from '../model-registry/model-registry.service';
import { PredictRequestDto } from './dto/predict-request.dto';
import { HealthResponseDto, InfoResponseDto, PredictResponseDto } from './dto/responses.dto';
import { PredictionService } from './prediction.service';

/** A caller's X-Request-Id is kept when it is a sane token, so logs can be joined across services. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

@ApiTags('inference')
@Controller()
export class InferenceController {
  constructor(
    private readonly registry: ModelRegistryService,
    private readonly predictions: PredictionService,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Is a model being served?' })
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'No model can be served' })
  health(@Res({ passthrough: true }) res: Response): HealthResponseDto {
    const active = this.registry.current();
    const timestamp = new Date().toISOString();
    if (!active) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'unhealthy', model_version: null, timestamp, reason: this.registry.whyUnavailable() };
    }
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
      n_features: FEATURE_NAMES.length,
      feature_names: [...FEATURE_NAMES],
    };
  }

  @Post('predict')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Will this client subscribe to a term deposit?' })
  @ApiOkResponse({ type: PredictResponseDto })
  @ApiBadRequestResponse({ description: 'A field is missing, of the wrong type, out of range or an unknown category' })
  @ApiServiceUnavailableResponse({ description: 'No model can be served' })
  predict(
    @Body() body: PredictRequestDto,
    @Headers('x-request-id') requestIdHeader: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): PredictResponseDto {
    const requestId =
      requestIdHeader && REQUEST_ID_PATTERN.test(requestIdHeader) ? requestIdHeader : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    return this.predictions.predict(body as unknown as FeatureRecord, requestId);
  }
}
