import { ConflictException, HttpException, Inject, Injectable, Logger, Optional, ServiceUnavailableException } from '@nestjs/common';
import { FleetLock, LocalFleetLock } from '../common/fleet-lock';
import { storageFaultCode } from '../common/storage-fault';
import { APP_CONFIG, AppConfig, ConfigError, HealingConfig } from '../config/app-config';
import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import { DATASET_SCHEMA } from '../data/schema-file';
import { ActiveModel } from '../model-registry/active-model';
import { ModelCatalog } from '../model-registry/model-catalog';
import { EventActor } from '../model-registry/model-event';
import { ModelLifecycle } from '../model-registry/model-lifecycle';
import { LoadedModel } from '../model-registry/model-version';
import { TrainingRows } from '../model-registry/provenance';
import { MonitoringStatus, MonitoringStatusService } from '../monitoring/monitoring-status.service';
import { HistoryItem } from '../predictions/prediction-history';
import { PredictionReader } from '../predictions/prediction-reader';
import { searchCandidates } from './challenger-candidates';
import { ChallengerData, LabelledPrediction, buildChallengerData, rowsBeforeServed } from './challenger-data';
import { SearchOutcome } from './challenger-search';
import { ChallengerTrainer } from './challenger-training';
import { pastSearchEvidence } from './search-evidence';
import {
  healNeed,
  holdoutShortfall,
  labelledAfter,
  labelsConsideredUntil,
  reasonNotToHeal,
  reasonToHold,
  skipKey,
  watchEvidence,
} from './healing-policy';
import { GateJudgement, GateRules, judgeChallenger } from './statistics/challenger-gate';
import { DEFAULT_EVIDENCE_RULES, EvidenceRules } from './statistics/model-comparison';
import { judgeWatch } from './statistics/watch-verdict';

/** What healing reads and changes of the models: narrow views of the registry's services. */
export type ServingModel = Pick<ActiveModel, 'current' | 'whyUnavailable'>;
export type ModelChanges = Pick<
  ModelLifecycle,
  'saveTrained' | 'promote' | 'reject' | 'hold' | 'rollback' | 'holdRollback' | 'passWatch' | 'recordDecision'
>;
export type ModelHistory = Pick<ModelCatalog, 'state' | 'latestEvents' | 'loadVersion' | 'trainingRowsOf'>;
export type StatusSource = Pick<MonitoringStatusService, 'status'>;

/** held: the gate (or the watch) called for a change the policy leaves to an admin (see reasonToHold). */
export type HealingAction = 'promoted' | 'rejected' | 'held' | 'skipped' | 'failed' | 'rolled_back' | 'watching' | 'watch_passed';

/** Lets queued requests run between the synchronous steps of a run (the fit itself is in a worker). */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

type RunBasics = { champion: string; status: MonitoringStatus['status']; new_labels: number };

export interface HealingOutcome {
  action: HealingAction;
  reason: string;
  champion: string | null;
  challenger?: string;
  active: string | null;
  status?: MonitoringStatus['status'];
  new_labels?: number;
  gate?: GateJudgement;
  /** Which candidate the search chose, and how every candidate scored on the validation rows. */
  search?: SearchOutcome;
  counts?: Record<string, number>;
  duration_ms: number;
}

/**
 * The gate and the watch each rest one verdict on two tests (the proper score's paired interval
 * and DeLong's ROC-AUC test): either can call a model worse. So that the verdict "shown worse"
 * errs at most 5% of the time for the pair, as a single test at 95% would (Bonferroni), each test
 * runs at 97.5%. At 95% each, a loop judging every new chunk twice (gate, then watch) calls a
 * refresh that is no worse "worse" about one time in five, and every such call keeps (or puts
 * back) a model fitted on older labels.
 */
const FAMILY_CONFIDENCE = 0.95;
const PER_TEST_CONFIDENCE = 1 - (1 - FAMILY_CONFIDENCE) / 2;

/** Another replica is healing now (a shared database): 409 to a request; the loop skips its tick. */
export class HealingElsewhere extends ConflictException {
  constructor() {
    super('a healing run is already in progress on another replica');
  }
}

/** A platt or isotonic candidate fits its map on this newest share of its training rows. */
const CALIBRATION_SHARE = 0.2;

