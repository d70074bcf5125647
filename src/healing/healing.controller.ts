import { Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminGuard } from '../auth/admin.guard';
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
  @ApiConflictResponse({ description: 'A healing run is already in progress' })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong bearer token' })
  @ApiForbiddenResponse({ description: 'ADMIN_TOKEN is not configured' })
  heal(): Promise<HealingOutcome> {
    return this.healing.run('api');
  }
}
