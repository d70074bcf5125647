import { StorageHealthService } from '../monitoring/storage-health.service';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { SimulatedClock } from '../common/clock';
import { loadConfig } from '../config/app-config';
import { ActiveModel } from '../model-registry/active-model';
import { DriftResponse, DriftService } from '../monitoring/drift.service';
import { MetricsService } from '../monitoring/metrics.service';
import { MonitoringStatus } from '../monitoring/monitoring-status.service';
import { PerformanceReport, PerformanceService } from '../monitoring/performance.service';
import { MonitoringSnapshot, appendBounded, readSnapshotFile, snapshotOf } from './monitoring-snapshot';
import { SnapshotFile } from './snapshot-file';
import { SnapshotRecorder } from './snapshot-recorder';

const T0 = new Date('2024-03-01T10:00:00.000Z');

const drift = {
  verdict: 'drift',
  dataset_drift: true,
  window_size: 1000,
  share_drifted_features: 0.25,
  prediction: { psi: 0.31, positive_rate: 0.42 },
} as unknown as DriftResponse;

const performance = {
  n_labelled: 800,
  live: { roc_auc: 0.71, brier_score: 0.2 },
  baseline: { roc_auc: 0.77, brier_score: 0.16 },
  calibration: { live: { base_rate: 0.3 } },
  expected: { estimate: { roc_auc: 0.74, brier_score: 0.18 } },
} as unknown as PerformanceReport;

const status = { status: 'degraded', model_version: 'v2' } as MonitoringStatus;

function snapshot(minute: number, extra: Partial<MonitoringSnapshot> = {}): MonitoringSnapshot {
  return { ...snapshotOf(new Date(T0.getTime() + minute * 60_000), status, drift, performance, minute * 10), ...extra };
}

const scratch = () => mkdtempSync(path.join(tmpdir(), 'shmp-snapshots-'));

describe('monitoring snapshots: the maths of the series', () => {
  it('a snapshot holds the figures the charts plot, null where monitoring could not judge', () => {
    expect(snapshot(1)).toEqual({
      time: '2024-03-01T10:01:00.000Z',
      model_version: 'v2',
      status: 'degraded',
      window_size: 1000,
      drift_share: 0.25,
      dataset_drift: true,
      prediction_psi: 0.31,
      predicted_positive_rate: 0.42,
      labelled: 800,
      roc_auc: 0.71,
      brier: 0.2,
      base_rate: 0.3,
      expected_roc_auc: 0.74,
      expected_brier: 0.18,
      baseline_roc_auc: 0.77,
      baseline_brier: 0.16,
      served_total: 10,
    });
    const unjudged = snapshotOf(
      T0,
      { status: 'insufficient_data', model_version: 'v1' },
      { ...drift, verdict: 'insufficient_data', dataset_drift: false, window_size: 20, prediction: null },
      {
        ...performance,
        n_labelled: 3,
        live: null,
        calibration: { live: null },
        expected: { estimate: null },
      } as unknown as PerformanceReport,
      20,
    );
    expect(unjudged).toMatchObject({
      drift_share: null,
      prediction_psi: null,
      roc_auc: null,
      brier: null,
      base_rate: null,
      expected_roc_auc: null,
    });
  });

  it('keeps the newest `keep` snapshots', () => {
    let series: MonitoringSnapshot[] = [];
    for (let m = 0; m < 7; m++) series = appendBounded(series, snapshot(m), 5);
    expect(series.map((s) => s.served_total)).toEqual([20, 30, 40, 50, 60]);
  });

  it('reads a file back, dropping snapshots it cannot read, oldest first; refuses another shape', () => {
    const json = { version: 1, snapshots: [snapshot(2), { time: 'yesterday' }, snapshot(1), { ...snapshot(3), roc_auc: 'high' }] };
    const { snapshots, dropped } = readSnapshotFile(JSON.parse(JSON.stringify(json)));
    expect(snapshots.map((s) => s.time)).toEqual([snapshot(1).time, snapshot(2).time]);
    expect(dropped).toBe(2);
    expect(() => readSnapshotFile({ version: 2, snapshots: [] })).toThrow('version must be 1');
    expect(() => readSnapshotFile([])).toThrow('must be an object');
  });
});

