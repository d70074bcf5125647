import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsInt, IsNotEmpty, IsNumber, IsString, Max, MaxLength, Min } from 'class-validator';
import { EXAMPLE_CLIENT } from '../../data/example-client';
import { DEFER, FastPathValidation } from '../fast-path-validation.pipe';
import { FEATURE_RULES, MAX_CATEGORY_LENGTH, isExactFeatureRecord } from '../feature-rules';

const FINITE = { allowNaN: false, allowInfinity: false } as const;
const REQUIRED = { message: '$property is required' };

/** The numeric ranges of FEATURE_RULES, by feature. */
const RANGE = Object.fromEntries(
  Object.entries(FEATURE_RULES).flatMap(([name, rule]) => (rule.kind === 'category' ? [] : [[name, { min: rule.min, max: rule.max }]])),
) as Record<string, { min: number; max: number }>;

/**
 * One client, the 19 model features. With stopAtFirstError the bottom-most decorator is checked
 * first, so a field reports `is required`, then its type, then its range.
 * Numbers must be JSON numbers within plausible ranges;
 * categories are checked against the active model's known values by the prediction service.
 * Examples are EXAMPLE_CLIENT (the first row of data/bank-additional.csv), so Swagger's "Try it out"
 * works as is.
 * A body that is exactly 19 valid fields is accepted by the compiled FEATURE_RULES check (the
 * same rules); anything else is left to these decorators, which word the errors.
 */
@FastPathValidation((body) => (isExactFeatureRecord(body) ? body : DEFER))
export class PredictRequestDto {
  @ApiProperty({ example: EXAMPLE_CLIENT.age, minimum: RANGE.age.min, maximum: RANGE.age.max, description: 'Age in years' })
  @Min(RANGE.age.min)
  @Max(RANGE.age.max)
  @IsInt()
  @IsDefined(REQUIRED)
  age: number;

  @ApiProperty({ example: EXAMPLE_CLIENT.job, description: 'Type of job, e.g. admin., technician, services' })
  @MaxLength(MAX_CATEGORY_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined(REQUIRED)
  job: string;

  @ApiProperty({ example: EXAMPLE_CLIENT.marital, description: 'married, single, divorced or unknown' })
  @MaxLength(MAX_CATEGORY_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined(REQUIRED)
  marital: string;

  @ApiProperty({ example: EXAMPLE_CLIENT.education, description: 'e.g. basic.4y, high.school, university.degree' })
  @MaxLength(MAX_CATEGORY_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined(REQUIRED)
  education: string;

  @ApiProperty({ example: EXAMPLE_CLIENT.default, description: 'Has credit in default? no, yes or unknown' })
  @MaxLength(MAX_CATEGORY_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined(REQUIRED)
  default: string;

  @ApiProperty({ example: EXAMPLE_CLIENT.housing, description: 'Has a housing loan? no, yes or unknown' })
  @MaxLength(MAX_CATEGORY_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined(REQUIRED)
  housing: string;

  @ApiProperty({ example: EXAMPLE_CLIENT.loan, description: 'Has a personal loan? no, yes or unknown' })
  @MaxLength(MAX_CATEGORY_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined(REQUIRED)
  loan: string;

  @ApiProperty({ example: EXAMPLE_CLIENT.contact, description: 'Contact type: cellular or telephone' })
  @MaxLength(MAX_CATEGORY_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined(REQUIRED)
  contact: string;

  @ApiProperty({ example: EXAMPLE_CLIENT.month, description: 'Last contact month, jan .. dec' })
  @MaxLength(MAX_CATEGORY_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined(REQUIRED)
  month: string;

  @ApiProperty({ example: EXAMPLE_CLIENT.day_of_week, description: 'Last contact weekday, mon .. fri' })
  @MaxLength(MAX_CATEGORY_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined(REQUIRED)
  day_of_week: string;

  @ApiProperty({
    example: EXAMPLE_CLIENT.campaign,
    minimum: RANGE.campaign.min,
    maximum: RANGE.campaign.max,
    description: 'Contacts during this campaign',
  })
  @Min(RANGE.campaign.min)
  @Max(RANGE.campaign.max)
  @IsInt()
  @IsDefined(REQUIRED)
  campaign: number;

  @ApiProperty({
    example: EXAMPLE_CLIENT.pdays,
    minimum: RANGE.pdays.min,
    maximum: RANGE.pdays.max,
    description: 'Days since last contact (999 = never)',
  })
  @Min(RANGE.pdays.min)
  @Max(RANGE.pdays.max)
  @IsInt()
  @IsDefined(REQUIRED)
  pdays: number;

  @ApiProperty({
    example: EXAMPLE_CLIENT.previous,
    minimum: RANGE.previous.min,
    maximum: RANGE.previous.max,
    description: 'Contacts before this campaign',
  })
  @Min(RANGE.previous.min)
  @Max(RANGE.previous.max)
  @IsInt()
  @IsDefined(REQUIRED)
  previous: number;

  @ApiProperty({ example: EXAMPLE_CLIENT.poutcome, description: 'Outcome of the previous campaign' })
  @MaxLength(MAX_CATEGORY_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined(REQUIRED)
  poutcome: string;

  @ApiProperty({
    example: EXAMPLE_CLIENT.emp_var_rate,
    minimum: RANGE.emp_var_rate.min,
    maximum: RANGE.emp_var_rate.max,
    description: 'Employment variation rate (quarterly)',
  })
  @Min(RANGE.emp_var_rate.min)
  @Max(RANGE.emp_var_rate.max)
  @IsNumber(FINITE)
  @IsDefined(REQUIRED)
  emp_var_rate: number;

  @ApiProperty({
    example: EXAMPLE_CLIENT.cons_price_idx,
    minimum: RANGE.cons_price_idx.min,
    maximum: RANGE.cons_price_idx.max,
    description: 'Consumer price index (monthly)',
  })
  @Min(RANGE.cons_price_idx.min)
  @Max(RANGE.cons_price_idx.max)
  @IsNumber(FINITE)
  @IsDefined(REQUIRED)
  cons_price_idx: number;

  @ApiProperty({
    example: EXAMPLE_CLIENT.cons_conf_idx,
    minimum: RANGE.cons_conf_idx.min,
    maximum: RANGE.cons_conf_idx.max,
    description: 'Consumer confidence index (monthly)',
  })
  @Min(RANGE.cons_conf_idx.min)
  @Max(RANGE.cons_conf_idx.max)
  @IsNumber(FINITE)
  @IsDefined(REQUIRED)
  cons_conf_idx: number;

  @ApiProperty({
    example: EXAMPLE_CLIENT.euribor3m,
    minimum: RANGE.euribor3m.min,
    maximum: RANGE.euribor3m.max,
    description: 'Euribor 3-month rate (daily)',
  })
  @Min(RANGE.euribor3m.min)
  @Max(RANGE.euribor3m.max)
  @IsNumber(FINITE)
  @IsDefined(REQUIRED)
  euribor3m: number;

  @ApiProperty({
    example: EXAMPLE_CLIENT.nr_employed,
    minimum: RANGE.nr_employed.min,
    maximum: RANGE.nr_employed.max,
    description: 'Number of employees (quarterly)',
  })
  @Min(RANGE.nr_employed.min)
  @Max(RANGE.nr_employed.max)
  @IsNumber(FINITE)
  @IsDefined(REQUIRED)
  nr_employed: number;
}
