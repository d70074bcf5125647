import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { EVENT_ACTORS, ModelEvent } from '../model-registry/model-event';
import { ModelLifecycle } from '../model-registry/model-lifecycle';
import { MetricsService } from './metrics.service';

/** How a healing run can end (HealingService's actions, `held` from the trust rules, `error`: the run threw). */
export const HEALING_OUTCOMES = [
  'promoted',
  'rejected',
  'held',
  'rolled_back',
  'watch_passed',
  'watching',
  'skipped',
  'failed',
  'error',
] as const;

/** The model decisions counted, by event type: the counter's name and help. */
const DECISIONS: Record<string, { name: string; help: string }> = {
  promoted: {
    name: 'model_promotions_total',
    help: 'Versions made active (by the healer, an admin over the API, or the CLI), by who decided',
  },
  rolled_back: { name: 'model_rollbacks_total', help: 'Rollbacks to the previous version (a lost watch or an admin), by who decided' },
  rejected: { name: 'model_rejections_total', help: 'Challengers rejected by the promotion gate, by who ran the heal' },
  held: {
    name: 'model_challengers_held_total',
    help: 'Challengers that won the gate but were held for an admin to promote, by who ran the heal',
  },
};

/**
 * Counters of what the healer (and the admins) decided, for Prometheus: every healing run by its
 * outcome, and promotions, rollbacks, rejections and held challengers by actor, each counted when
 * its event is written. Every series starts at 0, so `increase()` sees the first one. They count
 * this process's decisions: a CLI command run beside the server is counted by neither.
 */
@Injectable()
export class DecisionMetrics {
  private readonly runs: Counter<'outcome'>;
  private readonly decisions = new Map<string, Counter<'actor'>>();

  constructor(metrics: MetricsService, @Inject(ModelLifecycle) lifecycle: Pick<ModelLifecycle, 'onDecision'>) {
    const registers: Registry[] = [metrics.registry];
    this.runs = new Counter({
      name: 'healing_runs_total',
      help: 'Healing runs of this process (the loop, POST /monitoring/heal) by how they ended',
      labelNames: ['outcome'] as const,
      registers,
    });
    for (const outcome of HEALING_OUTCOMES) this.runs.inc({ outcome }, 0);
    for (const [type, { name, help }] of Object.entries(DECISIONS)) {
      const counter = new Counter({ name, help, labelNames: ['actor'] as const, registers });
      for (const actor of EVENT_ACTORS) counter.inc({ actor }, 0);
      this.decisions.set(type, counter);
    }
    lifecycle.onDecision((event) => this.countDecision(event));
  }

  countHealingRun(outcome: string): void {
    this.runs.inc({ outcome });
  }

  /** Counts a written decision; other event types (trained, heal_skipped, ...) are counted as runs or not at all. */
  countDecision(event: Pick<ModelEvent, 'type' | 'actor'>): void {
    this.decisions.get(event.type)?.inc({ actor: event.actor });
  }
}
