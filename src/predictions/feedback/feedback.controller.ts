import { Body, Controller, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { FeedbackGuard, feedbackCallerOf } from '../../auth/feedback.guard';
import { OutcomeSource } from '../prediction-writer';
import { FeedbackBatchDto, FeedbackBatchResponseDto, FeedbackDto, FeedbackResponseDto } from './feedback.dto';
import { FeedbackService } from './feedback.service';

const sourceOf = (req: Request): OutcomeSource => (feedbackCallerOf(req) === 'authenticated' ? 'trusted' : 'anonymous');

@ApiTags('monitoring')
@Controller('feedback')
@UseGuards(FeedbackGuard)
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'FEEDBACK_TOKEN is set and the bearer token is missing or wrong (or a wrong token was sent)' })
@ApiTooManyRequestsResponse({ description: 'Too many failed authentications from this client in a minute' })
@ApiServiceUnavailableResponse({ description: 'The outcome could not be written (storage full or read-only): nothing was recorded' })
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Record the outcome of a served prediction' })
  @ApiOkResponse({ type: FeedbackResponseDto })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  @ApiNotFoundResponse({ description: 'No prediction was served with this request_id' })
  @ApiConflictResponse({ description: 'This request_id already has an outcome' })
  record(@Body() body: FeedbackDto, @Req() req: Request): Promise<FeedbackResponseDto> {
    return this.feedback.record(body, sourceOf(req));
  }

  @Post('batch')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Record many outcomes at once; unknown and duplicate ids are listed, not fatal' })
  @ApiOkResponse({ type: FeedbackBatchResponseDto })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  recordBatch(@Body() body: FeedbackBatchDto, @Req() req: Request): Promise<FeedbackBatchResponseDto> {
    return this.feedback.recordBatch(body.items, sourceOf(req));
  }
}
