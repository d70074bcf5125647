import { ShapeError, readArray, readNumber, readObject, readString } from '../common/json-shape';
import { DriftResponse } from '../monitoring/drift.service';
import { MONITORING_VERDICTS, MonitoringStatus, MonitoringVerdict } from '../monitoring/monitoring-status.service';
import { PerformanceReport } from '../monitoring/performance.service';

/**
 * What monitoring said at one moment, in numbers, for the dashboard's charts over time. A figure
 * is null when monitoring could not judge it then (too few predictions or labels).
 */
export interface MonitoringSnapshot {
  time: string;
  model_version: string;
  status: MonitoringVerdict;
  /** Predictions in the drift window, and the share of features that drifted in it. */
  window_size: number;
  drift_share: number | null;
  dataset_drift: boolean;
  prediction_psi: number | null;
  /** Share of the window's predictions decided "yes". */
  predicted_positive_rate: number | null;
  /** Labelled predictions in the performance window, and their figures. */
  labelled: number;
  roc_auc: number | null;
  brier: number | null;
  /** Share of those labelled predictions whose outcome was "yes". */
  base_rate: number | null;
  /** The label-free estimate (CBPE) over the latest predictions. */
  expected_roc_auc: number | null;
  expected_brier: number | null;
  /** The serving version's validation figures, the yardstick the live ones are judged against. */
  baseline_roc_auc: number;
  baseline_brier: number;
  /** Predictions served by this process since it started (the counter behind predictions_total). */
  served_total: number;
}

export const SNAPSHOT_FILE_VERSION = 1;

/** One snapshot from the reports behind one status (MonitoringStatusService.status computes both). */
export function snapshotOf(
  time: Date,
  status: Pick<MonitoringStatus, 'status' | 'model_version'>,
  drift: DriftResponse,
  performance: PerformanceReport,
  servedTotal: number,
): MonitoringSnapshot {
  const calibration = performance.calibration.live;
  const expected = performance.expected.estimate;
  return {
    time: time.toISOString(),
    model_version: status.model_version,
    status: status.status,
    window_size: drift.window_size,
    drift_share: drift.verdict === 'insufficient_data' ? null : drift.share_drifted_features,
    dataset_drift: drift.dataset_drift,
    prediction_psi: drift.prediction?.psi ?? null,
    predicted_positive_rate: drift.prediction?.positive_rate ?? null,
    labelled: performance.n_labelled,
    roc_auc: performance.live?.roc_auc ?? null,
    brier: performance.live?.brier_score ?? null,
    base_rate: calibration?.base_rate ?? null,
    expected_roc_auc: expected?.roc_auc ?? null,
    expected_brier: expected?.brier_score ?? null,
    baseline_roc_auc: performance.baseline.roc_auc,
    baseline_brier: performance.baseline.brier_score,
    served_total: servedTotal,
  };
}

/** The series with `snapshot` added, keeping the newest `keep`. */
export function appendBounded(series: readonly MonitoringSnapshot[], snapshot: MonitoringSnapshot, keep: number): MonitoringSnapshot[] {
  const next = [...series, snapshot];
  return next.length > keep ? next.slice(next.length - keep) : next;
}

const NULLABLE = [
  'drift_share',
  'prediction_psi',
  'predicted_positive_rate',
  'roc_auc',
  'brier',
  'base_rate',
  'expected_roc_auc',
  'expected_brier',
] as const;

function readSnapshot(value: unknown, at: string): MonitoringSnapshot {
  const doc = readObject(value, at);
  const time = readString(doc.time, `${at}.time`);
  if (Number.isNaN(Date.parse(time))) throw new ShapeError(`${at}.time must be an ISO date-time`);
  const status = readString(doc.status, `${at}.status`) as MonitoringVerdict;
  if (!MONITORING_VERDICTS.includes(status)) throw new ShapeError(`${at}.status must be one of ${MONITORING_VERDICTS.join(', ')}`);
  if (typeof doc.dataset_drift !== 'boolean') throw new ShapeError(`${at}.dataset_drift must be true or false`);
  const snapshot = {
    time,
    model_version: readString(doc.model_version, `${at}.model_version`),
    status,
    window_size: readNumber(doc.window_size, `${at}.window_size`),
    dataset_drift: doc.dataset_drift,
    labelled: readNumber(doc.labelled, `${at}.labelled`),
    baseline_roc_auc: readNumber(doc.baseline_roc_auc, `${at}.baseline_roc_auc`),
    baseline_brier: readNumber(doc.baseline_brier, `${at}.baseline_brier`),
    served_total: readNumber(doc.served_total, `${at}.served_total`),
  } as MonitoringSnapshot;
  for (const name of NULLABLE) snapshot[name] = doc[name] === null ? null : readNumber(doc[name], `${at}.${name}`);
  return snapshot;
}

/**
 * Reads the series file: its snapshots, oldest first, and how many were dropped because they
 * could not be read (a file with the wrong shape as a whole throws).
 */
export function readSnapshotFile(json: unknown): { snapshots: MonitoringSnapshot[]; dropped: number } {
  const doc = readObject(json, 'snapshots file');
  if (doc.version !== SNAPSHOT_FILE_VERSION) throw new ShapeError(`version must be ${SNAPSHOT_FILE_VERSION}`);
  const snapshots: MonitoringSnapshot[] = [];
  let dropped = 0;
  readArray(doc.snapshots, 'snapshots').forEach((value, i) => {
    try {
      snapshots.push(readSnapshot(value, `snapshots[${i}]`));
    } catch (err) {
      if (!(err instanceof ShapeError)) throw err;
      dropped++;
    }
  });
  snapshots.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return { snapshots, dropped };
}
