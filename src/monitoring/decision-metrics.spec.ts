import { StorageHealthService } from './storage-health.service';
import { ActiveModel } from '../model-registry/active-model';
import { ModelEvent } from '../model-registry/model-event';
import { DecisionMetrics, HEALING_OUTCOMES } from './decision-metrics';
import { DriftService } from './drift.service';
import { MetricsService } from './metrics.service';
import { PerformanceService } from './performance.service';

function setUp() {
  const metrics = new MetricsService(
    { current: () => null } as unknown as ActiveModel,
    { lastReport: () => null } as unknown as DriftService,
    { lastReport: () => null } as unknown as PerformanceService,
    { problems: () => [] } as unknown as StorageHealthService,
  );
  let listener: ((event: ModelEvent) => void) | undefined;
  const decisions = new DecisionMetrics(metrics, { onDecision: (l) => (listener = l) });
  const decide = (type: string, actor: ModelEvent['actor']) =>
    listener!({ time: '2024-01-01T00:00:00.000Z', type: type as ModelEvent['type'], actor, reason: 'r' });
  return { metrics, decisions, decide };
}

/** The value of one sample line, or null when the line is absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

describe('DecisionMetrics', () => {
  it('starts every series at 0, so increase() sees the first decision', async () => {
    const text = await setUp().metrics.render();
    for (const outcome of HEALING_OUTCOMES) expect(sample(text, `healing_runs_total{outcome="${outcome}"}`)).toBe(0);
    for (const name of ['model_promotions_total', 'model_rollbacks_total', 'model_rejections_total', 'model_challengers_held_total']) {
      expect(text).toContain(`# TYPE ${name} counter`);
      for (const actor of ['auto', 'cli', 'api']) expect(sample(text, `${name}{actor="${actor}"}`)).toBe(0);
    }
  });

  it('counts runs by outcome and written decisions by type and actor', async () => {
    const { metrics, decisions, decide } = setUp();
    decisions.countHealingRun('promoted');
    decisions.countHealingRun('skipped');
    decisions.countHealingRun('skipped');
    decide('promoted', 'auto');
    decide('promoted', 'api');
    decide('promoted', 'auto');
    decide('rolled_back', 'auto');
    decide('rejected', 'cli');
    decide('held', 'auto');
    decide('trained', 'auto');
    decide('heal_skipped', 'auto');
    const text = await metrics.render();
    expect(sample(text, 'healing_runs_total{outcome="promoted"}')).toBe(1);
    expect(sample(text, 'healing_runs_total{outcome="skipped"}')).toBe(2);
    expect(sample(text, 'healing_runs_total{outcome="failed"}')).toBe(0);
    expect(sample(text, 'model_promotions_total{actor="auto"}')).toBe(2);
    expect(sample(text, 'model_promotions_total{actor="api"}')).toBe(1);
    expect(sample(text, 'model_rollbacks_total{actor="auto"}')).toBe(1);
    expect(sample(text, 'model_rejections_total{actor="cli"}')).toBe(1);
    expect(sample(text, 'model_challengers_held_total{actor="auto"}')).toBe(1);
    expect(text).not.toMatch(/trained|heal_skipped/);
  });
});
