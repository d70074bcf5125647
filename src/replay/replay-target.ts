import { FeatureRecord } from '../data/dataset-schema';
import { ModelSpec, readModelSpec } from '../training/model-spec';

/** What a replay needs from the service it drives: in this process, or a server over HTTP. */
export interface ReplayTarget {
  readonly mode: 'in-process' | 'http';
  /**
   * Sets up the initial champion (in-process: trains it on `initial`, its encoders knowing
   * `knownClasses`, the categories of the whole file, as `train` does) and names it.
   */
  start(
    initial: { records: FeatureRecord[]; labels: Uint8Array },
    seed: number,
    knownClasses: Record<string, readonly string[]>,
  ): Promise<string>;
  /** Predicts every row through the service, which logs them as in production. */
  predict(records: readonly FeatureRecord[]): Promise<ServedRows>;
  /** Sends the outcomes of served predictions as feedback. */
  sendOutcomes(requestIds: readonly string[], labels: Uint8Array): Promise<void>;
  /** One monitoring + healing step with the production policy. */
  step(window: number): Promise<StepResult>;
  close(): Promise<void>;
}

export interface ServedRows {
  requestIds: string[];
  probabilities: Float64Array;
  /** The served decision, 1 = "yes" (each version has its own threshold). */
  decisions: Uint8Array;
  versions: string[];
}

export interface StepResult {
  drift: { verdict: string; dataset_drift: boolean; drifted_features: string[]; share_drifted_features: number };
  status: string;
  heal: {
    action: string;
    reason: string;
    challenger: string | null;
    active: string | null;
    gate: unknown;
    /** The challenger's model spec (its params.spec), when there is a challenger. */
    spec: ModelSpec | null;
    /** The search's chosen candidate (its outcome's `search.chosen`), when the service reports one. */
    candidate: string | null;
  };
}

/** What a healing outcome may say beyond the fields every outcome has. */
export interface HealingAnswer {
  action: string;
  reason: string;
  challenger?: string | null;
  active?: string | null;
  gate?: unknown;
  /** The challenger search's summary; its `chosen` names the candidate. */
  search?: unknown;
}

/**
 * A step's result from the service's own answers (the same shapes in process and over HTTP);
 * `challengerParams`: the challenger version's metadata params, when there is a challenger.
 */
export function toStepResult(
  drift: StepResult['drift'],
  status: string,
  heal: HealingAnswer,
  challengerParams: Record<string, unknown> | null = null,
): StepResult {
  return {
    drift: {
      verdict: drift.verdict,
      dataset_drift: drift.dataset_drift,
      drifted_features: drift.drifted_features,
      share_drifted_features: drift.share_drifted_features,
    },
    status,
    heal: {
      action: heal.action,
      reason: heal.reason,
      challenger: heal.challenger ?? null,
      active: heal.active ?? null,
      gate: heal.gate ?? null,
      spec: challengerParams?.spec ? readModelSpec(challengerParams.spec) : null,
      candidate: candidateName((heal.search as { chosen?: unknown } | null | undefined)?.chosen),
    },
  };
}

/** The chosen candidate's name: given as a string, or as an object with a `name`. */
function candidateName(chosen: unknown): string | null {
  if (typeof chosen === 'string') return chosen;
  const name = (chosen as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : null;
}
