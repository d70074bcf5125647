import { ApiProperty } from '@nestjs/swagger';
import { REQUEST_ID_PATTERN } from '../../common/request-id';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsObject, IsString, Matches, ValidateNested } from 'class-validator';
import { bindOnce } from '../../common/bind-once';
import { DatasetSchema } from '../../data/dataset-schema';

const REQUIRED = { message: '$property is required' };
export const MAX_FEEDBACK_BATCH = 10_000;

export class FeedbackDto {
  @ApiProperty({ example: '1ee39696-2e72-4d8c-8351-1b0271429ec0', description: 'request_id of a served prediction' })
  @Matches(REQUEST_ID_PATTERN, { message: '$property must be a request id as returned by /predict' })
  @IsString()
  @IsDefined(REQUIRED)
  request_id: string;

  /** One of the target's two labels (its rules are bound from the schema at start: bindFeedbackDtos). */
  actual: string;
}

/** Builds the outcome's rules from the schema's target labels (once per process). */
export function bindFeedbackDtos(schema: DatasetSchema): void {
  const labels = [schema.target.positive, schema.target.negative];
  bindOnce(FeedbackDto, schema.hash, () => {
    for (const decorate of [
      IsDefined(REQUIRED),
      IsIn(labels),
      ApiProperty({ type: String, enum: labels, example: labels[0], description: `The outcome: the true ${schema.target.name}` }),
    ]) {
      decorate(FeedbackDto.prototype, 'actual');
    }
  });
  bindOnce(FeedbackResponseDto, schema.hash, () => {
    ApiProperty({ type: String, enum: labels })(FeedbackResponseDto.prototype, 'actual');
    ApiProperty({ type: String, enum: labels, description: 'What was predicted for this request' })(
      FeedbackResponseDto.prototype,
      'prediction_label',
    );
  });
}

export class FeedbackBatchDto {
  @ApiProperty({ type: [FeedbackDto], description: `1 to ${MAX_FEEDBACK_BATCH} outcomes` })
  @ValidateNested({ each: true })
  @Type(() => FeedbackDto)
  @IsObject({ each: true, message: 'each value in items must be an object' })
  @ArrayMaxSize(MAX_FEEDBACK_BATCH)
  @ArrayMinSize(1)
  @IsArray()
  @IsDefined(REQUIRED)
  items: FeedbackDto[];
}

export class FeedbackResponseDto {
  @ApiProperty() request_id: string;
  actual: string;
  prediction_label: string;
  @ApiProperty() model_version: string;
  @ApiProperty() recorded_at: string;
}

export class FeedbackBatchResponseDto {
  @ApiProperty({ description: 'Outcomes recorded' }) recorded: number;
  @ApiProperty({ type: [String], description: 'Ids never served (or older than the history)' }) unknown: string[];
  @ApiProperty({ type: [String], description: 'Ids that already had an outcome' }) duplicate: string[];
}
