import { ActiveModel } from '../model-registry/active-model';
import { DriftService } from './drift.service';
import { assessLivePerformance } from './live-performance';
import { MetricsService } from './metrics.service';
import { PerformanceReport, PerformanceService } from './performance.service';
import { StorageHealthService, StorageProblems } from './storage-health.service';
import { SyntheticServed, balanced, collapse, synthetic, syntheticVersion, truth } from './testing/synthetic-served';

const { input } = syntheticVersion();

function report(labelled: SyntheticServed, recent: SyntheticServed = labelled): PerformanceReport {
  return { ...assessLivePerformance(input(labelled, recent)), reference_version: 'v1' };
}

/** The metrics text with only the last performance report given (no model, no drift report). */
async function scrape(last: PerformanceReport | null, storage: StorageProblems = { logs: null, models: null }): Promise<string> {
  const metrics = new MetricsService(
    { current: () => null } as unknown as ActiveModel,
    { lastReport: () => null } as unknown as DriftService,
    { lastReport: () => last } as unknown as PerformanceService,
    { problems: () => storage } as unknown as StorageHealthService,
  );
  return metrics.render();
}

/** The value of one sample line, or null when the line is absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

describe('MetricsService: performance gauges', () => {
  it('exports the live calibration figures and the label-free estimate of the last report', async () => {
    const last = report(synthetic(2, 1000, truth, balanced));
    const text = await scrape(last);
    for (const metric of ['log_loss', 'ece', 'mean_predicted', 'base_rate'] as const) {
      expect(sample(text, `live_performance{metric="${metric}"}`)).toBeCloseTo(last.calibration.live![metric], 12);
    }
    expect(sample(text, 'live_performance{metric="roc_auc"}')).toBeCloseTo(last.live!.roc_auc, 12);
    expect(sample(text, 'live_performance_degraded{check="overall"}')).toBe(0);
    expect(sample(text, 'live_performance_degraded{check="calibration"}')).toBe(0);
    for (const metric of ['accuracy', 'f1_score', 'roc_auc', 'brier_score', 'log_loss'] as const) {
      expect(sample(text, `expected_performance{metric="${metric}"}`)).toBeCloseTo(last.expected.estimate![metric]!, 12);
    }
    expect(text).toContain('# TYPE expected_performance gauge');
  });

  it('says 1 when calibration collapsed', async () => {
    const text = await scrape(report(collapse(3, 1000)));
    expect(sample(text, 'live_performance_degraded{check="overall"}')).toBe(1);
    expect(sample(text, 'live_performance_degraded{check="calibration"}')).toBe(1);
  });

  it('exports nothing it does not know: no labels, no live or degraded series; too few predictions, no estimate', async () => {
    const none = { actual: new Uint8Array(0), probabilities: new Float64Array(0), decisions: new Uint8Array(0) };
    const text = await scrape(report(none, synthetic(4, 50, truth, balanced)));
    expect(text).not.toMatch(/^live_performance\{/m);
    expect(text).not.toMatch(/^live_performance_degraded/m);
    expect(text).not.toMatch(/^expected_performance\{/m);
    expect(await scrape(null)).not.toMatch(/^(live|expected)_performance/m);
  });
});

describe('MetricsService: storage_healthy', () => {
  it('says 1 for what can be written and 0 for what cannot, by what', async () => {
    expect(sample(await scrape(null), 'storage_healthy{what="logs"}')).toBe(1);
    expect(sample(await scrape(null), 'storage_healthy{what="models"}')).toBe(1);
    const text = await scrape(null, { logs: 'storage/logs is full (12 KiB free)', models: null });
    expect(sample(text, 'storage_healthy{what="logs"}')).toBe(0);
    expect(sample(text, 'storage_healthy{what="models"}')).toBe(1);
  });
});
