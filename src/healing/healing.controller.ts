import { Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { HEALING_OUTCOME_RESPONSE } from './healing-responses';
import { AdminGuard } from '../auth/admin.guard';
import { STORAGE_UNAVAILABLE } from '../common/storage-fault';
import { HealingOutcome, HealingService } from './healing.service';

@ApiTags('monitoring')
@Controller('monitoring')
export class HealingController {
  constructor(private readonly healing: HealingService) {}

  @Post('heal')
  @HttpCode(HttpStatus.OK)
  @UseGuards(AdminGuard)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Run the healing loop once now (admin): settle a watch, then maybe train, judge and promote a challenger',
  })
  @ApiOkResponse({ schema: HEALING_OUTCOME_RESPONSE })
  @ApiConflictResponse({ description: 'A healing run is already in progress' })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong bearer token' })
  @ApiServiceUnavailableResponse({ description: STORAGE_UNAVAILABLE })
  @ApiForbiddenResponse({ description: 'ADMIN_TOKEN is not configured' })
  heal(): Promise<HealingOutcome> {
    return this.healing.run('api');
  }
}
