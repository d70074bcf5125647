import { Injectable } from '@nestjs/common';
import { DecisionMetrics } from '../monitoring/decision-metrics';
import { HealingService } from './healing.service';

/** Counts every healing run by how it ended (healing_runs_total{outcome}). */
@Injectable()
export class HealingRunMetrics {
  constructor(healing: HealingService, metrics: DecisionMetrics) {
    healing.onRun((outcome) => metrics.countHealingRun(outcome));
  }
}
