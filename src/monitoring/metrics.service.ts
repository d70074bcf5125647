import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ActiveModel } from '../model-registry/active-model';
import { EXPECTED_FIGURES } from '../training/calibration-baseline';
import { DriftService } from './drift.service';
import { PerformanceService } from './performance.service';
import { StorageHealthService } from './storage-health.service';

/** Calibration figures added to live_performance beside the figures it already has (accuracy, brier_score, positive_rate). */
const CALIBRATION_GAUGES = ['log_loss', 'ece', 'mean_predicted', 'base_rate'] as const;

/**
 * Prometheus metrics (prom-client) in a registry of our own, so tests can build many apps in one
 * process. Request and prediction counters are updated as they happen; drift and performance
 * gauges show the last report computed (by a request or the healing loop), not a new one per scrape.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly predictions = new Counter({
    name: 'predictions_total',
    help: 'Predictions served by predicted label and model version',
    labelNames: ['label', 'model_version'] as const,
    registers: [this.registry],
  });

  constructor(activeModel: ActiveModel, drift: DriftService, performance: PerformanceService, storage: StorageHealthService) {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    new Gauge({
      name: 'model_active_info',
      help: 'The model version serving now (value 1)',
      labelNames: ['model_version'] as const,
      registers,
      collect() {
        this.reset();
        const active = activeModel.current();
        if (active) this.set({ model_version: active.version }, 1);
      },
    });
    new Gauge({
      name: 'drift_feature_psi',
      help: 'PSI of each feature in the last drift report',
      labelNames: ['feature'] as const,
      registers,
      collect() {
        this.reset();
        for (const f of drift.lastReport()?.features ?? []) this.set({ feature: f.feature }, f.psi);
      },
    });
    new Gauge({
      name: 'drift_feature_drifted',
      help: '1 when the feature drifted in the last drift report',
      labelNames: ['feature'] as const,
      registers,
      collect() {
        this.reset();
        for (const f of drift.lastReport()?.features ?? []) this.set({ feature: f.feature }, f.drifted ? 1 : 0);
      },
    });
    new Gauge({
      name: 'drift_dataset',
      help: '1 when the last drift report found dataset drift',
      registers,
      collect() {
        const report = drift.lastReport();
        if (report) this.set(report.dataset_drift ? 1 : 0);
      },
    });
    new Gauge({
      name: 'drift_prediction_psi',
      help: 'PSI of predicted P(yes) in the last drift report',
      registers,
      collect() {
        const prediction = drift.lastReport()?.prediction;
        if (prediction) this.set(prediction.psi);
      },
    });
    new Gauge({
      name: 'live_performance',
      help: 'Metrics over the last labelled window (last performance report), calibration figures included',
      labelNames: ['metric'] as const,
      registers,
      collect() {
        this.reset();
        const report = performance.lastReport();
        if (report?.live) for (const [metric, value] of Object.entries(report.live)) this.set({ metric }, value);
        const calibration = report?.calibration.live;
        if (calibration) for (const metric of CALIBRATION_GAUGES) this.set({ metric }, calibration[metric]);
      },
    });
    new Gauge({
      name: 'live_performance_degraded',
      help: '1 when the last performance report is degraded (ROC-AUC, F1 or calibration), 0 when healthy; absent with too little data',
      labelNames: ['check'] as const,
      registers,
      collect() {
        this.reset();
        const report = performance.lastReport();
        if (!report) return;
        for (const [check, verdict] of [
          ['overall', report.verdict],
          ['calibration', report.calibration.verdict],
        ] as const) {
          if (verdict !== 'insufficient_data') this.set({ check }, verdict === 'degraded' ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'expected_performance',
      help: 'Label-free expected performance (CBPE) over the last predictions, valid only if P(yes) is calibrated; never a heal trigger',
      labelNames: ['metric'] as const,
      registers,
      collect() {
        this.reset();
        const estimate = performance.lastReport()?.expected.estimate;
        if (!estimate) return;
        for (const metric of EXPECTED_FIGURES) {
          const value = estimate[metric];
          if (value !== null) this.set({ metric }, value);
        }
      },
    });
    this.storageGauge(storage);
  }

  /** Storage faults (issue 15): whether the storage can be written, by what it holds. */
  private storageGauge(storage: StorageHealthService): void {
    new Gauge({
      name: 'storage_healthy',
      help: '1 when the storage can be written, 0 when not (full, read-only, gone): what=logs (prediction logs), models (versions, registry)',
      labelNames: ['what'] as const,
      registers: [this.registry],
      collect() {
        const problems = storage.problems();
        this.set({ what: 'logs' }, problems.logs === null ? 1 : 0);
        this.set({ what: 'models' }, problems.models === null ? 1 : 0);
      },
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ method, route }, seconds);
  }

  countPrediction(label: string, modelVersion: string, count = 1): void {
    this.predictions.inc({ label, model_version: modelVersion }, count);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
