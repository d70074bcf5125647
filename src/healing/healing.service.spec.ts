import { BANK_SCHEMA } from '../data/testing/bank-schema';
import { ConflictException, ServiceUnavailableException } from '@nestjs/common';
import * as path from 'node:path';
import { loadConfig } from '../config/app-config';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { Dataset } from '../data/dataset';
import { ModelEvent } from '../model-registry/model-event';
import { LoadedModel, ModelMetadata } from '../model-registry/model-version';
import { RegistryState } from '../model-registry/registry-state';
import { MonitoringStatus, MonitoringVerdict } from '../monitoring/monitoring-status.service';
import { HistoryItem } from '../predictions/prediction-history';
import { PredictionReader } from '../predictions/prediction-reader';
import { TrainedModel, trainModel } from '../training/training-pipeline';
import { ChallengerInput, ChallengerResult, ChallengerTrainer } from './challenger-training';
import { ConfigError } from '../config/app-config';
import { HealingService, ModelChanges, ModelHistory, ServingModel, StatusSource } from './healing.service';

const SMALL_DATA = path.join(__dirname, '..', '..', 'data', 'bank-additional.csv');
const T0 = Date.parse('2024-05-01T00:00:00.000Z');
const at = (second: number) => new Date(T0 + second * 1000).toISOString();

let dataset: Dataset;
let trained: TrainedModel;

beforeAll(async () => {
  dataset = await loadCsvDataset(SMALL_DATA, BANK_SCHEMA);
  trained = trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, seed: 42 });
});

function loaded(version: string, trainedUntil: string | null = null): LoadedModel {
  return {
    version,
    model: trained.model,
    preprocessor: trained.preprocessor,
    metadata: { version, seed: 42, trained_until: trainedUntil } as ModelMetadata,
    baselineMetrics: trained.metrics,
    stats: trained.stats,
  };
}

/** Served predictions of rows [from, to) of the small file, one a second, each with its outcome. */
function served(from: number, to: number, version = 'v1', labelled = true): HistoryItem[] {
  const items: HistoryItem[] = [];
  for (let i = from; i < to; i++) {
    const probability = trained.model.probability(trained.preprocessor.transform(dataset.records[i]));
    items.push({
      entry: {
        request_id: `r${i}`,
        timestamp: at(i),
        model_version: version,
        input: dataset.records[i],
        prediction: probability > 0.5 ? 1 : 0,
        probability,
        latency_ms: 0,
      },
      actual: labelled ? (dataset.labels[i] as 0 | 1) : null,
      sequence: i,
      anonymous: false,
    });
  }
  return items;
}

class FakePredictions extends PredictionReader {
  readonly capacity = 100_000;
  items: HistoryItem[] = [];
  latest(n: number): HistoryItem[] {
    return this.items.slice(-n);
  }
  latestLabelled(n: number): HistoryItem[] {
    return this.items.filter((item) => item.actual !== null).slice(-n);
  }
  between(): HistoryItem[] {
    return this.items;
  }
  get(requestId: string): HistoryItem | undefined {
    return this.items.find((item) => item.entry.request_id === requestId);
  }
  writeProblem(): string | null {
    return null;
  }
}

/** What monitoring says; `live`: the champion's live ROC-AUC, `drifted`: features that drifted. */
function statusSaying(status: MonitoringVerdict, seen: { liveRocAuc?: number; drifted?: string[] } = {}): StatusSource {
  const drifted = seen.drifted ?? [];
  return {
    status: (): MonitoringStatus => ({
      status,
      model_version: 'v1',
      reasons: status === 'drifting' ? ['3 of 19 features drifted (euribor3m, ...)'] : [],
      drift: {
        verdict: drifted.length > 0 ? 'drift' : 'no_drift',
        dataset_drift: drifted.length > 0,
        window_size: 1000,
        drifted_features: drifted,
        share_drifted_features: 0,
        prediction_drift: false,
      },
      performance: {
        verdict: 'healthy',
        n_labelled: 0,
        live: seen.liveRocAuc === undefined ? null : ({ roc_auc: seen.liveRocAuc } as MonitoringStatus['performance']['live']),
        calibration: { verdict: 'insufficient_data', reasons: [], skipped: [] },
        expected: {
          triggers_heal: false,
          window_size: 0,
          accuracy: null,
          f1_score: null,
          roc_auc: null,
          brier_score: null,
          baseline_accuracy: null,
        },
      },
      generated_at: at(0),
    }),
  };
}

