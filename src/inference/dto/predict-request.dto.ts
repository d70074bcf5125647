import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsInt, IsNotEmpty, IsNumber, IsString, Max, MaxLength, Min } from 'class-validator';

const FINITE = { allowNaN: false, allowInfinity: false } as const;
const REQUIRED = { message: '$property is required' };

/**
 * One client, the 19 model features. With stopAtFirstError the bottom-most decorator is checked
 * first, so a field reports `is required`, then its type, then its range.
 * Numbers must be JSON numbers within plausible ranges;
 * categories are checked against the active model's known values by the prediction service.
 * Examples are the first row of data/bank-additional.csv, so Swagger's "Try it out" works as is.
 */
export class PredictRequestDto {
  @ApiProperty({ example: 30, minimum: 16, maximum: 120, description: 'Age in years' })
  @Min(16) @Max(120) @IsInt() @IsDefined(REQUIRED)
  age: number;

  @ApiProperty({ example: 'blue-collar', description: 'Type of job, e.g. admin., technician, services' })
  @MaxLength(64) @IsNotEmpty() @IsString() @IsDefined(REQUIRED)
  job: string;

  @ApiProperty({ example: 'married', description: 'married, single, divorced or unknown' })
  @MaxLength(64) @IsNotEmpty() @IsString() @IsDefined(REQUIRED)
  marital: string;

  @ApiProperty({ example: 'basic.9y', description: 'e.g. basic.4y, high.school, university.degree' })
  @MaxLength(64) @IsNotEmpty() @IsString() @IsDefined(REQUIRED)
  education: string;

  @ApiProperty({ example: 'no', description: 'Has credit in default? no, yes or unknown' })
  @MaxLength(64) @IsNotEmpty() @IsString() @IsDefined(REQUIRED)
  default: string;

  @ApiProperty({ example: 'yes', description: 'Has a housing loan? no, yes or unknown' })
  @MaxLength(64) @IsNotEmpty() @IsString() @IsDefined(REQUIRED)
  housing: string;

  @ApiProperty({ example: 'no', description: 'Has a personal loan? no, yes or unknown' })
  @MaxLength(64) @IsNotEmpty() @IsString() @IsDefined(REQUIRED)
  loan: string;

  @ApiProperty({ example: 'cellular', description: 'Contact type: cellular or telephone' })
  @MaxLength(64) @IsNotEmpty() @IsString() @IsDefined(REQUIRED)
  contact: string;

  @ApiProperty({ example: 'may', description: 'Last contact month, jan .. dec' })
  @MaxLength(64) @IsNotEmpty() @IsString() @IsDefined(REQUIRED)
  month: string;

  @ApiProperty({ example: 'fri', description: 'Last contact weekday, mon .. fri' })
  @MaxLength(64) @IsNotEmpty() @IsString() @IsDefined(REQUIRED)
  day_of_week: string;

  @ApiProperty({ example: 2, minimum: 1, maximum: 1000, description: 'Contacts during this campaign' })
  @Min(1) @Max(1000) @IsInt() @IsDefined(REQUIRED)
  campaign: number;

  @ApiProperty({ example: 999, minimum: 0, maximum: 999, description: 'Days since last contact (999 = never)' })
  @Min(0) @Max(999) @IsInt() @IsDefined(REQUIRED)
  pdays: number;

  @ApiProperty({ example: 0, minimum: 0, maximum: 1000, description: 'Contacts before this campaign' })
  @Min(0) @Max(1000) @IsInt() @IsDefined(REQUIRED)
  previous: number;

  @ApiProperty({ example: 'nonexistent', description: 'Outcome of the previous campaign' })
  @MaxLength(64) @IsNotEmpty() @IsString() @IsDefined(REQUIRED)
  poutcome: string;

  @ApiProperty({ example: -1.8, minimum: -10, maximum: 10, description: 'Employment variation rate (quarterly)' })
  @Min(-10) @Max(10) @IsNumber(FINITE) @IsDefined(REQUIRED)
  emp_var_rate: number;

  @ApiProperty({ example: 92.893, minimum: 50, maximum: 150, description: 'Consumer price index (monthly)' })
  @Min(50) @Max(150) @IsNumber(FINITE) @IsDefined(REQUIRED)
  cons_price_idx: number;

  @ApiProperty({ example: -46.2, minimum: -100, maximum: 100, description: 'Consumer confidence index (monthly)' })
  @Min(-100) @Max(100) @IsNumber(FINITE) @IsDefined(REQUIRED)
  cons_conf_idx: number;

  @ApiProperty({ example: 1.313, minimum: -5, maximum: 25, description: 'Euribor 3-month rate (daily)' })
  @Min(-5) @Max(25) @IsNumber(FINITE) @IsDefined(REQUIRED)
  euribor3m: number;

  @ApiProperty({ example: 5099.1, minimum: 1000, maximum: 10000, description: 'Number of employees (quarterly)' })
  @Min(1000) @Max(10000) @IsNumber(FINITE) @IsDefined(REQUIRED)
  nr_employed: number;
}
