import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined } from 'class-validator';
import { DEFER, FastPathValidation } from '../fast-path-validation.pipe';
import { PredictRequestDto } from './predict-request.dto';
import { PredictResponseDto } from './responses.dto';

export const MAX_BATCH_ROWS = 10_000;

/** `{instances: [1 to MAX_BATCH_ROWS items]}` and nothing else: what the decorators below accept. */
function isPlainBatch(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Object.getPrototypeOf(body) !== Object.prototype) return false;
  let keys = 0;
  for (const key in body) {
    if (key !== 'instances') return false;
    keys++;
  }
  const instances = (body as { instances?: unknown }).instances;
  return keys === 1 && Array.isArray(instances) && instances.length >= 1 && instances.length <= MAX_BATCH_ROWS;
}

/**
 * Many clients at once. The rows are checked by the compiled feature rules in the service, not
 * by class-validator per object, which would cost more than the predictions themselves; a
 * well-formed batch also skips class-transformer, which would copy every row.
 */
@FastPathValidation((body) => (isPlainBatch(body) ? body : DEFER))
export class PredictBatchRequestDto {
  @ApiProperty({ type: [PredictRequestDto], minItems: 1, maxItems: MAX_BATCH_ROWS, description: `1 to ${MAX_BATCH_ROWS} rows` })
  @ArrayMaxSize(MAX_BATCH_ROWS)
  @ArrayMinSize(1)
  @IsArray()
  @IsDefined({ message: '$property is required' })
  instances: unknown[];
}

export class PredictBatchResponseDto {
  @ApiProperty({ type: [PredictResponseDto], description: 'One per instance, in order' })
  predictions: PredictResponseDto[];

  @ApiProperty({ example: 'v1' })
  model_version: string;
}