/** Every change healing asks of the registry, in order. */
class FakeChanges implements ModelChanges {
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  private next = 2;
  private log(method: string, args: unknown[]) {
    this.calls.push({ method, args });
  }
  methods = () => this.calls.map((c) => c.method);
  async saveTrained(...args: unknown[]): Promise<ModelMetadata> {
    this.log('saveTrained', args);
    return { version: `v${this.next++}` } as ModelMetadata;
  }
  async promote(...args: unknown[]): Promise<RegistryState> {
    this.log('promote', args);
    return {} as RegistryState;
  }
  async reject(...args: unknown[]): Promise<void> {
    this.log('reject', args);
  }
  async hold(...args: unknown[]): Promise<void> {
    this.log('hold', args);
  }
  async holdRollback(...args: unknown[]): Promise<void> {
    this.log('holdRollback', args);
  }
  async rollback(...args: unknown[]): Promise<RegistryState> {
    this.log('rollback', args);
    return {} as RegistryState;
  }
  async passWatch(...args: unknown[]): Promise<void> {
    this.log('passWatch', args);
  }
  async recordDecision(event: Omit<ModelEvent, 'time'>): Promise<void> {
    this.log('recordDecision', [event]);
  }
}

type Verdict = 'wins' | 'loses' | 'fails';

const refitted = (): TrainedModel => ({ ...trained, split: { ...trained.split, train: trained.split.train.slice(0, 1700) } });

/** A challenger whose holdout scores are made to win or lose against a champion that says 0.5 everywhere. */
class FakeTrainer extends ChallengerTrainer {
  inputs: ChallengerInput[] = [];
  /** What the refit with the holdout gives: a model, or null with this error. */
  refitError: string | null = null;
  constructor(public verdict: Verdict) {
    super();
  }
  async train(input: ChallengerInput): Promise<ChallengerResult> {
    this.inputs.push(input);
    if (this.verdict === 'fails') throw new Error('training rows hold one class only (0 of 40 positive)');
    const labels = input.split.validation.map((i) => input.labels[i]);
    const right = (label: number) => (label === 1 ? 0.9 : 0.1);
    const chosen = { name: 'one_hot/without_time_level/1500', spec: trained.params.spec, window: 1500 };
    return {
      search: {
        chosen,
        reason: 'the last one',
        score: 'brier',
        validation_rows: 0,
        candidates: [],
        elapsed_ms: 1,
        budget_ms: 60_000,
        default: {
          asked: 'one_hot/10000',
          name: chosen.name,
          displaced: false,
          by: null,
          evidence: null,
          shown_better: 0,
          confidence: 0.975,
        },
      },
      trained,
      refit: this.refitError === null ? refitted() : null,
      refitError: this.refitError,
      holdout: {
        challenger: Float64Array.from(labels, (label) => (this.verdict === 'wins' ? right(label) : 1 - right(label))),
        champion: new Float64Array(labels.length).fill(0.5),
      },
    };
  }
}

interface World {
  service: HealingService;
  changes: FakeChanges;
  predictions: FakePredictions;
  trainer: FakeTrainer;
  registry: { state: RegistryState | null; events: ModelEvent[] };
}

