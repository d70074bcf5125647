import { StorageHealthService } from '../monitoring/storage-health.service';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../config/app-config';
import { ActiveModel } from '../model-registry/active-model';
import { LoadedModel } from '../model-registry/model-version';
import { DriftResponse, DriftService } from '../monitoring/drift.service';
import { MetricsService } from '../monitoring/metrics.service';
import { PerformanceService } from '../monitoring/performance.service';
import { SnapshotSeries } from '../monitoring-history/snapshot-series';
import { PredictionReader } from '../predictions/prediction-reader';
import { DashboardData, UnknownFeature } from './dashboard-data';

const report = {
  verdict: 'drift',
  reference_version: 'v1',
  window_size: 3,
  features: [
    { feature: 'colour', kind: 'categorical', psi: 0.5, psi_threshold: 0.1, drifted: true },
    { feature: 'size', kind: 'numeric', psi: 0.02, psi_threshold: 0.1, drifted: false },
  ],
} as unknown as DriftResponse;

const model = {
  version: 'v1',
  stats: {
    numeric: { size: { sample: [1, 2, 3] } },
    categorical: { colour: { categories: ['blue', 'red'], proportions: [0.5, 0.5] } },
    prediction: { edges: [0.5], proportions: [0.5, 0.5] },
  },
} as unknown as LoadedModel;

const rows = [
  { size: 1, colour: 'red' },
  { size: 2, colour: 'red' },
  { size: 3, colour: 'green' },
].map((input, i) => ({ entry: { input, probability: 0.2 + i * 0.3 }, actual: null, sequence: i }));

function data(storageDir = mkdtempSync(path.join(tmpdir(), 'shmp-dashboard-')), current: LoadedModel | null = model) {
  const metrics = new MetricsService(
    { current: () => null } as unknown as ActiveModel,
    { lastReport: () => null } as unknown as DriftService,
    { lastReport: () => null } as unknown as PerformanceService,
    { problems: () => [] } as unknown as StorageHealthService,
  );
  return new DashboardData(
    loadConfig({ STORAGE_DIR: storageDir }),
    { current: () => current, whyUnavailable: () => 'no model has been trained yet' },
    { state: async () => null, latestEvents: async () => [], listWithMetadata: async () => [] },
    {
      status: () => {
        throw new Error('no model is available');
      },
    },
    { lastReport: () => null },
    { report: () => report },
    { latest: (n: number) => rows.slice(-n) } as unknown as PredictionReader,
    metrics,
    { snapshots: () => [], intervalSeconds: 60, problem: () => null } as SnapshotSeries,
  );
}

describe('DashboardData', () => {
  it("drift: by default the most drifted feature, over the drift window; a numeric one on request; an unknown one names the report's", () => {
    const first = data().drift(undefined);
    expect(first.selected?.feature).toBe('colour');
    expect(first.selected?.comparison.bins.map((b) => b.label)).toEqual(['blue', 'red', 'green (unseen)']);
    expect(first.scores?.n).toBe(3);
    expect(data().drift('size').selected?.comparison.kind).toBe('numeric');
    expect(() => data().drift('weight')).toThrow(
      new UnknownFeature("no feature 'weight' in the drift report; its features are colour, size"),
    );
  });

  it('overview without a model: says why, judges nothing', async () => {
    const overview = await data(undefined, null).overview();
    expect(overview).toMatchObject({ unavailable: 'no model has been trained yet', status: null, performance: null, active: null });
  });

  it('replays: folders with a report, newest first; a broken report.json is named, not a failure; names are never paths', async () => {
    const storage = mkdtempSync(path.join(tmpdir(), 'shmp-dashboard-'));
    const reports = path.join(storage, 'reports');
    for (const [name, json] of [
      ['replay-old', '{"generated_at":"2024-01-01T00:00:00Z"}'],
      ['replay-new', '{"generated_at":"2024-02-01T00:00:00Z"}'],
      ['replay-broken', '{"generated_at":'],
    ]) {
      mkdirSync(path.join(reports, name), { recursive: true });
      writeFileSync(path.join(reports, name, 'report.json'), json);
    }
    writeFileSync(path.join(reports, 'replay-new', 'chart.svg'), '<svg/>');
    writeFileSync(path.join(reports, 'stray-file.txt'), 'not a report');
    const d = data(storage);
    const list = await d.replays();
    expect(list.map((e) => [e.name, e.hasChart, e.problem?.slice(0, 30) ?? null])).toEqual([
      ['replay-new', true, null],
      ['replay-old', false, null],
      ['replay-broken', false, 'report.json cannot be read: Un'],
    ]);
    expect((await d.replay('replay-new'))?.report).toEqual({ generated_at: '2024-02-01T00:00:00Z' });
    for (const name of ['..', '../reports', 'nope', '.hidden', 'a/b']) expect(await d.replay(name)).toBeNull();
    expect(String(await d.replayChart('replay-new'))).toBe('<svg/>');
    expect(await d.replayChart('../replay-new')).toBeNull();
    expect(await data().replays()).toEqual([]); // no reports folder yet
  });
});
