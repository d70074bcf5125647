import { CATEGORICAL_FEATURES, FeatureRecord } from '../data/dataset-schema';
import { LogisticModel } from '../training/logistic-model';
import { Preprocessor } from '../preprocessing/preprocessor';
import { Calibration, trainModel } from '../training/training-pipeline';
import { PolicyMetrics, policyMetrics } from './replay-metrics';
import { ReplayTarget, StepResult } from './replay-target';

export const POLICIES = ['healed', 'static', 'always_retrain'] as const;
export type Policy = (typeof POLICIES)[number];

export interface ReplayOptions {
  initial: number;
  chunk: number;
  seed: number;
  /** How the healing policy calibrates its challengers; `always_retrain` trains the same way. */
  calibration: Calibration;
}

export interface ChunkReport {
  index: number;
  /** Row range in the data file, [from, to), 0-based over data rows. */
  rows: [number, number];
  positive_rate: number;
  metrics: Record<Policy, PolicyMetrics>;
  /** Which versions served this chunk's healed predictions, and how many each. */
  served_by: Record<string, number>;
  drift: StepResult['drift'];
  status: string;
  heal: StepResult['heal'];
}

export interface ReplayFigures {
  options: ReplayOptions & { rows_replayed: number };
  initial_version: string;
  chunks: ChunkReport[];
  overall: Record<Policy, PolicyMetrics>;
  /** Mean of the per-chunk ROC-AUCs: ranking within each period, free of the base-rate swings between periods. */
  mean_chunk_roc_auc: Record<Policy, number | null>;
  decisions: Array<{ chunk: number; action: string; version: string | null; active: string | null; reason: string }>;
}

interface ScoringModel {
  model: LogisticModel;
  preprocessor: Preprocessor;
}

interface Scored {
  probabilities: Float64Array;
  decisions: Uint8Array;
}

function scoreAll(m: ScoringModel, records: readonly FeatureRecord[]): Scored {
  const probabilities = new Float64Array(records.length);
  const decisions = new Uint8Array(records.length);
  const x = new Float64Array(m.preprocessor.width);
  records.forEach((r, i) => {
    probabilities[i] = m.model.probability(m.preprocessor.transformInto(r, x));
    decisions[i] = probabilities[i] > m.model.threshold ? 1 : 0;
  });
  return { probabilities, decisions };
}

/** `always_retrain`: a fresh model on the most recent rows, all of them used for training. */
function retrainOn(
  records: FeatureRecord[],
  labels: Uint8Array,
  seed: number,
  knownClasses: Record<string, readonly string[]>,
  calibration: Calibration,
): ScoringModel {
  const all = Array.from({ length: records.length }, (_, i) => i);
  const tail = all.slice(Math.floor(records.length * 0.85)); // only feeds the reference statistics
  return trainModel({ records, labels, seed, split: { train: all, validation: tail, test: tail }, knownClasses, calibration });
}

function categoriesOf(records: readonly FeatureRecord[]): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const name of CATEGORICAL_FEATURES) out[name] = [...new Set(records.map((r) => r[name]))];
  return out;
}

/**
 * Replays labelled history through a service, chunk by chunk in date order: predict (logged),
 * send outcomes, one monitoring + healing step. Beside the healed service, two baselines see the
 * same chunks: `static` (the initial model forever) and `always_retrain` (after every chunk, a
 * model on the latest `initial` labelled rows, promoted with no gate).
 */
export async function runReplay(
  data: { records: FeatureRecord[]; labels: Uint8Array },
  options: ReplayOptions,
  target: ReplayTarget,
  onChunk: (done: number, total: number) => void = () => undefined,
): Promise<ReplayFigures> {
  const { initial, chunk, seed, calibration } = options;
  if (data.records.length <= initial) throw new Error(`the data has ${data.records.length} rows: nothing is left after --initial ${initial}`);
  const initialRows = { records: data.records.slice(0, initial), labels: data.labels.slice(0, initial) };
  // Like `train` on a file, encoders know every category of the file (no target information).
  const known = categoriesOf(data.records);
  const staticModel: ScoringModel = trainModel({ ...initialRows, seed, knownClasses: known });
  let alwaysModel: ScoringModel = staticModel;
  const initialVersion = await target.start(initialRows, seed, known);

  const total = Math.ceil((data.records.length - initial) / chunk);
  const chunks: ChunkReport[] = [];
  const decisions: ReplayFigures['decisions'] = [];
  const all: Record<Policy, number[]> = { healed: [], static: [], always_retrain: [] };
  const allDecisions: Record<Policy, number[]> = { healed: [], static: [], always_retrain: [] };
  const allLabels: number[] = [];
  for (let k = 0; k < total; k++) {
    const from = initial + k * chunk;
    const to = Math.min(from + chunk, data.records.length);
    const records = data.records.slice(from, to);
    const labels = data.labels.slice(from, to);

    const served = await target.predict(records);
    const scored: Record<Policy, Scored> = {
      healed: served,
      static: scoreAll(staticModel, records),
      always_retrain: scoreAll(alwaysModel, records),
    };
    await target.sendOutcomes(served.requestIds, labels);
    const step = await target.step(records.length);

    const servedBy: Record<string, number> = {};
    for (const v of served.versions) servedBy[v] = (servedBy[v] ?? 0) + 1;
    const metrics = {} as Record<Policy, PolicyMetrics>;
    for (const policy of POLICIES) {
      const { probabilities, decisions } = scored[policy];
      metrics[policy] = policyMetrics(labels, probabilities, decisions);
      // A loop, not push(...column): spreading a column of 150,000 rows overflows the stack.
      for (let i = 0; i < probabilities.length; i++) {
        all[policy].push(probabilities[i]);
        allDecisions[policy].push(decisions[i]);
      }
    }
    for (const label of labels) allLabels.push(label);
    chunks.push({
      index: k,
      rows: [from, to],
      positive_rate: metrics.healed.positives / labels.length,
      metrics,
      served_by: servedBy,
      drift: step.drift,
      status: step.status,
      heal: step.heal,
    });
    if (['promoted', 'rejected', 'rolled_back', 'failed'].includes(step.heal.action)) {
      decisions.push({
        chunk: k,
        action: step.heal.action,
        version: step.heal.challenger,
        active: step.heal.active,
        reason: step.heal.reason,
      });
    }

    const windowStart = Math.max(0, to - initial);
    try {
      alwaysModel = retrainOn(data.records.slice(windowStart, to), data.labels.slice(windowStart, to), seed, known, calibration);
    } catch {
      // A window the fit cannot use (one class only): the naive policy keeps its last model.
    }
    onChunk(k + 1, total);
  }
  const overall = {} as Record<Policy, PolicyMetrics>;
  const meanChunkAuc = {} as Record<Policy, number | null>;
  for (const policy of POLICIES) {
    overall[policy] = policyMetrics(allLabels, all[policy], allDecisions[policy]);
    const aucs = chunks.map((c) => c.metrics[policy].roc_auc).filter((v): v is number => v !== null);
    meanChunkAuc[policy] = aucs.length === 0 ? null : aucs.reduce((a, b) => a + b, 0) / aucs.length;
  }
  return {
    options: { ...options, rows_replayed: allLabels.length },
    initial_version: initialVersion,
    chunks,
    overall,
    mean_chunk_roc_auc: meanChunkAuc,
    decisions,
  };
}