function world(
  options: {
    status?: MonitoringVerdict;
    verdict?: Verdict;
    champion?: LoadedModel | null;
    events?: ModelEvent[];
    env?: Record<string, string>;
    seen?: { liveRocAuc?: number; drifted?: string[] };
  } = {},
): World {
  const config = loadConfig({
    HEAL_MIN_LABELS: '50',
    WATCH_LABELS: '40',
    HEAL_HOLDOUT_SHARE: '0.3',
    HEAL_MIN_POSITIVES: '2',
    HEAL_MIN_NEGATIVES: '2',
    // No scheduled refresh unless a test asks for one: most tests are about the need monitoring sees.
    HEAL_REFRESH_LABELS: '0',
    ...options.env,
  });
  const champion = options.champion === undefined ? loaded('v1') : options.champion;
  const serving: ServingModel = { current: () => champion, whyUnavailable: () => 'no model has been trained yet' };
  const registry = { state: null as RegistryState | null, events: options.events ?? [] };
  const models: ModelHistory = {
    state: async () => registry.state,
    latestEvents: async () => registry.events,
    loadVersion: async (version: string) => loaded(version),
    trainingRowsOf: async () => ({ records: dataset.records.slice(0, 1500), labels: dataset.labels.slice(0, 1500) }),
  };
  const changes = new FakeChanges();
  const predictions = new FakePredictions();
  const trainer = new FakeTrainer(options.verdict ?? 'wins');
  const service = new HealingService(
    config,
    BANK_SCHEMA,
    serving,
    changes,
    models,
    predictions,
    statusSaying(options.status ?? 'drifting', options.seen),
    trainer,
  );
  return { service, changes, predictions, trainer, registry };
}

const decision = (changes: FakeChanges, i = -1) => changes.calls.filter((c) => c.method === 'recordDecision').at(i)?.args[0] as ModelEvent;

