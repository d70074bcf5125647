import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import {
  FEATURE_SETS,
  FeatureEvidence,
  FeatureSet,
  analyseSearchRows,
  featuresFor,
  searchCandidates,
} from '../healing/challenger-candidates';
import { Preprocessor } from '../preprocessing/preprocessor';
import { fitModelSpec } from '../training/fit-model-spec';
import { TrainingDataError } from '../training/logistic-regression';
import { LogisticModel } from '../training/logistic-model';
import { ModelSpec } from '../training/model-spec';
import { Calibration, trainModel } from '../training/training-pipeline';
import { PolicyMetrics, PolicySummary, PolicyTrack } from './replay-metrics';
import { ReplayTarget, StepResult } from './replay-target';

export const POLICIES = ['healed', 'static', 'always_retrain', 'always_retrain_best'] as const;
export type Policy = (typeof POLICIES)[number];

/** always_retrain_best's candidates are fitted on this many of the newest labelled rows (or all there are). */
export const BEST_WINDOW = 10_000;

export interface ReplayOptions {
  initial: number;
  chunk: number;
  seed: number;
  /** How the healing policy calibrates its challengers; `always_retrain` trains the same way. */
  calibration: Calibration;
  /** The spec presets of the healing policy's search: always_retrain_best's candidates are these x feature sets. */
  specs: string[];
  /**
   * The search's training windows (HEAL_SEARCH_WINDOWS): the largest is how far back
   * always_retrain_best looks, as the search does, for time-level features and drift.
   */
  search_windows: number[];
}

/** The rows to replay, their schema, and each row's period ('YYYY-MM' or a time value) for the report. */
export interface ReplayData {
  schema: DatasetSchema;
  records: FeatureRecord[];
  labels: Uint8Array;
  periods: string[];
  /** How the report says where the periods come from. */
  calendarMethod: string;
}

export interface ChunkReport {
  index: number;
  /** Row range in the data file, [from, to), 0-based over data rows. */
  rows: [number, number];
  /** The calendar months of the chunk's first and last rows ('YYYY-MM', see `calendar`). */
  months: { first: string; last: string };
  /** The share of "yes" outcomes: the chunk's base rate. */
  positive_rate: number;
  metrics: Record<Policy, PolicyMetrics>;
  /** Which versions served this chunk's healed predictions, and how many each. */
  served_by: Record<string, number>;
  drift: StepResult['drift'];
  status: string;
  heal: StepResult['heal'];
}

/**
 * One "spec x feature set" of the search, retrained after every chunk on the newest BEST_WINDOW
 * labelled rows and promoted without a gate.
 */
export interface CandidateReport extends PolicySummary {
  /** "<spec>/<feature set>/<window>", as the search names it. */
  name: string;
  spec_name: string;
  feature_set: FeatureSet;
  window: number;
  /** Per chunk, the metrics of the model that served it. */
  chunks: PolicyMetrics[];
  /** Per chunk, the features its model left out (resolved from the rows up to the step before, as the search would). */
  dropped_features: string[][];
  /** Steps at which no fit was possible (one class only): the last model kept serving. */
  failed_fits: number;
}

export interface ReplayDecision {
  chunk: number;
  action: string;
  version: string | null;
  active: string | null;
  reason: string;
  /** The challenger's model spec (params.spec), and the search's candidate name when the service gives one. */
  spec: ModelSpec | null;
  candidate: string | null;
}

export interface ReplayFigures {
  options: ReplayOptions & { rows_replayed: number };
  /** The dataset schema the replay read its rows with. */
  schema: { name: string; sha256: string; feature_names: string[] };
  initial_version: string;
  /** Where the chunks' months come from, and the months of the initial rows and of all rows read. */
  calendar: { method: string; initial: { first: string; last: string }; data: { first: string; last: string } };
  chunks: ChunkReport[];
  overall: Record<Policy, PolicyMetrics>;
  /** The same figures over the rows after the first chunk (which every policy serves with the initial model). */
  after_first_chunk: Record<Policy, PolicyMetrics | null>;
  /** Mean of the per-chunk ROC-AUCs (all chunks): ranking within each period, free of the base-rate swings between periods. */
  mean_chunk_roc_auc: Record<Policy, number | null>;
  /** Which candidate `always_retrain_best` is, and how it was chosen. */
  always_retrain_best: { candidate: string; chosen_by: string };
  candidates: CandidateReport[];
  decisions: ReplayDecision[];
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

/** Every row of a window is a training row. */
const allRows = (n: number) => Array.from({ length: n }, (_, i) => i);

/** `always_retrain`: a fresh model on the most recent rows, all of them used for training. */
function retrainOn(
  schema: DatasetSchema,
  records: FeatureRecord[],
  labels: Uint8Array,
  seed: number,
  knownClasses: Record<string, readonly string[]>,
  calibration: Calibration,
): ScoringModel {
  const all = allRows(records.length);
  const tail = all.slice(Math.floor(records.length * 0.85)); // only feeds the reference statistics
  return trainModel({ schema, records, labels, seed, split: { train: all, validation: tail, test: tail }, knownClasses, calibration });
}

function categoriesOf(schema: DatasetSchema, records: readonly FeatureRecord[]): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const name of schema.categoricalFeatures) out[name] = [...new Set(records.map((r) => r[name] as string))];
  return out;
}

