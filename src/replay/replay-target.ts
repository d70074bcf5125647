import { FeatureRecord } from '../data/dataset-schema';

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
  heal: { action: string; reason: string; challenger: string | null; active: string | null; gate: unknown };
}

/** A step's result from the service's own answers (the same shapes in process and over HTTP). */
export function toStepResult(
  drift: StepResult['drift'],
  status: string,
  heal: { action: string; reason: string; challenger?: string | null; active?: string | null; gate?: unknown },
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
    },
  };
}
