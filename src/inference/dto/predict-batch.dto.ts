import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined } from 'class-validator';
import { PredictRequestDto } from './predict-request.dto';
import { PredictResponseDto } from './responses.dto';

export const MAX_BATCH_ROWS = 10_000;

/**
 * Many clients at once. The rows are checked by the compiled feature rules in the service, not
 * by class-validator per object, which would cost more than the predictions themselves.
 */
export class PredictBatchRequestDto {
  @ApiProperty({ type: [PredictRequestDto], description: `1 to ${MAX_BATCH_ROWS} clients` })
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
