import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { DriftResponse, DriftService } from './drift.service';
import { LivePerformance } from './live-performance';
import { PerformanceReport, PerformanceService } from './performance.service';

export const MONITORING_VERDICTS = ['healthy', 'drifting', 'degraded', 'insufficient_data'] as const;
export type MonitoringVerdict = (typeof MONITORING_VERDICTS)[number];

export interface MonitoringStatus {
  status: MonitoringVerdict;
  model_version: string;
  reasons: string[];
  drift: Pick<DriftResponse, 'verdict' | 'dataset_drift' | 'window_size' | 'drifted_features' | 'share_drifted_features'> & {
    prediction_drift: boolean;
  };
  performance: Pick<LivePerformance, 'verdict' | 'n_labelled' | 'live'> & {
    calibration: Pick<PerformanceReport['calibration'], 'verdict' | 'reasons' | 'skipped'>;
    expected: ExpectedSummary;
  };
  generated_at: string;
}

/** The label-free estimate in brief (the full one is in /monitoring/performance); it never changes the status. */
export interface ExpectedSummary {
  triggers_heal: false;
  window_size: number;
  /** Null below the minimum of predictions. */
  accuracy: number | null;
  f1_score: number | null;
  roc_auc: number | null;
  brier_score: number | null;
  /** The same estimate of accuracy on the validation rows (null when not recorded). */
  baseline_accuracy: number | null;
}

function summariseExpected(expected: PerformanceReport['expected']): ExpectedSummary {
  const e = expected.estimate;
  return {
    triggers_heal: false,
    window_size: expected.window_size,
    accuracy: e?.accuracy ?? null,
    f1_score: e?.f1_score ?? null,
    roc_auc: e?.roc_auc ?? null,
    brier_score: e?.brier_score ?? null,
    baseline_accuracy: expected.baseline?.accuracy ?? null,
  };
}

/**
 * One verdict from drift and live performance. Decay in outcomes outranks a change in inputs:
 * degraded > drifting > insufficient_data (too few predictions to judge drift) > healthy.
 * Degraded means ROC-AUC or F1 fell, or calibration collapsed: the reasons name each rule broken.
 * Too few labels alone does not hide a healthy drift verdict: the reasons say so. The label-free
 * estimate is summarised beside the verdict and never changes it.
 */
@Injectable()
export class MonitoringStatusService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly drift: DriftService,
    private readonly performance: PerformanceService,
  ) {}

  status(): MonitoringStatus {
    const drift = this.drift.report();
    const performance = this.performance.report();
    const reasons: string[] = [];
    let status: MonitoringVerdict;
    if (performance.verdict === 'degraded') {
      status = 'degraded';
      reasons.push(...performance.reasons);
    } else if (drift.verdict === 'drift') {
      status = 'drifting';
    } else if (drift.verdict === 'insufficient_data') {
      status = 'insufficient_data';
      reasons.push(`${drift.window_size} predictions in the window, fewer than the ${drift.min_window} needed to judge drift`);
    } else {
      status = 'healthy';
    }
    if (drift.verdict === 'drift') {
      if (drift.drifted_features.length > 0) {
        reasons.push(`${drift.drifted_features.length} of ${drift.n_features} features drifted (${drift.drifted_features.join(', ')})`);
      }
      if (drift.prediction?.drifted) reasons.push(`predictions drifted (PSI ${drift.prediction.psi.toFixed(3)})`);
    }
    if (performance.verdict === 'insufficient_data') reasons.push(...performance.reasons);
    return {
      status,
      model_version: drift.reference_version,
      reasons,
      drift: {
        verdict: drift.verdict,
        dataset_drift: drift.dataset_drift,
        window_size: drift.window_size,
        drifted_features: drift.drifted_features,
        share_drifted_features: drift.share_drifted_features,
        prediction_drift: drift.prediction?.drifted ?? false,
      },
      performance: {
        verdict: performance.verdict,
        n_labelled: performance.n_labelled,
        live: performance.live,
        calibration: {
          verdict: performance.calibration.verdict,
          reasons: performance.calibration.reasons,
          skipped: performance.calibration.skipped,
        },
        expected: summariseExpected(performance.expected),
      },
      generated_at: this.clock.now().toISOString(),
    };
  }
}
