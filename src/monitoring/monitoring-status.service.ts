import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { DriftResponse, DriftService } from './drift.service';
import { LivePerformance } from './live-performance';
import { PerformanceService } from './performance.service';

export type MonitoringVerdict = 'healthy' | 'drifting' | 'degraded' | 'insufficient_data';

export interface MonitoringStatus {
  status: MonitoringVerdict;
  model_version: string;
  reasons: string[];
  drift: Pick<DriftResponse, 'verdict' | 'dataset_drift' | 'window_size' | 'drifted_features' | 'share_drifted_features'> & {
    prediction_drift: boolean;
  };
  performance: Pick<LivePerformance, 'verdict' | 'n_labelled' | 'live'>;
  generated_at: string;
}

/**
 * One verdict from drift and live performance. Decay in outcomes outranks a change in inputs:
 * degraded > drifting > insufficient_data (too few predictions to judge drift) > healthy.
 * Too few labels alone does not hide a healthy drift verdict: the reasons say so.
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
        reasons.push(
          `${drift.drifted_features.length} of ${drift.n_features} features drifted (${drift.drifted_features.join(', ')})`,
        );
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
      performance: { verdict: performance.verdict, n_labelled: performance.n_labelled, live: performance.live },
      generated_at: this.clock.now().toISOString(),
    };
  }
}