describe('SnapshotFile', () => {
  it('saves atomically and loads what it saved; no file is an empty series', async () => {
    const file = SnapshotFile.under(scratch());
    expect(await file.load(T0)).toEqual({ snapshots: [], problem: null });
    await file.save([snapshot(1), snapshot(2)]);
    expect(await file.load(T0)).toEqual({ snapshots: [snapshot(1), snapshot(2)], problem: null });
    expect(readdirSync(path.dirname(file.file))).toEqual(['snapshots.json']); // no temporary file left
  });

  it('a file that is not a series is kept aside, named in the problem, and the series starts over', async () => {
    const dir = scratch();
    const file = SnapshotFile.under(dir);
    await mkdir(path.dirname(file.file), { recursive: true });
    writeFileSync(file.file, '{"version":1,"snapshots":[{"time":');
    const loaded = await file.load(T0);
    expect(loaded.snapshots).toEqual([]);
    expect(loaded.problem).toContain('is not a snapshot series');
    const aside = readdirSync(path.dirname(file.file));
    expect(aside).toEqual(['snapshots.json.corrupt-2024-03-01T10-00-00-000Z']);
    expect(loaded.problem).toContain(aside[0]);
  });
});

describe('SnapshotRecorder', () => {
  // What it logs is asserted through problem(); keep the output quiet.
  let warnings: jest.SpyInstance;
  beforeEach(() => {
    warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  function recorder(storageDir: string, keep = '10') {
    const config = loadConfig({ STORAGE_DIR: storageDir, MONITOR_SNAPSHOTS: keep, MONITOR_INTERVAL_S: '0' });
    const metrics = new MetricsService(
      { current: () => null } as unknown as ActiveModel,
      { lastReport: () => null } as unknown as DriftService,
      { lastReport: () => null } as unknown as PerformanceService,
      { problems: () => [] } as unknown as StorageHealthService,
    );
    let judged = true;
    const r = new SnapshotRecorder(
      config,
      new SimulatedClock(T0),
      {
        status: () => {
          if (!judged) throw new Error('no model is available');
          return status;
        },
      },
      { lastReport: () => drift },
      { lastReport: () => performance },
      metrics,
    );
    return { r, metrics, noModel: () => (judged = false) };
  }

  it('takes snapshots, keeps the newest MONITOR_SNAPSHOTS, and a new recorder on the same storage reads them back (a restart)', async () => {
    const dir = scratch();
    const first = recorder(dir);
    await first.r.start();
    for (let i = 0; i < 12; i++) await first.r.take();
    expect(first.r.snapshots()).toHaveLength(10);
    expect(first.r.problem()).toBeNull();
    const again = recorder(dir);
    await again.r.start();
    expect(again.r.snapshots()).toEqual(first.r.snapshots());
    await again.r.take();
    expect(again.r.snapshots()).toHaveLength(10);
    expect(again.r.snapshots()[8]).toEqual(first.r.snapshots()[9]);
  });

  it('without a model to judge, takes nothing', async () => {
    const { r, noModel } = recorder(scratch());
    await r.start();
    noModel();
    await r.take();
    expect(r.snapshots()).toEqual([]);
  });

  it('a series it cannot save: kept in memory, the problem said, counted in /metrics; saved again once it can', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'monitoring'), 'a file where the folder should be');
    const { r, metrics } = recorder(dir);
    await r.start();
    await r.take();
    expect(r.snapshots()).toHaveLength(1);
    expect(r.problem()).toMatch(/^cannot save .*snapshots\.json/);
    expect(warnings).toHaveBeenCalledWith(r.problem());
    expect(await metrics.render()).toMatch(/^monitoring_snapshot_failures_total 1$/m);
    await import('node:fs/promises').then((fs) => fs.rm(path.join(dir, 'monitoring')));
    await r.take();
    expect(r.problem()).toBeNull();
    expect(existsSync(path.join(dir, 'monitoring', 'snapshots.json'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'monitoring', 'snapshots.json'), 'utf8')).snapshots).toHaveLength(2);
  });
});
