import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiPropertyOptional,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { AdminGuard } from '../auth/admin.guard';
import { STORAGE_UNAVAILABLE } from '../common/storage-fault';
import { ModelEvent } from './model-event';
import { ModelCatalog, VersionSummary } from './model-catalog';
import { ModelLifecycle } from './model-lifecycle';
import { EVENTS_RESPONSE, REGISTRY_STATE_RESPONSE, VERSION_LIST_RESPONSE, VERSION_RESPONSE } from './models-responses';
import { RegistryState } from './registry-state';

export class EventsQueryDto {
  @ApiPropertyOptional({ description: 'How many of the latest events (default 100)', example: 100 })
  @IsOptional()
  @Type(() => Number)
  @Max(10_000)
  @Min(1)
  @IsInt()
  limit?: number;
}

@ApiTags('models')
@Controller('models')
export class ModelsController {
  constructor(
    private readonly catalog: ModelCatalog,
    private readonly lifecycle: ModelLifecycle,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every version with its status (active, previous, archived, rejected), lineage and metrics' })
  @ApiOkResponse({ schema: VERSION_LIST_RESPONSE })
  list(): Promise<VersionSummary[]> {
    return this.catalog.listVersions();
  }

  @Get('events')
  @ApiOperation({ summary: 'The audit trail: trained, promoted, rejected, rolled_back, heal_skipped ... with why' })
  @ApiOkResponse({ schema: EVENTS_RESPONSE })
  events(@Query() query: EventsQueryDto): Promise<ModelEvent[]> {
    return this.catalog.latestEvents(query.limit ?? 100);
  }

  @Get(':version')
  @ApiOperation({ summary: 'One version: status and full metadata' })
  @ApiOkResponse({ schema: VERSION_RESPONSE })
  @ApiNotFoundResponse({ description: 'No such version' })
  describe(@Param('version') version: string) {
    return this.catalog.describe(version);
  }

  @Post('rollback')
  @HttpCode(HttpStatus.OK)
  @UseGuards(AdminGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Serve the previous active version again (admin)' })
  @ApiOkResponse({ schema: REGISTRY_STATE_RESPONSE })
  @ApiConflictResponse({ description: 'There is no previous version' })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong bearer token' })
  @ApiServiceUnavailableResponse({ description: STORAGE_UNAVAILABLE })
  @ApiForbiddenResponse({ description: 'ADMIN_TOKEN is not configured' })
  rollback(): Promise<RegistryState> {
    return this.lifecycle.rollback({ actor: 'api', reason: 'rollback requested over the API' });
  }

  @Post(':version/promote')
  @HttpCode(HttpStatus.OK)
  @UseGuards(AdminGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Make a version active now (admin); it is then watched against the one it replaces' })
  @ApiOkResponse({ schema: REGISTRY_STATE_RESPONSE })
  @ApiNotFoundResponse({ description: 'No such version' })
  @ApiConflictResponse({ description: 'The version was rejected, is already active, or cannot be loaded' })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong bearer token' })
  @ApiServiceUnavailableResponse({ description: STORAGE_UNAVAILABLE })
  @ApiForbiddenResponse({ description: 'ADMIN_TOKEN is not configured' })
  promote(@Param('version') version: string): Promise<RegistryState> {
    return this.lifecycle.promote(version, { actor: 'api', reason: 'promotion requested over the API' });
  }
}
