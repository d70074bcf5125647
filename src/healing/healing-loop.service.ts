import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { HealingElsewhere, HealingService } from './healing.service';

/** Runs the healing loop every MONITOR_INTERVAL_S seconds inside the server (AUTO_HEAL). */
@Injectable()
export class HealingLoopService implements OnApplicationShutdown {
  private readonly logger = new Logger(HealingLoopService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly healing: HealingService,
  ) {}

  /** Called by the server once it serves (never by the CLI). */
  start(): void {
    const { autoHeal, intervalSeconds } = this.config.healing;
    if (!autoHeal || intervalSeconds === 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), intervalSeconds * 1000);
    this.timer.unref();
    this.logger.log(`healing loop every ${intervalSeconds} s`);
  }

  async tick(): Promise<void> {
    if (this.healing.isRunning) return; // a run from the API or the previous tick is still going
    try {
      const outcome = await this.healing.run('auto');
      if (outcome.action !== 'skipped' && outcome.action !== 'watching') this.logger.log(`healing: ${outcome.action}: ${outcome.reason}`);
    } catch (err) {
      if (err instanceof HealingElsewhere) return; // another replica heals: one healer in the fleet
      this.logger.warn(`healing run failed: ${(err as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
