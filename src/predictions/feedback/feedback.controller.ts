import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FeedbackBatchDto, FeedbackBatchResponseDto, FeedbackDto, FeedbackResponseDto } from './feedback.dto';
import { FeedbackService } from './feedback.service';

@ApiTags('monitoring')
@Controller('feedback')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Record the outcome of a served prediction' })
  @ApiOkResponse({ type: FeedbackResponseDto })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  @ApiNotFoundResponse({ description: 'No prediction was served with this request_id' })
  @ApiConflictResponse({ description: 'This request_id already has an outcome' })
  record(@Body() body: FeedbackDto): FeedbackResponseDto {
    return this.feedback.record(body);
  }

  @Post('batch')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Record many outcomes at once; unknown and duplicate ids are listed, not fatal' })
  @ApiOkResponse({ type: FeedbackBatchResponseDto })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  recordBatch(@Body() body: FeedbackBatchDto): FeedbackBatchResponseDto {
    return this.feedback.recordBatch(body.items);
  }
}
