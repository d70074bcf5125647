import { Controller, Get, Header, HttpStatus, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { DriftQueryDto, PerformanceQueryDto } from './dto/monitoring-query.dto';
import { DRIFT_RESPONSE, PERFORMANCE_RESPONSE, STATUS_RESPONSE } from './dto/monitoring-responses';
import { DriftService } from './drift.service';
import { MetricsService } from './metrics.service';
import { MonitoringStatus, MonitoringStatusService } from './monitoring-status.service';
import { PerformanceService } from './performance.service';

@ApiTags('monitoring')
@Controller()
export class MonitoringController {
  constructor(
    private readonly drift: DriftService,
    private readonly performance: PerformanceService,
    private readonly status: MonitoringStatusService,
    private readonly metrics: MetricsService,
  ) {}

  @Get('monitoring/drift')
  @ApiOperation({ summary: 'Drift of recent predictions against the training baseline (PSI, KS, chi-square)' })
  @ApiOkResponse({ description: 'Per-feature and prediction drift with the dataset verdict', schema: DRIFT_RESPONSE })
  async driftReport(@Query() query: DriftQueryDto, @Res() res: Response): Promise<void> {
    sendJsonText(res, await this.drift.reportShared(query));
  }

  @Get('monitoring/performance')
  @ApiOperation({
    summary:
      'Live metrics over the last labelled predictions beside the baseline (ROC-AUC, F1, calibration: Brier, log loss, ECE, rates), ' +
      'and the label-free expected performance (CBPE) over the last predictions, which never triggers a heal',
  })
  @ApiOkResponse({
    description: 'Live performance, calibration and the label-free estimate, with the verdict',
    schema: PERFORMANCE_RESPONSE,
  })
  async performanceReport(@Query() query: PerformanceQueryDto, @Res() res: Response): Promise<void> {
    sendJsonText(res, await this.performance.reportShared(query.window));
  }

  @Get('monitoring/status')
  @ApiOperation({ summary: 'One verdict: healthy, drifting, degraded or insufficient_data, with reasons' })
  @ApiOkResponse({ schema: STATUS_RESPONSE })
  monitoringStatus(): MonitoringStatus {
    return this.status.status();
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiOkResponse({ description: 'The Prometheus text exposition format (version 0.0.4)', schema: { type: 'string' } })
  prometheus(): Promise<string> {
    return this.metrics.render();
  }
}

/** A report already serialised (shared reports are serialised once, not per caller), as res.json would send it. */
function sendJsonText(res: Response, json: string): void {
  res.status(HttpStatus.OK).type('application/json').send(json);
}
