import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, Min } from 'class-validator';

export class DriftQueryDto {
  @ApiPropertyOptional({ description: 'The last N predictions (default DRIFT_WINDOW, at most HISTORY_SIZE)', example: 1000 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @IsInt()
  window?: number;

  @ApiPropertyOptional({ description: 'Start of a time range (ISO 8601), instead of window' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'End of a time range (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class PerformanceQueryDto {
  @ApiPropertyOptional({ description: 'The last N labelled predictions (default PERF_WINDOW)', example: 1000 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @IsInt()
  window?: number;
}
