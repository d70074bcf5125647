import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsNotEmpty, IsNumber, IsString, Max, MaxLength, Min } from 'class-validator';
import { bindOnce } from '../../common/bind-once';
import { DatasetSchema, FeatureColumn } from '../../data/dataset-schema';
import { FeatureRowRules, MAX_CATEGORY_LENGTH } from '../../data/feature-row-rules';
import { DEFER, FastPathValidation } from '../fast-path-validation.pipe';
import { PredictResponseDto, PredictionProbabilitiesDto } from './responses.dto';

const FINITE = { allowNaN: false, allowInfinity: false } as const;
const REQUIRED = { message: '$property is required' };

/**
 * One row of the dataset's features. The class is declared here so controllers and Swagger can name
 * it, and built from the dataset schema at start (bindRequestDtos): class-validator and
 * @nestjs/swagger decorators per feature column, so the ValidationPipe and the OpenAPI document
 * treat it like any Nest DTO. A body the schema's compiled rules accept as it is skips the pipe's
 * class-transformer copy (FastPathValidation); anything else goes through these decorators, which
 * word the errors (the same words: see feature-row-rules.ts and its property test).
 */
export class PredictRequestDto {
  [feature: string]: number | string;
}

/**
 * Applies one feature column's decorators. With stopAtFirstError the first registered is checked
 * first, so a field reports `is required`, then its type, then its range or categories.
 */
function decorateFeature(target: object, column: FeatureColumn, example: number | string | undefined): void {
  const { name } = column;
  const decorators: PropertyDecorator[] = [IsDefined(REQUIRED)];
  if (column.type === 'categorical') {
    decorators.push(IsString(), IsNotEmpty(), MaxLength(MAX_CATEGORY_LENGTH));
    if (column.categories) decorators.push(IsIn([...column.categories]));
  } else {
    decorators.push(column.type === 'integer' ? IsInt() : IsNumber(FINITE));
    if (column.minimum !== undefined) decorators.push(Min(column.minimum));
    if (column.maximum !== undefined) decorators.push(Max(column.maximum));
  }
  decorators.push(
    ApiProperty({
      type: column.type === 'categorical' ? 'string' : column.type === 'integer' ? 'integer' : 'number',
      required: true,
      ...(column.categories ? { enum: [...column.categories] } : {}),
      ...(column.type === 'categorical' ? { maxLength: MAX_CATEGORY_LENGTH, minLength: 1 } : {}),
      ...(column.minimum !== undefined ? { minimum: column.minimum } : {}),
      ...(column.maximum !== undefined ? { maximum: column.maximum } : {}),
      ...(example !== undefined ? { example } : {}),
      description:
        column.description ?? (column.type === 'categorical' && !column.categories ? 'A category the model learned at training' : name),
    }),
  );
  for (const decorate of decorators) decorate(target, name);
}

/**
 * Builds the request and response DTOs of /predict from the schema (once per process): a property
 * per feature with its rules, the example (the schema's, or `example` when it has none), and the
 * target's labels as the response's label enum and probability keys.
 */
/** Gives a class one validated, documented property per feature of the schema (any class: the specs build their own). */
export function decorateFeatureRow(target: object, schema: DatasetSchema, example?: Record<string, number | string>): void {
  for (const column of schema.features) decorateFeature(target, column, example?.[column.name]);
}

export function bindRequestDtos(schema: DatasetSchema, rules: FeatureRowRules, example?: Record<string, number | string>): void {
  const shown = schema.example ?? example;
  bindOnce(PredictRequestDto, schema.hash, () => {
    decorateFeatureRow(PredictRequestDto.prototype, schema, shown);
    FastPathValidation((body) => (rules.isExact(body) ? body : DEFER))(PredictRequestDto);
  });
  bindOnce(PredictResponseDto, schema.hash, () => {
    const { negative, positive } = schema.target;
    ApiProperty({ type: String, enum: [negative, positive], example: negative, description: `The predicted ${schema.target.name}` })(
      PredictResponseDto.prototype,
      'prediction_label',
    );
    ApiProperty({ type: Number, example: 0.7312, description: `P(${negative})` })(PredictionProbabilitiesDto.prototype, negative);
    ApiProperty({ type: Number, example: 0.2688, description: `P(${positive})` })(PredictionProbabilitiesDto.prototype, positive);
  });
}