describe('HealingService', () => {
  it('without a model to heal: 503 saying why', async () => {
    const { service } = world({ champion: null });
    await expect(service.run('api')).rejects.toThrow(
      new ServiceUnavailableException('no model is available: no model has been trained yet'),
    );
  });

  it('tells onRun listeners how each run ended, a run that threw as error (a refused second run is no run)', async () => {
    const ended: string[] = [];
    const healthy = world({ status: 'healthy' });
    healthy.service.onRun((outcome) => ended.push(outcome));
    await healthy.service.run('auto');
    const promoting = world({ verdict: 'wins' });
    promoting.service.onRun((outcome) => ended.push(outcome));
    promoting.predictions.items = served(2000, 2200);
    const first = promoting.service.run('api');
    await expect(promoting.service.run('api')).rejects.toBeInstanceOf(ConflictException);
    await first;
    const empty = world({ champion: null });
    empty.service.onRun((outcome) => ended.push(outcome));
    await expect(empty.service.run('api')).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(ended).toEqual(['skipped', 'promoted', 'error']);
  });

  it('one run at a time: a second run while one is in progress is a 409', async () => {
    const { service, predictions } = world();
    predictions.items = served(2000, 2200);
    const first = service.run('api');
    await expect(service.run('api')).rejects.toBeInstanceOf(ConflictException);
    await first;
  });

  describe('skips', () => {
    it('a healthy service: skipped, recorded with the monitoring verdict', async () => {
      const { service, changes } = world({ status: 'healthy' });
      const outcome = await service.run('api');
      expect(outcome).toMatchObject({
        action: 'skipped',
        reason: 'monitoring says healthy: nothing to heal',
        champion: 'v1',
        active: 'v1',
      });
      expect(changes.methods()).toEqual(['recordDecision']);
      expect(decision(changes)).toMatchObject({ type: 'heal_skipped', actor: 'api', trigger: { status: 'healthy', new_labels: 0 } });
    });

    it('drifting with too few new labels: skipped, naming HEAL_MIN_LABELS', async () => {
      const { service, predictions, trainer } = world();
      predictions.items = served(2000, 2030);
      const outcome = await service.run('auto');
      expect(outcome.action).toBe('skipped');
      expect(outcome.reason).toBe('drifting, but only 30 labelled predictions are new since the last run (HEAL_MIN_LABELS is 50)');
      expect(trainer.inputs).toEqual([]);
    });

    it("the loop records a skip once per reason, whatever its counts; a person's run is always recorded", async () => {
      const { service, predictions, changes } = world();
      predictions.items = served(2000, 2010);
      await service.run('auto');
      predictions.items = served(2000, 2020); // "only 20 new" is the same reason as "only 10 new"
      await service.run('auto');
      expect(changes.methods()).toEqual(['recordDecision']);
      await service.run('api');
      expect(changes.methods()).toEqual(['recordDecision', 'recordDecision']);
    });

    it('a changed reason is recorded again', async () => {
      const w = world();
      w.predictions.items = served(2000, 2010);
      await w.service.run('auto');
      const healthy = world({ status: 'healthy' });
      // Same service, new verdict: swap the status source by building on the same fakes.
      const service = new HealingService(
        loadConfig({ HEAL_MIN_LABELS: '50', HEAL_REFRESH_LABELS: '0' }),
        BANK_SCHEMA,
        { current: () => loaded('v1'), whyUnavailable: () => '' },
        w.changes,
        {
          state: async () => null,
          latestEvents: async () => [],
          loadVersion: async (v: string) => loaded(v),
          trainingRowsOf: async () => ({ records: [], labels: new Uint8Array() }),
        },
        w.predictions,
        statusSaying('healthy'),
        healthy.trainer,
      );
      await service.run('auto');
      await service.run('auto');
      expect(w.changes.methods()).toEqual(['recordDecision', 'recordDecision']);
      expect(decision(w.changes).reason).toBe('monitoring says healthy: nothing to heal');
    });
  });

  describe('a scheduled refresh (HEAL_REFRESH_LABELS)', () => {
    it('a healthy service with enough new labels trains a challenger anyway, gated, and says it was a refresh', async () => {
      const { service, predictions, changes, trainer } = world({ status: 'healthy', verdict: 'wins', env: { HEAL_REFRESH_LABELS: '100' } });
      predictions.items = served(2000, 2200);
      const outcome = await service.run('auto');
      expect(trainer.inputs).toHaveLength(1);
      expect(outcome).toMatchObject({ action: 'promoted', status: 'healthy', new_labels: 200 });
      const [, options] = changes.calls.find((c) => c.method === 'promote')!.args as [
        string,
        { trigger: { need: string; status: string } },
      ];
      expect(options.trigger).toMatchObject({ need: 'refresh', status: 'healthy' });
    });

    it('a refreshed challenger shown worse is still rejected: the refresh is gated', async () => {
      const { service, predictions, changes } = world({ status: 'healthy', verdict: 'loses', env: { HEAL_REFRESH_LABELS: '100' } });
      predictions.items = served(2000, 2200);
      expect((await service.run('auto')).action).toBe('rejected');
      expect(changes.methods()).not.toContain('promote');
    });

    it('a healthy service with fewer new labels than the refresh needs skips, naming HEAL_REFRESH_LABELS', async () => {
      const { service, predictions, trainer } = world({ status: 'healthy', env: { HEAL_REFRESH_LABELS: '300' } });
      predictions.items = served(2000, 2200);
      const outcome = await service.run('auto');
      expect(outcome.action).toBe('skipped');
      expect(outcome.reason).toBe(
        'monitoring says healthy: nothing to heal before a refresh (200 labelled predictions are new since the last run, HEAL_REFRESH_LABELS is 300)',
      );
      expect(trainer.inputs).toEqual([]);
    });

    it('a refresh on anonymous outcomes is held for an admin like any promotion', async () => {
      const { service, predictions, changes } = world({ status: 'healthy', verdict: 'wins', env: { HEAL_REFRESH_LABELS: '100' } });
      predictions.items = served(2000, 2200).map((item) => ({ ...item, anonymous: true }));
      expect((await service.run('auto')).action).toBe('held');
      expect(changes.methods()).not.toContain('promote');
    });
  });

  describe('holds for an admin', () => {
    const anonymous = (items: HistoryItem[], from = 0) => items.map((item, i) => ({ ...item, anonymous: i >= from }));

    it('a winning challenger trained on anonymous outcomes is held, not promoted, saying why', async () => {
      const { service, predictions, changes } = world({ verdict: 'wins' });
      predictions.items = anonymous(served(2000, 2200), 150);
      const outcome = await service.run('auto');
      expect(outcome).toMatchObject({ action: 'held', challenger: 'v2', active: 'v1' });
      expect(outcome.reason).toMatch(/held for an admin: 50 of the 200 outcomes it rests on came from anonymous feedback/);
      expect(outcome.reason).toMatch(/POST \/models\/v2\/promote/);
      expect(changes.methods()).toEqual(['saveTrained', 'hold']);
      const [version, options] = changes.calls[1].args as [string, { reason: string; gate: unknown; trigger: unknown }];
      expect(version).toBe('v2');
      expect(options.reason).toBe(outcome.reason);
      expect(options.gate).toMatchObject({ verdict: 'promote' });
    });

    it('a losing challenger on anonymous outcomes is rejected as ever (nothing would have changed)', async () => {
      const { service, predictions, changes } = world({ verdict: 'loses' });
      predictions.items = anonymous(served(2000, 2200));
      expect((await service.run('auto')).action).toBe('rejected');
      expect(changes.methods()).toEqual(['saveTrained', 'reject']);
    });

    it('the champion below chance while its inputs did not drift: held, even on trusted outcomes', async () => {
      const { service, predictions, changes } = world({ verdict: 'wins', status: 'degraded', seen: { liveRocAuc: 0.2 } });
      predictions.items = served(2000, 2200);
      const outcome = await service.run('auto');
      expect(outcome.action).toBe('held');
      expect(outcome.reason).toMatch(/live ROC-AUC 0\.2000 is below chance \(0\.5\) while its inputs have not drifted/);
      expect(changes.methods()).toEqual(['saveTrained', 'hold']);
    });

    it('the same collapse with drifted inputs is a changed world: promoted', async () => {
      const { service, predictions, changes } = world({
        verdict: 'wins',
        status: 'degraded',
        seen: { liveRocAuc: 0.2, drifted: ['euribor3m'] },
      });
      predictions.items = served(2000, 2200);
      expect((await service.run('auto')).action).toBe('promoted');
      expect(changes.methods()).toEqual(['saveTrained', 'promote']);
    });
  });

  describe('the gate', () => {
    it('a challenger that wins on the newest labels is saved and promoted, with the gate and what set it off', async () => {
      const { service, predictions, changes, trainer } = world({ verdict: 'wins' });
      predictions.items = served(2000, 2200);
      const outcome = await service.run('auto');
      expect(outcome).toMatchObject({ action: 'promoted', champion: 'v1', challenger: 'v2', active: 'v2' });
      expect(changes.methods()).toEqual(['saveTrained', 'promote']);
      // The champion's rows and the older new labels may train it; the newest 30% are its holdout,
      // and the search validates on the 140 new labels before them.
      const input = trainer.inputs[0];
      expect(input.split.validation).toHaveLength(60);
      expect(input.split.train).toHaveLength(1500 + 140);
      expect(input.validationStart).toBe(1500);
      expect(input.space).toEqual({ specs: ['prior', 'one_hot'], windows: [5000, 10_000, 20_000] });
      expect(input.search).toEqual({
        score: 'brier',
        budgetMs: 60_000,
        calibrationShare: 0.2,
        default: { spec: 'one_hot', window: 10_000 },
        confidence: 0.975,
      });
      const [version, options] = changes.calls[1].args as [string, { gate: Record<string, unknown>; trigger: Record<string, unknown> }];
      expect(version).toBe('v2');
      expect(options.gate).toMatchObject({
        verdict: 'promote',
        counts: { holdout: 60 },
        search: {
          chosen: 'one_hot/without_time_level/1500',
          refit: { rows: 1700, holdout_rows: 60 },
          default: { asked: 'one_hot/10000', name: 'one_hot/without_time_level/1500', displaced: false },
        },
      });
      expect(options.gate).toMatchObject({
        loss: { score: 'brier', gain: expect.any(Number) },
        roc_auc: { difference: expect.any(Number) },
      });
      expect(options.trigger).toMatchObject({ status: 'drifting', new_labels: 200, labels_until: at(2199) });
      // What is promoted is the refit with the holdout: it has learned up to the newest label.
      const [saved, provenance] = changes.calls[0].args as [TrainedModel, { parentVersion: string; trainedUntil: string; reason: string }];
      expect(saved.split.train).toHaveLength(1700);
      expect(provenance).toMatchObject({ parentVersion: 'v1', trainedUntil: at(2199) });
      expect(provenance.reason).toBe(
        'challenger of v1 (drifting; search chose one_hot/without_time_level/1500; refitted with the 60 holdout rows)',
      );
    });

    it('when the refit with the holdout fails, the fit the gate judged is promoted, and the event says why', async () => {
      const { service, predictions, changes, trainer } = world({ verdict: 'wins' });
      trainer.refitError = 'needs at least 7 rows of each class';
      predictions.items = served(2000, 2200);
      expect((await service.run('auto')).action).toBe('promoted');
      const [saved, provenance] = changes.calls[0].args as [TrainedModel, { trainedUntil: string; reason: string }];
      expect(saved).toBe(trained);
      expect(provenance.trainedUntil).toBe(at(2139));
      expect(provenance.reason).toMatch(/; not refitted \(needs at least 7 rows of each class\)\)$/);
      const options = changes.calls[1].args[1] as { gate: { search: { refit: unknown } } };
      expect(options.gate.search.refit).toEqual({ error: 'needs at least 7 rows of each class' });
    });

    it('a challenger that loses is saved and rejected, and the champion keeps serving', async () => {
      const { service, predictions, changes } = world({ verdict: 'loses' });
      predictions.items = served(2000, 2200);
      const outcome = await service.run('auto');
      expect(outcome).toMatchObject({ action: 'rejected', challenger: 'v2', active: 'v1' });
      expect(changes.methods()).toEqual(['saveTrained', 'reject']);
      // A rejected challenger is kept as the gate judged it, not refitted.
      expect(changes.calls[0].args[0]).toBe(trained);
      expect(outcome.reason).toMatch(/challenger Brier 0\.8100 vs champion 0\.2500: shown worse/);
      expect(outcome.reason).toMatch(/ROC-AUC .* significantly below/);
    });

    it('a challenger that fails to train: heal_failed is recorded and the champion keeps serving', async () => {
      const { service, predictions, changes } = world({ verdict: 'fails' });
      predictions.items = served(2000, 2200);
      const outcome = await service.run('api');
      expect(outcome).toMatchObject({ action: 'failed', active: 'v1' });
      expect(outcome.reason).toBe('challenger training failed: training rows hold one class only (0 of 40 positive)');
      expect(changes.methods()).toEqual(['recordDecision']);
      expect(decision(changes)).toMatchObject({ type: 'heal_failed', actor: 'api', version: null });
    });

    it('labels a run has considered are not new to the next one', async () => {
      const { service, predictions, changes } = world({ verdict: 'loses' });
      predictions.items = served(2000, 2200);
      await service.run('auto');
      const again = await service.run('auto');
      expect(again.action).toBe('skipped');
      expect(again.reason).toMatch(/only 0 labelled predictions are new/);
      predictions.items = served(2000, 2240);
      expect((await service.run('auto')).reason).toMatch(/only 40 labelled predictions are new/);
      expect(changes.methods().filter((m) => m === 'saveTrained')).toHaveLength(1);
    });

    it('a holdout with too few of an outcome trains nothing, and its labels stay new for the next run', async () => {
      const { service, predictions, changes, trainer } = world({ env: { HEAL_MIN_POSITIVES: '500' } });
      predictions.items = served(2000, 2200);
      const outcome = await service.run('auto');
      expect(outcome.action).toBe('skipped');
      expect(outcome.reason).toMatch(/fewer than HEAL_MIN_POSITIVES \(500\) or HEAL_MIN_NEGATIVES \(2\): waiting for more labels/);
      expect(trainer.inputs).toEqual([]);
      expect(changes.methods()).toEqual(['recordDecision']);
      expect((await service.run('api')).new_labels).toBe(200);
    });

    it('refuses at construction a HEAL_SPECS preset that does not exist, naming the setting', () => {
      expect(() => world({ env: { HEAL_SPECS: 'one_hot,xgboost' } })).toThrow(ConfigError);
      expect(() => world({ env: { HEAL_SPECS: 'one_hot,xgboost' } })).toThrow(/HEAL_SPECS unknown model spec preset 'xgboost'/);
    });

    it('after a restart, where the last run stopped is recovered from the audit trail', async () => {
      const events: ModelEvent[] = [
        { time: at(1), type: 'rejected', actor: 'auto', version: 'v2', reason: 'lost', trigger: { labels_until: at(2180) } },
        { time: at(2), type: 'heal_skipped', actor: 'auto', version: null, reason: 'x', trigger: { labels_until: at(2199) } },
      ];
      const { service, predictions } = world({ events });
      predictions.items = served(2000, 2200);
      const outcome = await service.run('auto');
      expect(outcome.action).toBe('skipped');
      // Only the 19 labels after the rejection's labels_until are new; a skip's trigger does not count.
      expect(outcome.new_labels).toBe(19);
    });

    it('with no such event in the trail, every label is new', async () => {
      const { service, predictions } = world({ verdict: 'loses', events: [] });
      predictions.items = served(2000, 2200);
      expect((await service.run('auto')).new_labels).toBe(200);
    });
  });

  describe('the watch after a promotion', () => {
    const watchOn = (w: World, previous = 'v1') => {
      w.registry.state = {
        active: 'v2',
        previous,
        history: [previous],
        rejected: [],
        held: [],
        watch: { champion: 'v2', previous, started_at: at(3000), labels_needed: 40 },
        updated_at: at(3000),
      };
    };

    it('goes on watching until enough labelled predictions of the new champion arrive', async () => {
      const w = world({ champion: loaded('v2'), status: 'healthy' });
      watchOn(w);
      w.predictions.items = served(3000, 3020, 'v2');
      const outcome = await w.service.run('auto');
      expect(outcome.reason).toMatch(/watching v2: 20 of 40 labelled predictions \(\d+ yes, \d+ no; at least 2 and 2 needed\)/);
      expect(w.changes.methods()).not.toContain('rollback');
      expect(w.changes.methods()).not.toContain('passWatch');
    });

    it('keeps a champion that scores as well as the one it replaced, and records watch_passed', async () => {
      const w = world({ champion: loaded('v2'), status: 'healthy' });
      watchOn(w);
      w.predictions.items = served(3000, 3100, 'v2');
      const outcome = await w.service.run('auto');
      expect(outcome.action).toBe('watch_passed');
      const [version, options] = w.changes.calls.find((c) => c.method === 'passWatch')!.args as [
        string,
        { gate: { verdict: string; n: number } },
      ];
      expect(version).toBe('v2');
      expect(options.gate).toMatchObject({ verdict: 'keep', n: 40 });
    });

    it('rolls back a champion that does worse than the one it replaced on the rows it served, rejecting it', async () => {
      const w = world({ champion: loaded('v2'), status: 'healthy' });
      watchOn(w);
      // The new champion's logged probabilities are inverted: it ranks the served rows backwards.
      w.predictions.items = served(3000, 3100, 'v2').map((item) => ({
        ...item,
        entry: { ...item.entry, probability: 1 - item.entry.probability },
      }));
      const outcome = await w.service.run('auto');
      expect(outcome).toMatchObject({ action: 'rolled_back', active: 'v1' });
      const [options] = w.changes.calls.find((c) => c.method === 'rollback')!.args as [{ rejectCurrent: boolean; reason: string }];
      expect(options.rejectCurrent).toBe(true);
      expect(options.reason).toMatch(/worse/);
    });

    it('a rollback the watch calls for on anonymous outcomes is held: the watch ends, the champion stays', async () => {
      const w = world({ champion: loaded('v2'), status: 'healthy' });
      watchOn(w);
      w.predictions.items = served(3000, 3100, 'v2').map((item) => ({
        ...item,
        anonymous: true,
        entry: { ...item.entry, probability: 1 - item.entry.probability },
      }));
      const outcome = await w.service.run('auto');
      expect(outcome).toMatchObject({ action: 'held', active: 'v2' });
      expect(outcome.reason).toMatch(/held for an admin: 40 of the 40 outcomes .* anonymous .*POST \/models\/rollback/);
      expect(w.changes.methods()).toEqual(['holdRollback']);
    });

    it('ignores a watch of another version than the one serving', async () => {
      const w = world({ champion: loaded('v1'), status: 'healthy' });
      watchOn(w);
      w.predictions.items = served(3000, 3100, 'v2');
      expect((await w.service.run('auto')).action).toBe('skipped');
      expect(w.changes.methods()).toEqual(['recordDecision']);
    });
  });
});