/** A candidate of always_retrain_best while the replay runs: its current model and its record. */
interface CandidateTrack {
  specName: string;
  set: FeatureSet;
  model: ScoringModel;
  dropped: string[];
  track: PolicyTrack;
  droppedPerChunk: string[][];
  failedFits: number;
}

/**
 * After a step: refits every candidate of the search ("spec x feature set", features resolved as
 * the search resolves them: time-level features and the drift of the chunk just labelled against
 * the rows before it) on the newest BEST_WINDOW labelled rows, each distinct fit once. A candidate
 * whose fit fails (one class only) or whose feature set would be empty keeps its model.
 */
function refitCandidates(
  tracks: CandidateTrack[],
  specNames: readonly string[],
  evidence: FeatureEvidence,
  data: ReplayData,
  to: number,
  knownClasses: Record<string, readonly string[]>,
): void {
  const { schema } = data;
  const fits = new Map<string, ScoringModel | null>();
  for (const specName of specNames) {
    for (const candidate of searchCandidates([specName], [BEST_WINDOW], evidence, to, schema.features)) {
      const from = to - candidate.window;
      const records = data.records.slice(from, to);
      const key = fitKey(specName, candidate.spec.features ?? schema.featureNames);
      try {
        fits.set(
          key,
          fitModelSpec({
            schema,
            records,
            labels: data.labels.slice(from, to),
            trainRows: allRows(records.length),
            spec: candidate.spec,
            knownClasses,
          }),
        );
      } catch (err) {
        if (!(err instanceof TrainingDataError)) throw err;
        fits.set(key, null);
      }
    }
  }
  for (const t of tracks) {
    const features = featuresFor(t.set, evidence, schema.features);
    const fit = fits.get(fitKey(t.specName, features));
    if (fit === undefined) continue; // the set would leave no feature: the search has no such candidate
    if (fit === null) {
      t.failedFits++;
      continue;
    }
    t.model = fit;
    t.dropped = schema.featureNames.filter((name) => !features.includes(name));
  }
}

const fitKey = (specName: string, features: readonly string[]) => `${specName}:${features.join(',')}`;

/**
 * Replays labelled history through a service, chunk by chunk in date order: predict (logged),
 * send outcomes, one monitoring + healing step. Beside the healed service, baselines see the same
 * chunks: `static` (the initial model forever), `always_retrain` (after every chunk, a model on
 * the latest `initial` labelled rows, calibrated as the policy's challengers, promoted with no
 * gate) and, for every candidate of the healing search ("spec x feature set" of `specs`), the
 * same with that candidate on the newest BEST_WINDOW rows; the candidate with the lowest Brier
 * over the rows after the first chunk is `always_retrain_best`. The first chunk is served by the
 * initial model under every policy: no outcome exists yet.
 */
