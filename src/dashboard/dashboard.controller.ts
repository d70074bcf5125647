import { Controller, Get, Header, Inject, NotFoundException, Param, Query, Redirect, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CLOCK, Clock } from '../common/clock';
import { DashboardData, UnknownFeature } from './dashboard-data';
import { messagePage, page } from './html/layout';
import { renderDrift } from './pages/drift-page';
import { renderHistory } from './pages/history-page';
import { renderModels } from './pages/models-page';
import { renderOverview } from './pages/overview-page';
import { renderReplay, renderReplayList, replayHref } from './pages/replays-page';

const HTML = 'text/html; charset=utf-8';

/** The stylesheet and the script, read once (nest build copies src/dashboard/assets beside this file). */
const ASSETS: Record<string, { type: string; body: Buffer }> = Object.fromEntries(
  [
    ['dashboard.css', 'text/css; charset=utf-8'],
    ['dashboard.js', 'text/javascript; charset=utf-8'],
  ].map(([file, type]) => [file, { type, body: readFileSync(path.join(__dirname, 'assets', file)) }]),
);

/**
 * The read-only dashboard: HTML pages with server-drawn SVG charts, which refresh themselves.
 * Not part of the JSON API (left out of the OpenAPI document); `/` leads here.
 */
@ApiExcludeController()
@Controller()
export class DashboardController {
  constructor(
    private readonly data: DashboardData,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString().slice(0, 19).replace('T', ' ');
  }

  @Get()
  @Redirect('/dashboard', 302)
  root(): void {}

  @Get('dashboard')
  @Header('Content-Type', HTML)
  @Header('Cache-Control', 'no-store')
  async overview(): Promise<string> {
    return page('Overview', '/dashboard', renderOverview(await this.data.overview()), this.now());
  }

  @Get('dashboard/drift')
  @Header('Content-Type', HTML)
  @Header('Cache-Control', 'no-store')
  drift(@Query('feature') feature: unknown, @Res({ passthrough: true }) res: Response): string {
    if (feature !== undefined && typeof feature !== 'string') {
      res.status(400);
      return messagePage('Drift', '/dashboard/drift', 'give one feature: ?feature=<name>', this.now());
    }
    try {
      return page('Drift', '/dashboard/drift', renderDrift(this.data.drift(feature)), this.now());
    } catch (err) {
      if (err instanceof UnknownFeature) {
        res.status(404);
        return messagePage('Drift', '/dashboard/drift', err.message, this.now());
      }
      const status = (err as { getStatus?: () => number }).getStatus?.();
      if (status === 503) {
        res.status(503);
        return messagePage('Drift', '/dashboard/drift', (err as Error).message, this.now());
      }
      throw err;
    }
  }

  @Get('dashboard/history')
  @Header('Content-Type', HTML)
  @Header('Cache-Control', 'no-store')
  async history(): Promise<string> {
    return page('Over time', '/dashboard/history', renderHistory(await this.data.history()), this.now());
  }

  @Get('dashboard/models')
  @Header('Content-Type', HTML)
  @Header('Cache-Control', 'no-store')
  async models(): Promise<string> {
    return page('Models', '/dashboard/models', renderModels(await this.data.models()), this.now());
  }

  @Get('dashboard/replays')
  @Header('Content-Type', HTML)
  @Header('Cache-Control', 'no-store')
  async replays(): Promise<string> {
    return page('Replays', '/dashboard/replays', renderReplayList(await this.data.replays(), this.data.reportsDir), this.now());
  }

  @Get('dashboard/replays/:name')
  @Header('Content-Type', HTML)
  @Header('Cache-Control', 'no-store')
  async replay(@Param('name') name: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const entry = await this.data.replay(name);
    if (!entry) {
      res.status(404);
      return messagePage(
        'Replays',
        '/dashboard/replays',
        `no replay report '${name.slice(0, 100)}' in ${this.data.reportsDir}`,
        this.now(),
      );
    }
    return page(`Replay ${entry.name}`, '/dashboard/replays', renderReplay(entry, `${replayHref(entry.name)}/chart.svg`), this.now());
  }

  @Get('dashboard/replays/:name/chart.svg')
  async replayChart(@Param('name') name: string, @Res() res: Response): Promise<void> {
    const chart = await this.data.replayChart(name);
    if (!chart) throw new NotFoundException(`no chart.svg in replay report '${name.slice(0, 100)}'`);
    res.setHeader('Content-Type', 'image/svg+xml');
    res.setHeader('Cache-Control', 'no-cache');
    res.end(chart);
  }

  @Get('dashboard/assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const asset = Object.prototype.hasOwnProperty.call(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) throw new NotFoundException(`no dashboard asset '${file.slice(0, 100)}'`);
    res.setHeader('Content-Type', asset.type);
    res.setHeader('Cache-Control', 'no-cache');
    res.end(asset.body);
  }
}