/**
 * The self-healing loop's decisions. A run first settles a watch in progress (a new champion
 * that loses to the one it replaced is rolled back), then, when monitoring says drifting or
 * degraded and enough new outcomes arrived, trains a challenger on recent labelled predictions
 * and promotes it only when it wins on the newest ones. One run at a time.
 */
@Injectable()
export class HealingService {
  private readonly logger = new Logger(HealingService.name);
  private readonly settings: HealingConfig;
  /** What the gate and the watch need before they decide anything, and how they judge. */
  private readonly evidence: EvidenceRules;
  private running = false;
  private readonly runListeners: Array<(outcome: HealingAction | 'error') => void> = [];
  /** Labelled predictions at or before this timestamp were already considered by a run. */
  private labelsConsideredUntil: string | null | undefined;
  private lastAutoSkip = '';
  private championRowsCache: { version: string; rows: TrainingRows } | null = null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DATASET_SCHEMA) private readonly schema: DatasetSchema,
    @Inject(ActiveModel) private readonly serving: ServingModel,
    @Inject(ModelLifecycle) private readonly changes: ModelChanges,
    @Inject(ModelCatalog) private readonly models: ModelHistory,
    private readonly predictions: PredictionReader,
    @Inject(MonitoringStatusService) private readonly monitoring: StatusSource,
    private readonly trainer: ChallengerTrainer,
    @Optional() private readonly fleet: FleetLock = new LocalFleetLock(),
  ) {
    this.settings = config.healing;
    this.evidence = {
      ...DEFAULT_EVIDENCE_RULES,
      minPositives: this.settings.minPositives,
      minNegatives: this.settings.minNegatives,
      score: this.settings.gateScore,
      confidence: PER_TEST_CONFIDENCE,
      bootstrap: { ...DEFAULT_EVIDENCE_RULES.bootstrap, seed: config.seed },
    };
    try {
      searchCandidates(
        this.settings.specs,
        this.settings.searchWindows,
        { time_level: [], drifted: [] },
        this.settings.window,
        schema.features,
      );
    } catch (err) {
      throw new ConfigError('HEAL_SPECS', (err as Error).message, this.settings.specs.join(','));
    }
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Tells `listener` how every run from now on ended (`error`: it threw); metrics count them. */
  onRun(listener: (outcome: HealingAction | 'error') => void): void {
    this.runListeners.push(listener);
  }

  async run(actor: EventActor): Promise<HealingOutcome> {
    if (this.running) throw new ConflictException('a healing run is already in progress');
    this.running = true;
    const started = performance.now();
    let action: HealingAction | 'error' = 'error';
    let elsewhere = false;
    try {
      // One healer in the fleet: another replica's run in progress is a 409 too (the loop skips on it).
      const run = await this.fleet.tryWhileHeld('healing', () => this.runOnce(actor));
      if (!run.ran) {
        elsewhere = true;
        throw new HealingElsewhere();
      }
      const outcome = run.value;
      action = outcome.action;
      return { ...outcome, duration_ms: performance.now() - started };
    } catch (err) {
      if (err instanceof HttpException || storageFaultCode(err) === null) throw err;
      throw new ServiceUnavailableException(`the storage cannot be written: ${(err as Error).message}`, { cause: err });
    } finally {
      this.running = false;
      // Another replica's run is counted there, not as an error here.
      if (!elsewhere) for (const listener of this.runListeners) listener(action);
    }
  }

  private async runOnce(actor: EventActor): Promise<Omit<HealingOutcome, 'duration_ms'>> {
    const champion = this.serving.current();
    if (!champion) throw new ServiceUnavailableException(`no model is available: ${this.serving.whyUnavailable()}`);
    const watch = await this.settleWatch(champion, actor);
    if (watch && (watch.action === 'rolled_back' || watch.action === 'held')) return watch;

    const status = this.monitoring.status();
    await yieldToRequests();
    const since = await this.considerationStart();
    const labelled = this.predictions.latestLabelled(this.predictions.capacity);
    const newLabels = labelledAfter(labelled, since);
    const trigger = {
      status: status.status,
      need: healNeed(status.status),
      reasons: status.reasons,
      new_labels: newLabels.length,
      labels_until: newLabels.length > 0 ? newLabels[newLabels.length - 1].entry.timestamp : since,
      drifted_features: status.drift.drifted_features,
      live_roc_auc: status.performance.live?.roc_auc ?? null,
    };
    const base = { champion: champion.version, status: status.status, new_labels: newLabels.length };

    const notNow = reasonNotToHeal(status.status, newLabels.length, this.settings.minLabels, this.settings.refreshLabels);
    if (notNow !== null) return this.skip(actor, notNow, trigger, base, watch);
    // Decided now, before any training: what a promotion would rest on (the labels served since
    // the champion's training) and whether the champion collapsed without drift.
    const basis = labelledAfter(labelled, champion.metadata.trained_until ?? null);
    const hold = reasonToHold(
      {
        labels: basis.length,
        anonymousLabels: countAnonymous(basis),
        liveRocAuc: status.performance.live?.roc_auc ?? null,
        baselineRocAuc: champion.baselineMetrics.validation.roc_auc,
        inputsDrifted: status.drift.verdict === 'drift' || status.drift.drifted_features.length > 0,
      },
      this.settings.holdAucDrop,
    );
    try {
      const data = await this.challengerData(champion, labelled, newLabels.length);
      // Too few of an outcome to judge anything: the labels stay new, so the next run has more.
      const shortfall = holdoutShortfall(
        Uint8Array.from(data.holdout, (row) => row.label),
        this.minimum(),
      );
      if (shortfall !== null) return this.skip(actor, `${status.status}, but ${shortfall}`, trigger, base, watch);
      this.labelsConsideredUntil = trigger.labels_until;
      return await this.trainAndJudge(champion, data, actor, { ...trigger, hold }, base);
    } catch (err) {
      if (storageFaultCode(err) !== null) throw err; // the 503 says it; no event can be written either
      this.labelsConsideredUntil = trigger.labels_until;
      const reason = `challenger training failed: ${(err as Error).message}`;
      this.logger.warn(reason);
      await this.changes.recordDecision({ type: 'heal_failed', actor, version: null, reason, trigger });
      return { ...base, action: 'failed', reason, active: this.serving.current()?.version ?? null };
    }
  }

  private minimum(): { positives: number; negatives: number } {
    return { positives: this.settings.minPositives, negatives: this.settings.minNegatives };
  }

  /**
   * The rows before the champion's trained_until (its training rows, or the served history when
   * that reaches further back), then the labelled predictions it has not learned from, oldest first.
   */
  private async challengerData(champion: LoadedModel, labelled: HistoryItem[], newCount: number): Promise<ChallengerData> {
    const until = champion.metadata.trained_until ?? null;
    const toRow = (item: HistoryItem): LabelledPrediction => ({
      record: item.entry.input,
      label: item.actual!,
      timestamp: item.entry.timestamp,
    });
    const served = labelledAfter(labelled, until).map(toRow);
    const servedBefore = until === null ? [] : labelled.filter((item) => item.entry.timestamp <= until).map(toRow);
    const championRows = await this.championRows(champion.version);
    await yieldToRequests();
    return buildChallengerData(rowsBeforeServed(championRows, servedBefore), served, this.settings, newCount);
  }

  private async trainAndJudge(
    champion: LoadedModel,
    data: ChallengerData,
    actor: EventActor,
    trigger: Record<string, unknown>,
    base: RunBasics,
  ): Promise<Omit<HealingOutcome, 'duration_ms'>> {
    const knownClasses: Record<string, readonly string[]> = {};
    for (const [name, encoder] of Object.entries(champion.preprocessor.encoders)) knownClasses[name] = encoder.classes;
    // The search judges candidates on the new labelled rows before the holdout (at least as many as it holds).
    const beforeHoldout = data.split.train.length;
    const validationStart = Math.max(0, beforeHoldout - Math.max(data.holdout.length, data.newBeforeHoldout));

    // What the recent searches showed of each procedure: the search chooses by it with its own rows.
    const past =
      this.settings.searchMemory > 0
        ? pastSearchEvidence(await this.models.latestEvents(1000), this.settings.gateScore, this.settings.searchMemory)
        : undefined;
    await yieldToRequests();
    // The feature sets come from the rows themselves (in the worker), not from drift against this champion.
    const { trained, refit, refitError, holdout, search } = await this.trainer.train({
      schema: this.schema,
      records: data.records,
      labels: data.labels,
      split: data.split,
      validationStart,
      space: { specs: this.settings.specs, windows: this.settings.searchWindows },
      search: {
        score: this.settings.gateScore,
        budgetMs: this.settings.searchBudgetSeconds * 1000,
        calibrationShare: CALIBRATION_SHARE,
        past,
        default: this.settings.searchDefault,
        confidence: PER_TEST_CONFIDENCE,
      },
      seed: champion.metadata.seed,
      knownClasses,
      champion,
    });

    // Both models score the same holdout rows. A row the champion cannot encode (a category it
    // never saw, NaN) is left out for both, so neither is judged on rows the other did not see.
    const kept = data.holdout.map((_, i) => i).filter((i) => !Number.isNaN(holdout.champion[i]));
    const rules: GateRules = { ...this.evidence, minLossGain: this.settings.minGain, aucTolerance: 0, promoteWhen: this.settings.gateRule };
    const gate = judgeChallenger(
      {
        labels: Uint8Array.from(kept, (i) => data.holdout[i].label),
        championProba: Float64Array.from(kept, (i) => holdout.champion[i]),
        challengerProba: Float64Array.from(kept, (i) => holdout.challenger[i]),
      },
      rules,
    );
    const reason = gate.reasons.join('; ');
    await yieldToRequests();

    // Promoted: the chosen spec refitted with the holdout (the newest labels) among its rows; the
    // gate judged the same spec fitted without them. Rejected: the judged fit is kept as evidence.
    const promote = gate.verdict === 'promote';
    const saved = promote && refit ? refit : trained;
    const newestLabel = data.holdout.length > 0 ? data.holdout[data.holdout.length - 1].timestamp : null;
    const refitNote = !promote ? '' : refit ? `; refitted with the ${data.holdout.length} holdout rows` : `; not refitted (${refitError})`;
    const metadata = await this.changes.saveTrained(
      saved,
      {
        dataFile: null,
        dataSha256: null,
        seed: champion.metadata.seed,
        parentVersion: champion.version,
        reason: `challenger of ${champion.version} (${trigger.status}; search chose ${search.chosen.name}${refitNote})`,
        challenger: true,
        trainedUntil: (saved === refit ? newestLabel : data.trainedUntil) ?? champion.metadata.trained_until ?? null,
        trainingRows: {
          records: saved.split.train.map((i) => data.records[i]),
          labels: Uint8Array.from(saved.split.train, (i) => data.labels[i]),
        },
      },
      actor,
    );
    const searchSummary = {
      chosen: search.chosen.name,
      reason: search.reason,
      // What the next searches add up (search-evidence.ts): the score, the rows, each candidate's procedures and loss.
      score: search.score,
      validation_rows: search.validation_rows,
      elapsed_ms: search.elapsed_ms,
      // The declared default, whether the evidence displaced it, by which candidate and interval.
      default: search.default ?? null,
      features: search.features && {
        time_level: search.features.time_level,
        drifted: search.features.drifted,
        autocorrelation: search.features.autocorrelation,
      },
      candidates: search.candidates,
      refit: promote ? (refit ? { rows: refit.split.train.length, holdout_rows: data.holdout.length } : { error: refitError }) : null,
    };
    const gateFigures = { ...gate, counts: data.counts, search: searchSummary } as unknown as Record<string, unknown>;
    const common = { ...base, challenger: metadata.version, gate, search, counts: data.counts };
    const hold = typeof trigger.hold === 'string' ? trigger.hold : null;
    if (promote && hold !== null) {
      const held = `${reason}; ${hold}: promote it with POST /models/${metadata.version}/promote`;
      await this.changes.hold(metadata.version, { actor, reason: held, gate: gateFigures, trigger });
      this.logger.warn(`held ${metadata.version} (${search.chosen.name}) for an admin: ${hold}`);
      return { ...common, action: 'held', reason: held, active: champion.version };
    }
    if (promote) {
      await this.changes.promote(metadata.version, { actor, reason, gate: gateFigures, trigger });
      this.logger.log(`promoted ${metadata.version} (${search.chosen.name}) over ${champion.version}: ${reason}`);
      return { ...common, action: 'promoted', reason, active: metadata.version };
    }
    await this.changes.reject(metadata.version, { actor, reason, gate: gateFigures, trigger });
    this.logger.log(`rejected ${metadata.version} (${search.chosen.name}): ${reason}`);
    return { ...common, action: 'rejected', reason, active: champion.version };
  }

  /**
   * A promoted champion is watched over its first WATCH_LABELS labelled predictions; both it and
   * the champion it replaced score those rows, and it is rolled back if it loses by more than
   * HEAL_MIN_GAIN.
   */
  async settleWatch(champion: LoadedModel, actor: EventActor): Promise<Omit<HealingOutcome, 'duration_ms'> | null> {
    const state = await this.models.state();
    const watch = state?.watch;
    if (!watch || watch.champion !== champion.version) return null;
    const base = { champion: champion.version, active: champion.version };
    const evidence = watchEvidence(watch, this.predictions.latestLabelled(this.predictions.capacity), this.minimum());
    if (!evidence.ready) return { ...base, action: 'watching', reason: evidence.reason };
    const previous = await this.models.loadVersion(watch.previous);
    const rows = evidence.rows.filter((item) => previous.preprocessor.findUnknownCategory(item.entry.input) === null);
    const judgement = judgeWatch(
      {
        labels: Uint8Array.from(rows, (item) => item.actual!),
        currentProba: Float64Array.from(rows, (item) => item.entry.probability),
        previousProba: Float64Array.from(rows, (item) => this.probability(previous, item.entry.input)),
      },
      { ...this.evidence, lossTolerance: 0, aucTolerance: 0 },
    );
    const reason = judgement.reasons.join('; ');
    const gate = judgement as unknown as Record<string, unknown>;
    // Undecided: the rows left out (unknown to the previous model) took an outcome below its minimum.
    if (judgement.verdict === 'undecided') return { ...base, action: 'watching', reason: `watching ${watch.champion}: ${reason}` };
    // A rollback on anonymous outcomes waits for an admin too: anyone could have sent them.
    const anonymous = countAnonymous(rows);
    if (judgement.verdict === 'rollback' && anonymous > 0) {
      const held =
        `${reason}; held for an admin: ${anonymous} of the ${rows.length} outcomes it rests on came from anonymous feedback` +
        ` (no FEEDBACK_TOKEN): roll back with POST /models/rollback`;
      await this.changes.holdRollback({ actor, reason: held, gate });
      this.logger.warn(`the watch of ${watch.champion} called for a rollback, held for an admin (anonymous outcomes)`);
      return { ...base, action: 'held', reason: held };
    }
    if (judgement.verdict === 'rollback') {
      await this.changes.rollback({ actor, reason, rejectCurrent: true, gate });
      this.logger.warn(`rolled back ${watch.champion} to ${watch.previous}: ${reason}`);
      return { ...base, action: 'rolled_back', reason, active: watch.previous };
    }
    await this.changes.passWatch(watch.champion, { actor, reason, gate });
    return { ...base, action: 'watch_passed', reason };
  }

  private async skip(
    actor: EventActor,
    reason: string,
    trigger: Record<string, unknown>,
    base: RunBasics,
    watch: Omit<HealingOutcome, 'duration_ms'> | null,
  ): Promise<Omit<HealingOutcome, 'duration_ms'>> {
    // The loop runs every minute: record its skips only when the reason changes.
    const key = skipKey(String(trigger.status), reason);
    if (actor !== 'auto' || key !== this.lastAutoSkip) {
      await this.changes.recordDecision({ type: 'heal_skipped', actor, version: null, reason, trigger });
    }
    if (actor === 'auto') this.lastAutoSkip = key;
    const fullReason = watch ? `${reason}; ${watch.reason}` : reason;
    return { ...base, action: watch?.action === 'watch_passed' ? 'watch_passed' : 'skipped', reason: fullReason, active: base.champion };
  }

  /** Where the last run stopped considering labels: in memory, else from the audit trail. */
  private async considerationStart(): Promise<string | null> {
    if (this.labelsConsideredUntil === undefined) {
      this.labelsConsideredUntil = labelsConsideredUntil(await this.models.latestEvents(1000));
    }
    return this.labelsConsideredUntil;
  }

  private async championRows(version: string): Promise<TrainingRows> {
    if (this.championRowsCache?.version !== version) {
      this.championRowsCache = { version, rows: await this.models.trainingRowsOf(version) };
    }
    return this.championRowsCache.rows;
  }

  private probability(model: LoadedModel, record: FeatureRecord): number {
    return model.model.probability(model.preprocessor.transform(record));
  }
}

function countAnonymous(items: readonly HistoryItem[]): number {
  let count = 0;
  for (const item of items) if (item.anonymous) count++;
  return count;
}