export async function runReplay(
  data: ReplayData,
  options: ReplayOptions,
  target: ReplayTarget,
  onChunk: (done: number, total: number) => void = () => undefined,
): Promise<ReplayFigures> {
  const { initial, chunk, seed, calibration, specs } = options;
  if (data.records.length <= initial)
    throw new Error(`the data has ${data.records.length} rows: nothing is left after --initial ${initial}`);
  const { schema, periods: months } = data;
  const initialRows = { records: data.records.slice(0, initial), labels: data.labels.slice(0, initial) };
  // Like `train` on a file, encoders know every category of the file (no target information).
  const known = categoriesOf(schema, data.records);
  const staticModel: ScoringModel = trainModel({ schema, ...initialRows, seed, knownClasses: known });
  let alwaysModel: ScoringModel = staticModel;
  const candidates: CandidateTrack[] = specs.flatMap((specName) =>
    FEATURE_SETS.map((set) => ({
      specName,
      set,
      model: staticModel,
      dropped: [],
      track: new PolicyTrack(),
      droppedPerChunk: [],
      failedFits: 0,
    })),
  );
  const initialVersion = await target.start(initialRows, seed, known);

  const total = Math.ceil((data.records.length - initial) / chunk);
  const chunks: ChunkReport[] = [];
  const decisions: ReplayDecision[] = [];
  const tracks = { healed: new PolicyTrack(), static: new PolicyTrack(), always_retrain: new PolicyTrack() };
  for (let k = 0; k < total; k++) {
    const from = initial + k * chunk;
    const to = Math.min(from + chunk, data.records.length);
    const records = data.records.slice(from, to);
    const labels = data.labels.slice(from, to);

    const served = await target.predict(records);
    // Candidates often share a fit (a feature set that drops nothing new): score each model once.
    const scores = new Map<ScoringModel, Scored>();
    const score = (m: ScoringModel) => scores.get(m) ?? scores.set(m, scoreAll(m, records)).get(m)!;
    const scored = { healed: served, static: score(staticModel), always_retrain: score(alwaysModel) };
    for (const c of candidates) {
      const { probabilities, decisions } = score(c.model);
      c.track.add(labels, probabilities, decisions);
      c.droppedPerChunk.push(c.dropped);
    }
    await target.sendOutcomes(served.requestIds, labels);
    const step = await target.step(records.length);

    const servedBy: Record<string, number> = {};
    for (const v of served.versions) servedBy[v] = (servedBy[v] ?? 0) + 1;
    const metrics = {} as ChunkReport['metrics'];
    for (const policy of ['healed', 'static', 'always_retrain'] as const) {
      metrics[policy] = tracks[policy].add(labels, scored[policy].probabilities, scored[policy].decisions);
    }
    chunks.push({
      index: k,
      rows: [from, to],
      months: { first: months[from], last: months[to - 1] },
      positive_rate: metrics.healed.positives / labels.length,
      metrics,
      served_by: servedBy,
      drift: step.drift,
      status: step.status,
      heal: step.heal,
    });
    if (['promoted', 'rejected', 'held', 'rolled_back', 'failed'].includes(step.heal.action)) {
      const { action, challenger, active, reason, spec, candidate } = step.heal;
      decisions.push({ chunk: k, action, version: challenger, active, reason, spec, candidate });
    }

    const windowStart = Math.max(0, to - initial);
    try {
      alwaysModel = retrainOn(schema, data.records.slice(windowStart, to), data.labels.slice(windowStart, to), seed, known, calibration);
    } catch {
      // A window the fit cannot use (one class only): the naive policy keeps its last model.
    }
    const lookback = Math.max(BEST_WINDOW, ...options.search_windows);
    refitCandidates(
      candidates,
      specs,
      analyseSearchRows(schema.features, data.records, Math.max(0, to - lookback), from, to),
      data,
      to,
      known,
    );
    onChunk(k + 1, total);
  }

  const candidateReports: CandidateReport[] = candidates.map((c) => ({
    name: `${c.specName}/${c.set}/${BEST_WINDOW}`,
    spec_name: c.specName,
    feature_set: c.set,
    window: BEST_WINDOW,
    ...c.track.summary(),
    chunks: c.track.chunks,
    dropped_features: c.droppedPerChunk,
    failed_fits: c.failedFits,
  }));
  const { best, chosenBy } = bestCandidate(candidateReports);
  chunks.forEach((c, k) => (c.metrics.always_retrain_best = best.chunks[k]));
  const healed = tracks.healed.summary();
  const summaries: Record<Policy, PolicySummary> = {
    healed,
    static: tracks.static.summary(),
    always_retrain: tracks.always_retrain.summary(),
    always_retrain_best: best,
  };
  const pick = <K extends keyof PolicySummary>(key: K) =>
    Object.fromEntries(POLICIES.map((p) => [p, summaries[p][key]])) as Record<Policy, PolicySummary[K]>;
  return {
    options: { ...options, rows_replayed: healed.overall.n },
    schema: { name: schema.name, sha256: schema.hash, feature_names: [...schema.featureNames] },
    initial_version: initialVersion,
    calendar: {
      method: data.calendarMethod,
      initial: { first: months[0], last: months[initial - 1] },
      data: { first: months[0], last: months[months.length - 1] },
    },
    chunks,
    overall: pick('overall'),
    after_first_chunk: pick('after_first_chunk'),
    mean_chunk_roc_auc: pick('mean_chunk_roc_auc'),
    always_retrain_best: { candidate: best.name, chosen_by: chosenBy },
    candidates: candidateReports,
    decisions,
  };
}

/**
 * The candidate with the lowest Brier over the rows after the first chunk (over all rows when
 * there is only one chunk); the first in the search's order on a tie. Chosen in hindsight, on the
 * very rows it is then reported on: a strong bar for the healed policy, which must choose ahead.
 */
export function bestCandidate(candidates: readonly CandidateReport[]): { best: CandidateReport; chosenBy: string } {
  if (candidates.length === 0) throw new Error('always_retrain_best needs at least one candidate spec');
  const afterFirst = candidates[0].after_first_chunk !== null;
  const brier = (c: CandidateReport) => (afterFirst ? c.after_first_chunk! : c.overall).brier_score;
  const best = candidates.reduce((a, b) => (brier(b) < brier(a) ? b : a));
  const rows = afterFirst ? 'the rows after the first chunk' : 'all replayed rows (there is only one chunk)';
  return { best, chosenBy: `lowest Brier over ${rows}, in hindsight, among ${candidates.length} candidates` };
}
